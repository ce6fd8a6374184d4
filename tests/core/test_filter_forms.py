"""Every list's filter form reads its query string the same way (apps.core.forms.FilterForm)."""

import datetime as dt

import pytest
from django.http import QueryDict

from apps.contacts.forms import ContactFilterForm
from apps.core.forms import FilterForm
from apps.interactions.forms import InteractionFilterForm
from apps.opportunities.forms import OpportunityFilterForm
from apps.reminders.forms import FollowUpFilterForm
from tests import factories

pytestmark = pytest.mark.django_db


def _forms(user, query):
    data = QueryDict(query) if query is not None else None
    return {
        "contacts": ContactFilterForm(data, user=user),
        "interactions": InteractionFilterForm(data, user=user),
        "opportunities": OpportunityFilterForm(data, owner=user),
        "reminders": FollowUpFilterForm(data, user=user),
    }


def test_every_list_filter_form_shares_the_base(user):
    assert all(isinstance(form, FilterForm) for form in _forms(user, None).values())


def test_an_unbound_or_blank_form_filters_nothing(user):
    for form in _forms(user, None).values():
        assert form.cleaned_or_empty() == {}
    blank = "q=&channel=&kind=&status=&stage=&contact=&date_from=&due_to=&organization=&tag="
    for name, form in _forms(user, blank).items():
        assert form.cleaned_or_empty() == {}, name


def test_a_foreign_id_is_dropped_and_the_valid_filters_stay(user, other_user):
    mine = factories.ContactFactory(owner=user)
    theirs = factories.ContactFactory(owner=other_user)
    checks = {
        "interactions": (f"contact={theirs.pk}&channel=email", {"channel": "email"}),
        "opportunities": (f"contact={theirs.pk}&q=designer", {"q": "designer"}),
        "reminders": (f"contact={theirs.pk}&status=done", {"status": "done"}),
    }
    for name, (query, expected) in checks.items():
        form = _forms(user, query)[name]
        assert form.cleaned_or_empty() == expected, name
        assert "contact" in form.errors, name  # the message stays on the form
    ok = _forms(user, f"contact={mine.pk}&status=done")["reminders"].cleaned_or_empty()
    assert ok == {"contact": mine, "status": "done"}


def test_a_bad_date_is_dropped_with_its_message(user):
    form = _forms(user, "date_from=2025-03-10&date_to=2025-03-01")["interactions"]
    assert form.cleaned_or_empty() == {"date_from": dt.date(2025, 3, 10)}
    assert "date_to" in form.errors
    form = _forms(user, "due_from=2025-03-01&due_to=9999-12-31")["reminders"]
    assert form.cleaned_or_empty() == {"due_from": dt.date(2025, 3, 1)}
    assert "due_to" in form.errors


def test_an_unticked_box_and_a_stale_sort_are_left_out(user):
    form = _forms(user, "q=ada&sort=no-such-sort")["contacts"]
    assert form.cleaned_or_empty() == {"q": "ada"}
