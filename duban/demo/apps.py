from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "duban.demo"
    verbose_name = "演示数据"
