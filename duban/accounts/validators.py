"""Password validators with Chinese messages.

Django 5.2 changed the minimum-length message (its msgid now has ``%d`` where it had
``%(min_length)d``) and its zh-hans catalogue still has only the old string, so that one
message came out in English. The other validators' messages are translated by Django."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                self.get_error_message(),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
