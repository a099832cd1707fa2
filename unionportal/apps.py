from django.apps import AppConfig


class UnionportalConfig(AppConfig):
    name = "unionportal"
    verbose_name = "乡镇与用户"
