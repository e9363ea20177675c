from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "duban.targets"
    verbose_name = "目标任务"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete

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
        post_delete.connect(
            _remove_evidence_file, sender=models.Evidence, dispatch_uid="duban-evidence-file"
        )
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


def _remove_evidence_file(sender, instance, using, **kwargs):
    """An evidence row deleted (alone or with its report or target) takes its file with it.

    Only once the deletion is committed, so a rolled-back deletion keeps the file; and only when
    no other row names the same file.
    """
    from django.db import transaction

    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage

    def remove():
        if not sender.objects.using(using).filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(remove, using=using)
