from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import health


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
