"""Django's password validators answer in Chinese (Django 5.2's zh-hans catalogue lacks the
new minimum-length message: ours supplies it)."""

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import translation


def messages(password, user=None):
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password(password, user=user)
    return error.value.messages


def test_every_validator_speaks_chinese():
    with translation.override("zh-hans"):
        assert messages("1234") == [
            "密码太短，至少需要 8 个字符。",
            "这个密码太常见了。",
            "密码只包含数字。",
        ]
        user = get_user_model()(username="wangfang", email="wangfang@qingxi.example.cn")
        similar = messages("wangfang1", user)
        assert similar and all("太相似" in m for m in similar)
        help_texts = password_validation.password_validators_help_texts()
        assert "密码至少需要 8 个字符。" in help_texts
        assert all(not any("a" <= ch <= "z" for ch in text) for text in help_texts), help_texts


def test_a_strong_password_passes():
    password_validation.validate_password("Qingxi-kejiju-2026")
