from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from apps.core import devmail, health


@never_cache
@require_GET
def healthz(request):
    results = health.readiness()
    ok = all(passed for passed, _ in results.values())
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            **{name: detail for name, (_, detail) in results.items()},
        },
        status=200 if ok else 503,
    )


# The colour of the top bar and of the icon's square (app.css --primary).
THEME_COLOR = "#4f46e5"


@require_GET
@cache_control(max_age=86400, public=True)
def web_manifest(request):
    """Installable as an app: a view, not a static file, so icon URLs follow the static storage
    (hashed names in production)."""
    manifest = {
        "name": "Followthrough",
        "short_name": "Followthrough",
        "description": "A networking CRM for job seekers: log, follow up, see what led to offers.",
        "start_url": reverse("reminders:today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7fb",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static(f"img/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in (192, 512)
        ],
        # The phone's share sheet sends a page to the capture page, which only previews a GET.
        # A URL name, not an import: core stays below the capture app.
        "share_target": {
            "action": reverse("capture:start"),
            "method": "GET",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


@never_cache
@require_GET
def dev_mail(request):
    """The newest emails this development server wrote to files (404 anywhere else)."""
    if devmail.folder() is None:
        raise Http404("Mail is not written to files here.")
    context = {"mails": devmail.newest(), "folder": devmail.folder()}
    return render(request, "core/dev_mail.html", context)
