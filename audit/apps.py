from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "个人信息访问日志"
