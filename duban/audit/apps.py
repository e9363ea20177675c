from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "duban.audit"
    verbose_name = "留痕记录"

    def ready(self):
        from . import accounts

        accounts.connect()
