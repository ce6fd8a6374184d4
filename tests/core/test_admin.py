"""Every model is registered in the admin, and each admin page opens for staff."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from tests import factories
from tests.core.test_owner_isolation import build_world

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "accounts",
    "contacts",
    "interactions",
    "opportunities",
    "reminders",
    "portability",
    "api",
    "webhooks",
}


def test_every_project_model_is_in_the_admin():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and not model._meta.auto_created
        and model not in admin.site._registry
    ]
    assert missing == []


def test_every_admin_changelist_and_change_page_opens_for_staff():
    staff = factories.UserFactory(is_staff=True, is_superuser=True)
    build_world(staff)
    client = Client()
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/")
        assert response.status_code == 200, meta.label
        first = model.objects.first()
        if first is not None:
            response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/{first.pk}/change/")
            assert response.status_code == 200, meta.label
