import logging

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template import loader

from duban.audit.models import AuditEvent
from duban.audit.recorder import record

from .models import Invitation
from .setup import check_password_pair, email_owner

logger = logging.getLogger("django.contrib.auth")


class AcceptInvitationForm(forms.Form):
    """A user name (only when the person has no account yet) and the password, twice."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="登录时使用，可用字母、数字和 @ . + - _。",
    )
    password1 = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="确认密码", strip=False, widget=forms.PasswordInput)

    def __init__(self, invitation: Invitation, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.person = invitation.person
        if self.person.user is not None:
            del self.fields["username"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用，请换一个。")
        return username

    def clean(self):
        data = super().clean()
        owner = email_owner(self.person.email, person=self.person)
        if owner:
            raise ValidationError(
                f"您登记的邮箱 {self.person.email} 已被{owner}使用，请联系督查员核对。"
            )
        user = self.person.user or get_user_model()(
            username=data.get("username", ""), first_name=self.person.name, email=self.person.email
        )
        check_password_pair(self, user=user)
        return data


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form; each message sent (or refused by the server) is in the account's trail.
    The page says the same whether or not the address has an account."""

    email = forms.EmailField(label="电子邮箱", max_length=254)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from duban.supervision.notifications import describe_error

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        user = context["user"]
        try:
            EmailMessage(subject, body, from_email, [to_email]).send()
        except Exception as exc:  # refused, timed out: the page must not tell
            logger.exception("Failed to send password reset email to %s", user.pk)
            summary = f"重设密码邮件未能发出（{describe_error(exc)}）"
        else:
            summary = "发送重设密码邮件"
        record(user, AuditEvent.Action.NOTICE, after={"发送至": to_email}, summary=summary)


class SetPasswordForm(DjangoSetPasswordForm):
    """Django's form, with the product's words and the mismatch message of the other forms."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "确认新密码"
