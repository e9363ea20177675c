"""The units' group robots (单位群机器人), configured by office staff: the list, adding,
changing, removing and a test message. Every change is in the trail (the signing secret's
value never is, the address only masked: both are stored encrypted). Anyone else is refused
with 403 and nothing is written."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from duban.organisations.models import Organisation, is_office_staff
from duban.web.encrypted import Unreadable

from . import channels
from .models import ChannelDelivery, UnitChannel
from .views import _refused

REFUSAL = "只有督查员可以配置单位的企业微信、钉钉群机器人。"


KEEP_HELP = "留空则不修改"


class ChannelForm(forms.ModelForm):
    """Adding or changing a channel. The address's key and the signing secret are stored
    encrypted and never shown again: when changing a channel they are shown masked, and left
    blank they stay as they are (the secret is removed with 清除加签密钥)."""

    clear_secret = forms.BooleanField(label="清除加签密钥", required=False)

    class Meta:
        model = UnitChannel
        fields = ["unit", "kind", "name", "url", "secret", "enabled"]
        widgets = {
            "url": forms.TextInput(attrs={"size": 80, "autocomplete": "off"}),
            "secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "unit": {"required": "请选择单位"},
            "kind": {"required": "请选择群机器人类型（企业微信或钉钉）"},
            "url": {"required": "请填写群机器人的 Webhook 地址"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(is_active=True)
        self.editing = self.instance.pk is not None
        self.stored = (self.instance.url, self.instance.secret) if self.editing else ("", "")
        if self.editing:
            self.initial["url"] = ""
            self.initial["secret"] = ""
            url = self.fields["url"]
            url.required = False
            url.help_text = f"当前：{self.instance.masked_url}。{KEEP_HELP}"
            secret = self.fields["secret"]
            if self.instance.secret or isinstance(self.instance.secret, Unreadable):
                secret.help_text = f"当前：{self.instance.masked_secret}。{KEEP_HELP}"
        else:
            del self.fields["clear_secret"]

    def clean(self):
        data = super().clean()
        if self.editing:
            url, secret = self.stored
            if not (data.get("url") or "").strip():
                if isinstance(url, Unreadable):
                    self.add_error("url", f"已保存的地址{Unreadable.reason}")
                data["url"] = url
            if data.get("clear_secret"):
                data["secret"] = ""
            elif not (data.get("secret") or "").strip():
                if isinstance(secret, Unreadable):
                    self.add_error("secret", f"已保存的加签密钥{Unreadable.reason}，或勾选清除")
                data["secret"] = secret
        return data


def office_only(view):
    def wrapper(request, *args, **kwargs):
        if not is_office_staff(request.user):
            return _refused(request, 403, "无权操作", REFUSAL)
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return login_required(wrapper)


def _page(request, form, channel=None, status=200):
    rows = UnitChannel.objects.select_related("unit").order_by("unit__name", "kind", "pk")
    recent = ChannelDelivery.objects.select_related("channel__unit").order_by("-created_at", "-pk")[
        :20
    ]
    return render(
        request,
        "supervision/channels.html",
        {"channels": rows, "form": form, "editing": channel, "recent": recent},
        status=status,
    )


@office_only
def channel_list(request):
    """GET: the list and an empty form; POST: add a channel."""
    if request.method == "POST":
        form = ChannelForm(request.POST)
        if form.is_valid():
            channel = form.save()
            messages.success(request, f"已添加群机器人：{channel}")
            return redirect("supervision:channels")
        return _page(request, form, status=400)
    return _page(request, ChannelForm())


@office_only
def channel_edit(request, pk):
    channel = get_object_or_404(UnitChannel, pk=pk)
    if request.method == "POST":
        form = ChannelForm(request.POST, instance=channel)
        if form.is_valid():
            form.save()
            messages.success(request, f"已保存群机器人：{channel}")
            return redirect("supervision:channels")
        return _page(request, form, channel, status=400)
    return _page(request, ChannelForm(instance=channel), channel)


@require_POST
@office_only
def channel_delete(request, pk):
    channel = get_object_or_404(UnitChannel, pk=pk)
    name = str(channel)
    channel.delete()
    messages.success(request, f"已删除群机器人：{name}")
    return redirect("supervision:channels")


@require_POST
@office_only
def channel_test(request, pk):
    """Posts a test message at once (not through the outbox) and says what the robot said."""
    channel = get_object_or_404(UnitChannel.objects.select_related("unit"), pk=pk)
    error = channels.post(channel, f"【督办】测试消息：{channel}已接入督查督办系统。")
    if error:
        messages.error(request, f"测试消息发送失败：{error}")
    else:
        messages.success(request, f"测试消息已发送到{channel}")
    return redirect("supervision:channels")
