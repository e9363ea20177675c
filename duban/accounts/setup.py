"""The first run: on a database without any account, the office names itself and its first
staff account, on the setup page or with `duban setup`. Both fill in `SetupForm`."""

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from duban.audit.models import AuditEvent
from duban.audit.recorder import record
from duban.organisations.models import Organisation, Person, normalise_name

from .models import Office

PHONE = re.compile(r"^[0-9+\-－—()（） ]{7,30}$")
PHONE_MESSAGE = "请填写正确的联系电话，如 13800000000 或 0533-1234567。"

LEVEL_WORDS = {
    "省级": Organisation.Level.PROVINCE,
    "省": Organisation.Level.PROVINCE,
    "province": Organisation.Level.PROVINCE,
    "市级": Organisation.Level.CITY,
    "市": Organisation.Level.CITY,
    "city": Organisation.Level.CITY,
    "县级": Organisation.Level.COUNTY,
    "县": Organisation.Level.COUNTY,
    "区县": Organisation.Level.COUNTY,
    "county": Organisation.Level.COUNTY,
}


class SetupRefused(Exception):
    """The database already has an account: the setup has been done."""

    message = "系统已完成初始设置（已有账号），请直接登录。"


def needs_setup() -> bool:
    return not get_user_model()._default_manager.exists()


def parse_level(value) -> int | None:
    """省级/市级/县级, province/city/county, or 1/2/3."""
    text = str(value or "").strip().lower()
    if text in LEVEL_WORDS:
        return int(LEVEL_WORDS[text])
    if text.isdigit() and int(text) in Organisation.Level.values:
        return int(text)
    return None


def email_owner(email: str, *, person: Person | None = None, user=None) -> str | None:
    """Who else uses this e-mail address (a person or an account), as a phrase; None if nobody.
    An address must lead to one person: password reset sends its link there."""
    if not email:
        return None
    others = Person.objects.filter(email__iexact=email)
    if person is not None and person.pk:
        others = others.exclude(pk=person.pk)
    other = others.first()
    if other is not None:
        return f"人员「{other.name}」"
    accounts = get_user_model()._default_manager.filter(email__iexact=email)
    if user is not None and user.pk:
        accounts = accounts.exclude(pk=user.pk)
    if person is not None and person.user_id:
        accounts = accounts.exclude(pk=person.user_id)
    account = accounts.first()
    if account is not None:
        return f"账号「{account.get_username()}」"
    return None


def check_password_pair(form, first="password1", second="password2", *, user=None):
    """Both entries equal and acceptable to Django's validators, errors on the fields."""
    password1 = form.cleaned_data.get(first)
    password2 = form.cleaned_data.get(second)
    if password1 and password2 and password1 != password2:
        form.add_error(second, "两次输入的密码不一致。")
        return
    if password1:
        try:
            password_validation.validate_password(password1, user=user)
        except ValidationError as error:
            form.add_error(first, error)


class SetupForm(forms.Form):
    office_name = forms.CharField(
        label="本单位名称",
        max_length=100,
        help_text="全称，如 青溪市科学技术局；通报等材料以此名义印发。",
    )
    short_name = forms.CharField(
        label="简称",
        max_length=50,
        required=False,
        help_text="文件中常用的简称，如 市科技局；导入文件时据此认出本单位。",
    )
    level = forms.TypedChoiceField(
        label="层级", choices=[("", "请选择"), *Organisation.Level.choices], coerce=int
    )
    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="登录时使用，可用字母、数字和 @ . + - _。",
    )
    name = forms.CharField(label="姓名", max_length=50)
    title = forms.CharField(label="职务", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, help_text="印在台账的联系人一栏。")
    email = forms.EmailField(label="电子邮箱", help_text="用于找回密码和接收提醒。")
    password1 = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput)
    is_superuser = forms.BooleanField(
        label="同时设为系统管理员",
        required=False,
        help_text="系统管理员可进入管理后台直接更正数据；日常督办工作不需要。",
    )

    def clean_office_name(self):
        return normalise_name(self.cleaned_data["office_name"])

    def clean_short_name(self):
        return normalise_name(self.cleaned_data["short_name"])

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用。")
        return username

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("请填写姓名。")
        return name

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE.match(phone):
            raise ValidationError(PHONE_MESSAGE)
        return phone

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        office_name, short_name = data.get("office_name"), data.get("short_name")
        # A unit a document import created before the setup (`duban import` needs no account)
        # is the office's own unit when it bears the office's name or short name.
        by_name = (
            Organisation.objects.filter(name=office_name).first()
            or Organisation.find_by_name(office_name)
            if office_name
            else None
        )
        by_short = Organisation.find_by_name(short_name) if short_name else None
        if by_name is not None and by_short is not None and by_name != by_short:
            self.add_error("short_name", f"简称「{short_name}」已用于单位「{by_short.name}」。")
        unit = by_name or by_short
        self.existing_unit = unit
        self.existing_person = None
        if unit is not None and data.get("name"):
            self.existing_person = Person.objects.filter(
                name=data["name"], organisation=unit, role=Person.Role.OFFICE, user=None
            ).first()
        owner = email_owner(data.get("email"), person=self.existing_person)
        if owner:
            self.add_error("email", f"该邮箱已被{owner}使用。")
        user = get_user_model()(
            username=data.get("username", ""),
            first_name=data.get("name", ""),
            email=data.get("email", ""),
        )
        check_password_pair(self, user=user)
        return data

    @transaction.atomic
    def save(self) -> tuple[Office, Person, object]:
        """The office's unit, the office row, the account and its person, all or nothing."""
        if not needs_setup():
            raise SetupRefused
        data = self.cleaned_data
        unit = None
        if self.existing_unit is not None:
            unit = Organisation.objects.select_for_update().filter(pk=self.existing_unit.pk).first()
        if unit is None:
            kind = (
                Organisation.Kind.GOVERNMENT
                if data["office_name"].endswith("人民政府")
                else Organisation.Kind.DEPARTMENT
            )
            unit = Organisation.objects.create(
                name=data["office_name"],
                short_name=data["short_name"],
                level=data["level"],
                kind=kind,
            )
        else:
            if unit.name != data["office_name"]:
                # The name a document gave it stays a spelling the next import recognises.
                unit.aliases = "\n".join(filter(None, [unit.aliases.strip(), unit.name]))
                unit.name = data["office_name"]
            unit.level = data["level"]
            if data["short_name"] and data["short_name"] != unit.short_name:
                if unit.short_name:
                    unit.aliases = "\n".join(filter(None, [unit.aliases.strip(), unit.short_name]))
                unit.short_name = data["short_name"]
            unit.is_active = True
            unit.save()
        office = Office.current()
        if office is None:
            office = Office(organisation=unit)
        office.organisation = unit
        office.save()

        user = get_user_model()(
            username=data["username"],
            first_name=data["name"],
            email=data["email"],
            is_staff=data["is_superuser"],
            is_superuser=data["is_superuser"],
        )
        user.set_password(data["password1"])
        user.save()

        person = Person.objects.filter(
            name=data["name"], organisation=unit, role=Person.Role.OFFICE, user=None
        ).first() or Person(name=data["name"], organisation=unit, role=Person.Role.OFFICE)
        person.user = user
        person.title = data["title"] or person.title
        person.phone = data["phone"]
        person.email = data["email"]
        person.is_active = True
        person.save()
        record(
            office,
            AuditEvent.Action.NOTICE,
            after={"本单位": unit.name, "层级": unit.get_level_display(), "督查员": user.username},
            summary="完成初始设置",
        )
        return office, person, user
