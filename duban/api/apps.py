from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "duban.api"
    verbose_name = "数据接口"

    def ready(self):
        from duban.audit.recorder import track

        from .models import ApiToken

        track(ApiToken)
