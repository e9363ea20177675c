from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "duban.supervision"
    verbose_name = "督办流程"

    def ready(self):
        from duban.audit.recorder import track

        from .models import (
            Contribution,
            DeadlineExtension,
            Instruction,
            ReportingRound,
            RoundDispatch,
            UnitChannel,
        )

        track(Contribution)
        track(DeadlineExtension)
        track(Instruction)
        track(UnitChannel)
        track(ReportingRound)
        track(RoundDispatch)
