"""What a tracked model declares about its trail (see `recorder`)."""


class OnTargetTimeline:
    """A model whose trail belongs on its target's timeline: the target is its `target`
    field. (A plain mixin: it adds no field and no migration.)"""

    @property
    def audit_target_id(self):
        return self.target_id
