import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from duban.organisations.models import Organisation, Person


class Office(models.Model):
    """The office this installation serves (本单位), chosen once by the first-run setup.

    One row (its primary key is always 1): the office's own unit, whose name and level the
    setup asked for. Bulletins speak in its name unless DUBAN_OFFICE_NAME says otherwise. A
    row of its own rather than a flag on Organisation: a unit does not change by being the
    office, there is exactly one office, and the units' table stays the other apps' business."""

    SINGLETON = 1

    organisation = models.OneToOneField(
        Organisation, verbose_name="本单位", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "本单位设置"
        verbose_name_plural = "本单位设置"

    def __str__(self):
        return self.organisation.name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return self.organisation.name

    @classmethod
    def current(cls) -> "Office | None":
        return cls.objects.select_related("organisation").filter(pk=cls.SINGLETON).first()


def hash_nonce(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


class Invitation(models.Model):
    """A one-time link that lets a person set their own password (and choose a user name when
    they have no account yet). The link carries the invitation's id and a random nonce, signed
    with a timestamp (see `duban.accounts.invitations`); only the nonce's hash is stored, so
    the link is shown once, when it is made. Used, revoked (a newer invitation for the same
    person) or past `expires_at`, it changes nothing."""

    class Channel(models.TextChoices):
        EMAIL = "email", "电子邮件"
        LINK = "link", "打印链接"

    person = models.ForeignKey(
        Person, verbose_name="被邀请人", on_delete=models.CASCADE, related_name="invitations"
    )
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    sent_to = models.EmailField("发送至", blank=True)
    nonce_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="邀请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("邀请时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    audit_exclude = ("nonce_hash",)

    class Meta:
        verbose_name = "账号邀请"
        verbose_name_plural = "账号邀请"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.person.name}的账号邀请"

    def is_pending(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
