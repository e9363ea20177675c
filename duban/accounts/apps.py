from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "duban.accounts"
    verbose_name = "账号与初始设置"

    def ready(self):
        from duban.audit.recorder import track

        from .models import Invitation, Office

        track(Office)
        track(Invitation)
