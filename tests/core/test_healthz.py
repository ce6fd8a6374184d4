import pytest
from django.test import Client

from apps.core import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_broker_answer():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_answers_503_when_the_broker_is_unreachable(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


def test_healthz_answers_503_when_the_filesystem_broker_folder_is_unusable(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the queue folder should be")
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(blocker / "queue")}
    response = Client().get("/healthz")
    assert response.status_code == 503


def test_healthz_answers_503_when_the_database_fails(monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: (False, "OperationalError"))
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"
