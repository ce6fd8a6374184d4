"""A bad Host header is one WARNING line, without a traceback, and a 400."""

import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_bad_host_header_logs_one_warning_line_without_a_traceback(caplog):
    with caplog.at_level(logging.INFO):
        response = Client().get("/healthz", HTTP_HOST="evil.example")
    assert response.status_code == 400
    security = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(security) == 1
    [record] = security
    assert record.levelname == "WARNING"
    assert record.exc_info is None and record.exc_text is None
    assert "evil.example" in record.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
