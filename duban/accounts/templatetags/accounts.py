"""``{% load accounts %}``: a person's account state (未开通 / 已邀请 / 已开通 / 已停用), for the
people pages: ``{{ person|account_status }}``; and where to manage it:
``{% url 'accounts:person' person.pk %}``."""

from django import template

from duban.accounts.status import account_status as _account_status

register = template.Library()


@register.filter
def account_status(person) -> str:
    return _account_status(person) if person is not None else ""
