"""Readiness checks used by /healthz."""

import os

from django.conf import settings
from django.db import connection

from config.celery import app as celery_app


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return False, type(exc).__name__
    return True, "ok"


def broker_ok(timeout: float = 2.0) -> tuple[bool, str]:
    url = celery_app.conf.broker_url or ""
    if url.startswith("filesystem://"):
        # The filesystem transport never fails to "connect": check its folder instead.
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        os.makedirs(folder, exist_ok=True)
        return (True, "ok") if os.access(folder, os.W_OK) else (False, "folder not writable")
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            conn.default_channel.client.ping()
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "ok"
