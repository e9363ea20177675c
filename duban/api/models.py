import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

TOKEN_MARK = "duban_"
# Recording when a token was last used costs a write; once a minute is precise enough.
LAST_USED_RESOLUTION = 60


def digest(secret: str) -> str:
    """Tokens are long random strings, so a plain SHA-256 is enough to keep only a hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token (`Authorization: Bearer <token>`): it acts as its user, with the
    user's permissions. Only a hash of the secret is kept; the secret is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField("用途", max_length=100, blank=True, help_text="如 OA 门户")
    key_prefix = models.CharField("令牌开头", max_length=16, editable=False)
    secret_hash = models.CharField("令牌摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)
    revoked = models.BooleanField("已撤销", default=False)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    audit_exclude = ("secret_hash", "last_used_at")

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name or 'API 令牌'}（{self.key_prefix}…）"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """A new token for `user`, and its secret: the only time the secret is known."""
        secret = TOKEN_MARK + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_prefix=secret[:12], secret_hash=digest(secret)
        )
        return token, secret

    @classmethod
    def user_for(cls, secret: str):
        """The active user a secret belongs to, or None if it is unknown or revoked."""
        if not secret or not secret.startswith(TOKEN_MARK):
            return None
        token = (
            cls.objects.select_related("user")
            .filter(secret_hash=digest(secret), revoked=False, user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION
        ):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def revoke(self):
        if self.revoked:
            return
        self.revoked = True
        self.revoked_at = timezone.now()
        self._audit_transition = "撤销 API 令牌"
        self.save()
