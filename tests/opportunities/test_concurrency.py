"""Concurrent moves of one opportunity serialize on its row lock (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection

from apps.opportunities import services
from apps.opportunities.models import StageChange

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_concurrent_moves_chain_their_history(user, make_opportunity, monkeypatch):
    opportunity = make_opportunity(user, stage="referred")
    real_create = StageChange.objects.create

    def slow_create(**kwargs):
        # Widen the window between reading the stage and writing the change.
        time.sleep(0.4)
        return real_create(**kwargs)

    monkeypatch.setattr(StageChange.objects, "create", slow_create)
    errors = []

    def move(stage):
        try:
            services.move_to_stage(owner=user, opportunity=opportunity, stage=stage)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(s,)) for s in ("applied", "withdrawn")]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(10)
    assert errors == []
    rows = list(
        StageChange.objects.filter(opportunity=opportunity)
        .order_by("changed_at", "pk")
        .values_list("from_stage", "to_stage")
    )
    # Without the lock both moves would read "referred" and record it as their origin.
    assert rows == [("", "referred"), ("referred", "applied"), ("applied", "withdrawn")]
    opportunity.refresh_from_db()
    assert opportunity.stage == "withdrawn"
