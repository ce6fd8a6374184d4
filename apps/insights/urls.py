from django.urls import path

from apps.insights import views

urlpatterns = [
    path("insights/", views.insights, name="insights"),
    path("insights/opportunities/", views.opportunities, name="insights_opportunities"),
    path("insights/interactions/", views.interactions, name="insights_interactions"),
    path("insights/contacts/", views.contacts, name="insights_contacts"),
    path("insights/follow-ups/", views.follow_ups, name="insights_follow_ups"),
]
