from django.urls import path

from apps.insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.insights, name="index"),
    path("insights/opportunities/", views.opportunities, name="opportunities"),
    path("insights/interactions/", views.interactions, name="interactions"),
    path("insights/contacts/", views.contacts, name="contacts"),
    path("insights/follow-ups/", views.follow_ups, name="follow_ups"),
]
