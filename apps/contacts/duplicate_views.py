"""Suggested duplicates: the list, the side-by-side merge, and "not the same"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.contacts import duplicates, services
from apps.contacts.forms import FieldMergeForm
from apps.contacts.models import Contact
from apps.core.http import owned_or_404


def _pair(request, first, second):
    if first == second:
        raise Http404("Two different contacts are needed.")
    queryset = Contact.objects.select_related("organization")
    return owned_or_404(queryset, request.user, first), owned_or_404(queryset, request.user, second)


@login_required
@require_GET
def duplicate_list(request):
    pairs = duplicates.suggested_pairs(user=request.user)
    return render(request, "contacts/duplicates.html", {"pairs": pairs})


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_compare(request, first, second):
    first, second = _pair(request, first, second)
    form = FieldMergeForm(request.POST or None, first=first, second=second)
    if request.method == "POST" and form.is_valid():
        arguments = form.merge_arguments()
        other_name = arguments["other"].full_name
        try:
            survivor = services.merge_choosing(owner=request.user, **arguments)
        except services.DuplicateContactError as error:
            form.add_error(None, f"{error.existing.full_name} already has that {error.field}.")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{other_name} merged into {survivor.full_name}.")
            return redirect(survivor)
    context = {"first": first, "second": second, "form": form}
    return render(
        request, "contacts/duplicate_compare.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def duplicate_not_same(request, first, second):
    first, second = _pair(request, first, second)
    services.mark_not_duplicate(owner=request.user, contacts=[first, second])
    messages.success(
        request, f"Noted: {first.full_name} and {second.full_name} are different people."
    )
    return redirect("contacts:duplicates")
