from apps.accounts.models import User, new_calendar_token


def update_settings(*, user: User, form) -> User:
    form.save()
    return user


def regenerate_calendar_token(*, user: User) -> str:
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
