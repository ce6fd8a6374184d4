from django.db import models

from apps.core.models import OwnedModel


class Scope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiToken(OwnedModel):
    """A personal access token. Only the SHA-256 of the secret is stored: a leaked database
    gives no working token, and the secret is shown once, when it is made."""

    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    # The first characters of the secret, so the user can tell tokens apart in the list.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"
        indexes = [models.Index(fields=["owner", "revoked_at"])]

    # A credential, not the user's records: its fingerprint never leaves the server, not even in
    # the account export (the export also lists models that opt out this way).
    in_account_export = False

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == Scope.WRITE
