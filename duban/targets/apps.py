from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "duban.targets"
    verbose_name = "目标任务"

    def ready(self):
        from django.db.models.signals import m2m_changed

        from duban.audit.recorder import track

        from . import models

        for model in (
            models.Target,
            models.Milestone,
            models.ProgressReport,
            models.Evidence,
            models.Indicator,
        ):
            track(model)
        m2m_changed.connect(
            _refresh_search_text,
            sender=models.Target.co_units.through,
            dispatch_uid="duban-target-co-units-search",
        )


def _refresh_search_text(sender, instance, action, **kwargs):
    """Co-unit names are searchable too; keep the denormalised text in step with them."""
    from .models import Target

    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Target):
        Target.objects.filter(pk=instance.pk).update(search_text=instance.build_search_text())
