"""The product's URLs plus a hello-world view: the ceiling every page is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [path("bench/hello/", hello), path("", include("config.urls"))]
