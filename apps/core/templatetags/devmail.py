from django import template
from django.urls import reverse

from apps.core import devmail

register = template.Library()


@register.simple_tag
def dev_mailbox_url() -> str:
    """The development mailbox's address when this server writes mail to files, else ""."""
    return reverse("core:dev_mail") if devmail.folder() is not None else ""
