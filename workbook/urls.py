from django.urls import path

from workbook import views

app_name = "workbook"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/", views.template_download, name="template"),
    path("confirm/", views.confirm, name="confirm"),
    path("export/", views.export, name="export"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/download/", views.import_download, name="import_download"),
]
