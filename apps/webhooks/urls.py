from django.urls import path

from apps.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.endpoints, name="endpoints"),
    path("settings/webhooks/<int:pk>/test/", views.send_test, name="test"),
    path("settings/webhooks/<int:pk>/rotate/", views.rotate, name="rotate"),
    path("settings/webhooks/<int:pk>/pause/", views.pause, name="pause"),
    path("settings/webhooks/<int:pk>/delete/", views.delete, name="delete"),
    path("settings/webhooks/deliveries/<int:pk>/redeliver/", views.redeliver, name="redeliver"),
]
