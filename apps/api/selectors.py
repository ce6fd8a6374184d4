from apps.api.models import ApiToken


def owner_tokens(user):
    """The user's tokens, live ones first."""
    return ApiToken.objects.owned_by(user).order_by("revoked_at", "-created_at", "-pk")
