"""The product's URLs plus a hello-world page, the yardstick the benchmarks divide by."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


@login_required
def hello(request):
    # The same middleware, session and user load as a real page, and nothing else.
    return HttpResponse(f"hello {request.user.pk}")


urlpatterns = [path("bench-hello/", hello), path("", include("config.urls"))]
