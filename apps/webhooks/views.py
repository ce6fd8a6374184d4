from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from apps.core.http import owned_or_404
from apps.webhooks import selectors, services
from apps.webhooks.forms import EndpointForm
from apps.webhooks.models import Endpoint, WebhookDelivery


def _back(endpoint=None):
    response = redirect("webhooks:endpoints")
    if endpoint is not None:
        response["Location"] += f"#endpoint-{endpoint.pk}"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def endpoints(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.create_endpoint(owner=request.user, **form.cleaned_data)
        messages.success(
            request, "Endpoint added. Copy its signing secret below to check each request."
        )
        return _back(endpoint)
    context = {"form": form, "endpoints": selectors.endpoints_with_recent(request.user)}
    return render(request, "webhooks/endpoints.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def send_test(request, pk):
    endpoint = owned_or_404(Endpoint, request.user, pk)
    services.send_test(owner=request.user, endpoint=endpoint)
    messages.success(request, f"A test event is on its way to {endpoint.url}.")
    return _back(endpoint)


@login_required
@require_POST
def rotate(request, pk):
    endpoint = owned_or_404(Endpoint, request.user, pk)
    services.rotate_secret(owner=request.user, endpoint=endpoint)
    messages.success(
        request, "New signing secret made: requests from now on are signed with it only."
    )
    return _back(endpoint)


@login_required
@require_POST
def pause(request, pk):
    endpoint = owned_or_404(Endpoint, request.user, pk)
    endpoint = services.update_endpoint(
        owner=request.user, endpoint=endpoint, active=not endpoint.active
    )
    state = "resumed" if endpoint.active else "paused: events are not sent to it"
    messages.success(request, f"{endpoint.url} {state}.")
    return _back(endpoint)


@login_required
@require_POST
def delete(request, pk):
    endpoint = owned_or_404(Endpoint, request.user, pk)
    services.delete_endpoint(owner=request.user, endpoint=endpoint)
    messages.success(request, f"Removed {endpoint.url}: it gets no more events.")
    return _back()


@login_required
@require_POST
def redeliver(request, pk):
    delivery = owned_or_404(WebhookDelivery, request.user, pk)
    if services.redeliver(owner=request.user, delivery=delivery):
        messages.success(request, "Sending it again.")
    else:
        messages.info(request, "That delivery is not failed; nothing to send again.")
    return redirect("webhooks:endpoints")
