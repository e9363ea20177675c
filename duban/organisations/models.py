import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Unit names are split across lines by table exports (市人力资源社会\\n保障局)."""
    return _SPACES.sub("", name or "")


class Organisation(models.Model):
    """A unit (单位): a government, a department, a bureau, a county government."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "市级"
        COUNTY = 3, "县级"

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府"
        DEPARTMENT = "department", "政府部门"
        OFFICE = "office", "内设机构"
        OTHER = "other", "其他单位"

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    aliases = models.TextField(
        "其他写法", blank=True, help_text="文件中可能出现的其他名称，每行一个，用于导入时识别单位"
    )
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices, default=Level.CITY)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["level", "sort_order", "name"]

    def __str__(self):
        return self.short_name or self.name

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.level > self.level:
            raise ValidationError({"parent": "上级单位的层级不能低于本单位"})
        node, seen = self.parent, set()
        while node is not None:
            if node.pk == self.pk or node.pk in seen:
                raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})
            seen.add(node.pk)
            node = node.parent

    def names(self) -> set[str]:
        """Every spelling by which a document may name this unit."""
        spellings = {self.name, self.short_name, *self.aliases.splitlines()}
        return {normalise_name(s) for s in spellings if s and s.strip()}

    def ancestors(self) -> list["Organisation"]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        ids, frontier = set(), [self.pk]
        while frontier:
            children = list(
                Organisation.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            frontier = [c for c in children if c not in ids]
            ids.update(frontier)
        return ids

    @classmethod
    def find_by_name(cls, name: str) -> "Organisation | None":
        """The unit a document names, whichever spelling it uses; None if unknown."""
        wanted = normalise_name(name)
        if not wanted:
            return None
        exact = cls.objects.filter(
            models.Q(name=wanted) | models.Q(short_name=wanted), is_active=True
        ).first()
        if exact is not None:
            return exact
        for org in cls.objects.filter(is_active=True):
            if wanted in org.names():
                return org
        return None


class Person(models.Model):
    """Someone who acts in the loop: office staff, a unit's reporter, or a leader in charge."""

    class Role(models.TextChoices):
        OFFICE = "office", "督查员"
        UNIT = "unit", "单位填报员"
        LEADER = "leader", "分管领导"

    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职务", max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所在单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.UNIT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    phone = models.CharField("电话", max_length=40, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "organisation", "role"], name="person_unique_in_role"
            )
        ]

    def __str__(self):
        return f"{self.name}（{self.title}）" if self.title else self.name

    def clean(self):
        if self.role == self.Role.UNIT and self.organisation_id is None:
            raise ValidationError({"organisation": "单位填报员必须属于一个单位"})


def person_of(user) -> Person | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def is_office_staff(user) -> bool:
    """Office staff (督查员) see and supervise everything."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    person = person_of(user)
    return person is not None and person.role == Person.Role.OFFICE
