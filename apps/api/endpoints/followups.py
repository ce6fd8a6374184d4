from ninja import Query, Router
from ninja.pagination import paginate

from apps.api import auth, formdata
from apps.api.endpoints import ERRORS, WRITE_ERRORS, Page
from apps.api.problems import Problem, invalid
from apps.api.schemas import FollowUpFilters, FollowUpOut, SnoozeIn
from apps.core.http import owned_or_404
from apps.reminders import selectors, services
from apps.reminders.forms import FollowUpFilterForm, SnoozeForm
from apps.reminders.models import FollowUp

router = Router(tags=["follow-ups"])


def _read(user, pk) -> FollowUp:
    return owned_or_404(FollowUp.objects.select_related("contact"), user, pk)


@router.get("", response={200: list[FollowUpOut], **ERRORS}, auth=auth.read)
@paginate(Page)
def list_follow_ups(request, filters: Query[FollowUpFilters]):
    """Open follow-ups, soonest first. `due=today` lists the overdue and today's."""
    data = {k: v for k, v in filters.dict().items() if v not in (None, "") and k != "due"}
    if filters.due == "today":
        data["due_to"] = request.user.local_now().date()
    elif filters.due:
        raise Problem(422, 'due can only be "today".', errors=[{"field": "due", "detail": "today"}])
    form = FollowUpFilterForm(data, user=request.user)
    if not form.is_valid():
        raise invalid(form)
    return selectors.followup_queryset(request.user, filters=form.cleaned_or_empty())


@router.get("/{int:follow_up_id}", response={200: FollowUpOut, **ERRORS}, auth=auth.read)
def read_follow_up(request, follow_up_id: int):
    return _read(request.user, follow_up_id)


@router.post(
    "/{int:follow_up_id}/done", response={200: FollowUpOut, **WRITE_ERRORS}, auth=auth.write
)
def complete_follow_up(request, follow_up_id: int):
    follow_up = _read(request.user, follow_up_id)
    services.complete_follow_up(owner=request.user, follow_up=follow_up)
    return _read(request.user, follow_up_id)


@router.post(
    "/{int:follow_up_id}/snooze", response={200: FollowUpOut, **WRITE_ERRORS}, auth=auth.write
)
def snooze_follow_up(request, follow_up_id: int, payload: SnoozeIn):
    """Move it 1, 3 or 7 days on (keeping its local time), or to a date."""
    follow_up = _read(request.user, follow_up_id)
    form = formdata.bind(SnoozeForm, payload.dict(), user=request.user)
    if not form.is_valid():
        raise invalid(form)
    try:
        services.snooze_follow_up(
            owner=request.user,
            follow_up=follow_up,
            days=form.cleaned_data.get("days") or None,
            until=form.cleaned_data.get("date"),
        )
    except services.FollowUpError as error:
        raise Problem(422, str(error)) from None
    return _read(request.user, follow_up_id)
