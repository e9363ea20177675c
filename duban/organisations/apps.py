from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "duban.organisations"
    verbose_name = "单位与人员"

    def ready(self):
        from duban.audit.recorder import track

        from .models import Organisation, Person

        track(Organisation)
        track(Person)
