from django.urls import path

from apps.portability import views

app_name = "portability"

urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/columns/", views.import_columns, name="import_columns"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("import/<int:pk>/errors.csv", views.import_errors_csv, name="import_errors_csv"),
    path("export/", views.export_page, name="export"),
    path("export/account.zip", views.export_account, name="export_account"),
    path("export/contacts.csv", views.export_contacts_csv, name="export_contacts_csv"),
]
