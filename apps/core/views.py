from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import health


@never_cache
@require_GET
def healthz(request):
    db_ok, db_detail = health.database_ok()
    broker_ok, broker_detail = health.broker_ok()
    ok = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "database": db_detail,
            "broker": broker_detail,
        },
        status=200 if ok else 503,
    )
