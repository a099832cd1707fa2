from django.urls import path

from members import workbook_views

app_name = "workbook"
urlpatterns = [
    path("", workbook_views.upload, name="upload"),
    path("template/", workbook_views.template_download, name="template"),
    path("confirm/", workbook_views.confirm, name="confirm"),
    path("export/", workbook_views.export, name="export"),
]
