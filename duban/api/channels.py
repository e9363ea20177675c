"""Units' group robots (单位群机器人, WeCom and DingTalk webhooks) over the API: list, add,
change (and disable with `enabled: false`), remove, send a test message, and read what was
sent. As on the page /channels/, only office staff may (403 for everyone else, before
anything is looked up or written); the address rules are the model's (400 with the field).

The webhook address's key and the signing secret are stored encrypted and never sent back:
answers carry `url_masked` and `secret_masked`. In a change, a field left out is kept;
`secret: ""` removes the secret."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from ninja import Query, Schema
from pydantic import Field

from duban.organisations.models import Organisation, is_office_staff
from duban.supervision import channels
from duban.supervision.channel_views import REFUSAL
from duban.supervision.models import ChannelDelivery, UnitChannel
from duban.web.encrypted import Unreadable

from .api import page_of, refusals
from .auth import CallerRouter
from .schemas import MAX_PAGE, Checked, Id, Input, UnitRef, _text

router = CallerRouter()
CHANNEL_NOT_FOUND = "没有找到这个群机器人"
Kind = Literal["wecom", "dingtalk"]


# --- schemas ------------------------------------------------------------------------------


class ChannelOut(Schema):
    id: int
    unit: UnitRef
    kind: str = Field(description="wecom 企业微信群机器人 / dingtalk 钉钉群机器人")
    kind_label: str
    name: str
    url_masked: str = Field(description="Webhook 地址，密钥只显示首尾几位")
    has_secret: bool = Field(description="设置了钉钉加签密钥")
    secret_masked: str
    readable: bool = Field(description="地址和密钥能用现在的系统密钥解密；否则须重新填写")
    enabled: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_url_masked(obj):
        return obj.masked_url

    @staticmethod
    def resolve_has_secret(obj):
        return bool(obj.secret)

    @staticmethod
    def resolve_secret_masked(obj):
        return obj.masked_secret

    @staticmethod
    def resolve_readable(obj):
        return not obj.unreadable


class ChannelIn(Input):
    unit: Id | None = Field(None, description="单位编号（必填）")
    kind: Kind | None = Field(None, description="wecom 企业微信 / dingtalk 钉钉（必填）")
    name: _text(50) = Field("", description="群名称，如 市科技局督办工作群")
    url: _text(500) = Field("", description="群机器人设置中复制的 Webhook 地址（必填）")
    secret: _text(200) = Field("", description="仅钉钉：加签密钥（SEC 开头）")
    enabled: bool = True


class ChannelPatch(Input):
    unit: Id | None = None
    kind: Kind | None = None
    name: _text(50) | None = None
    url: _text(500) | None = Field(None, description="不传则不修改")
    secret: _text(200) | None = Field(None, description="不传则不修改；传空字符串则清除")
    enabled: bool | None = Field(None, description="false 停用：保留配置，不再发送")


class ChannelFilters(Checked):
    unit: Id | None = Field(None, description="只列出该单位的群机器人")
    enabled: bool | None = None


class DeliveryOut(Schema):
    id: int
    channel_id: int
    target_id: int | None
    kind: str = Field(description="digest 今日待办 / chase 人工催办 / returned 报送退回")
    text: str
    state: str = Field(description="pending 待发送 / sending 发送中 / sent 已发送 / failed 已放弃")
    state_label: str
    attempts: int
    next_attempt_at: datetime.datetime
    sent_at: datetime.datetime | None
    last_error: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()


class DeliveryFilters(Checked):
    state: Literal["pending", "sending", "sent", "failed"] | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)


class DeliveryPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[DeliveryOut]


class TestOut(Schema):
    sent: bool = Field(description="机器人已接收（errcode 0）")
    detail: str = Field(description="结果；失败时为机器人或连接的原因")


# --- the rules ----------------------------------------------------------------------------


def _office_only(request):
    if not is_office_staff(request.auth):
        raise PermissionDenied(REFUSAL)


def _channel(request, channel_id: int) -> UnitChannel:
    _office_only(request)
    channel = UnitChannel.objects.select_related("unit").filter(pk=channel_id).first()
    if channel is None:
        raise Http404(CHANNEL_NOT_FOUND)
    return channel


def _unit(unit_id: int) -> Organisation:
    unit = Organisation.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None:
        raise ValidationError({"unit": f"单位 {unit_id} 不存在或已停用"})
    return unit


def _save(channel: UnitChannel, fields: dict) -> UnitChannel:
    """Applies `fields`, checks the whole channel (the address rules of its kind), then saves;
    nothing is written when anything is wrong."""
    errors = {}
    if "unit" in fields:
        if fields["unit"] is None:
            errors["unit"] = ["请选择单位"]
        else:
            try:
                fields["unit"] = _unit(fields["unit"])
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "kind" in fields and fields["kind"] is None:
        errors["kind"] = ["请选择群机器人类型（企业微信或钉钉）"]
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        if value is None and name in {"name", "url", "secret"}:
            value = ""  # null said of a text: empty (a url then asked for, a secret removed)
        setattr(channel, name, value.strip() if isinstance(value, str) else value)
    for name in ("url", "secret"):
        if isinstance(getattr(channel, name), Unreadable):
            label = {"url": "地址", "secret": "加签密钥"}[name]
            raise ValidationError({name: f"已保存的{label}{Unreadable.reason}"})
    # The address rules (the model's clean) say what is wrong with url and secret, in the
    # words of the page; the fields' own blank checks would only repeat them.
    channel.full_clean(exclude=["url", "secret"])
    with transaction.atomic():
        channel.save()
    return UnitChannel.objects.select_related("unit").get(pk=channel.pk)


# --- endpoints ----------------------------------------------------------------------------

TAG = ["单位群机器人"]


@router.get(
    "/channels",
    response=list[ChannelOut],
    tags=TAG,
    summary="群机器人列表（督查员），可按单位筛选",
    openapi_extra=refusals(400, 403),
)
def list_channels(request, filters: Query[ChannelFilters]):
    _office_only(request)
    rows = UnitChannel.objects.select_related("unit").order_by("unit__name", "kind", "pk")
    if filters.unit is not None:
        rows = rows.filter(unit_id=filters.unit)
    if filters.enabled is not None:
        rows = rows.filter(enabled=filters.enabled)
    return rows


@router.post(
    "/channels",
    response={201: ChannelOut},
    tags=TAG,
    summary="添加群机器人（督查员）",
    openapi_extra=refusals(400, 403),
)
def create_channel(request, payload: ChannelIn):
    _office_only(request)
    return _save(UnitChannel(), payload.model_dump())


@router.get(
    "/channels/{channel_id}",
    response=ChannelOut,
    tags=TAG,
    summary="一个群机器人（督查员）",
    openapi_extra=refusals(403, 404),
)
def read_channel(request, channel_id: int):
    return _channel(request, channel_id)


@router.patch(
    "/channels/{channel_id}",
    response=ChannelOut,
    tags=TAG,
    summary="修改或停用群机器人（督查员）：未传的字段不变，enabled=false 停用",
    openapi_extra=refusals(400, 403, 404),
)
def update_channel(request, channel_id: int, payload: ChannelPatch):
    channel = _channel(request, channel_id)
    return _save(channel, payload.model_dump(exclude_unset=True))


@router.delete(
    "/channels/{channel_id}",
    response={204: None},
    tags=TAG,
    summary="删除群机器人及其发送记录（督查员）；只想暂停请停用",
    openapi_extra=refusals(403, 404),
)
def delete_channel(request, channel_id: int):
    _channel(request, channel_id).delete()


@router.post(
    "/channels/{channel_id}/test",
    response=TestOut,
    tags=TAG,
    summary="立即发送一条测试消息（督查员），返回机器人的应答",
    openapi_extra=refusals(403, 404),
)
def test_channel(request, channel_id: int):
    channel = _channel(request, channel_id)
    error = channels.post(channel, f"【督办】测试消息：{channel}已接入督查督办系统。")
    if error:
        return {"sent": False, "detail": f"测试消息发送失败：{error}"}
    return {"sent": True, "detail": f"测试消息已发送到{channel}"}


@router.get(
    "/channels/{channel_id}/deliveries",
    response=DeliveryPage,
    tags=TAG,
    summary="群机器人的发送记录（督查员），新的在前",
    openapi_extra=refusals(400, 403, 404),
)
def channel_deliveries(request, channel_id: int, filters: Query[DeliveryFilters]):
    channel = _channel(request, channel_id)
    rows = ChannelDelivery.objects.filter(channel=channel).order_by("-created_at", "-pk")
    if filters.state is not None:
        rows = rows.filter(state=filters.state)
    return page_of(rows, filters.page, filters.page_size)
