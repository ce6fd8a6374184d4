"""Building blocks every owned model uses."""

from django.conf import settings
from django.db import models


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user):
        # Every read starts here: another user's id is simply not found.
        return self.filter(owner=user)


class OwnedModel(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=True
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True
