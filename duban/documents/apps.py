from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "duban.documents"
    verbose_name = "来源文件"

    def ready(self):
        from duban.audit.recorder import track

        from .models import SourceDocument

        track(SourceDocument)
