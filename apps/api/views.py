from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.api import problems, selectors, services
from apps.api.forms import TokenForm
from apps.api.models import ApiToken
from apps.core.http import owned_or_404


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = services.create_token(owner=request.user, **form.cleaned_data)
        # The secret is in this response only; a reload shows the list without it.
        form = TokenForm()
    context = {"form": form, "tokens": selectors.owner_tokens(request.user), "secret": secret}
    return render(request, "api/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def revoke(request, pk):
    token = owned_or_404(ApiToken, request.user, pk)
    services.revoke_token(owner=request.user, token=token)
    messages.success(request, f"Revoked “{token.name}”: it no longer opens the API.")
    return redirect("api:tokens")


def unknown_endpoint(request):
    """Any /api/v1/ address the API does not have: a problem document, like every API error,
    not the web pages' HTML 404 (API clients read JSON)."""
    return problems.response(404, f"There is no API endpoint at {request.path}.")
