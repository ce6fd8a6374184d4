"""Writes outside importing: deleting an account."""

from django.db import transaction


@transaction.atomic
def delete_account(*, user) -> None:
    """Every owned row goes with the user: each owned model's `owner` cascades."""
    user.delete()
