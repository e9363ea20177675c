"""`duban setup`: the same setup from the console, asked in Chinese or given by flags with
the password from DUBAN_SETUP_PASSWORD; refused once an account exists."""

import io
import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from duban.accounts.models import Office
from duban.organisations.models import Organisation, Person
from tests.cli.test_cli import duban

from .accounts_helpers import STRONG

User = get_user_model()
pytestmark = pytest.mark.django_db

FLAGS = [
    "--office-name=青溪市科学技术局",
    "--short-name=市科技局",
    "--level=市级",
    "--username=zhangwei",
    "--name=张伟",
    "--phone=0533-6120001",
    "--email=zhangwei@qingxi.example.cn",
]


def setup(*args, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", *args, stdout=out, stderr=err, stdin=stdin)
    return out.getvalue(), err.getvalue()


def test_flags_and_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DUBAN_SETUP_PASSWORD", STRONG)
    out, _ = setup(*FLAGS, "--no-input")
    assert (
        "初始设置完成：本单位 青溪市科学技术局（市级），督查员 张伟，登录用户名 zhangwei。" in out
    )
    user = User.objects.get()
    assert user.check_password(STRONG) and not user.is_superuser
    person = Person.objects.get(user=user)
    assert (person.role, person.phone, person.organisation.short_name) == (
        Person.Role.OFFICE,
        "0533-6120001",
        "市科技局",
    )
    assert Office.current().name == "青溪市科学技术局"


def test_asked_in_chinese_one_item_at_a_time(monkeypatch):
    monkeypatch.delenv("DUBAN_SETUP_PASSWORD", raising=False)
    answers = [
        "青溪县科学技术局",  # office
        "县科技局",  # short name
        "县级",  # level
        "王芳",  # name
        "",  # title
        "138 0000 0001",  # phone
        "not-an-email",  # e-mail: refused, asked again below
        "wangfang",  # user name
        "short",  # password
        "short",
        "wangfang@qingxi.example.cn",  # the e-mail again
        "Qingxi-county-2026",  # the password again, after the validators' refusal
        "Qingxi-county-2026",
    ]
    out, err = setup(stdin=io.StringIO("\n".join(answers) + "\n"))
    assert "本单位名称（全称，如 青溪市科学技术局）：" in out
    assert "层级（省级/市级/县级）：" in out and "登录密码：" in out
    assert "电子邮箱：输入一个有效的 Email 地址。" in err
    assert "密码：密码太短，至少需要 8 个字符。" in err
    unit = Organisation.objects.get()
    assert (unit.name, unit.level) == ("青溪县科学技术局", Organisation.Level.COUNTY)
    user = User.objects.get()
    assert user.username == "wangfang" and user.check_password("Qingxi-county-2026")
    assert user.email == "wangfang@qingxi.example.cn"


def test_missing_flags_without_input_are_one_chinese_error_and_nothing_stored(monkeypatch):
    monkeypatch.delenv("DUBAN_SETUP_PASSWORD", raising=False)
    with pytest.raises(CommandError) as error:
        setup("--office-name=青溪市科学技术局", "--level=区级", "--no-input")
    message = str(error.value)
    assert "层级：选择一个有效的选项" in message
    assert "姓名：这个字段是必填项" in message
    assert "未提供密码：请设置环境变量 DUBAN_SETUP_PASSWORD" in message
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_a_weak_password_in_the_environment_is_refused(monkeypatch):
    monkeypatch.setenv("DUBAN_SETUP_PASSWORD", "12345678")
    with pytest.raises(CommandError) as error:
        setup(*FLAGS, "--no-input")
    assert "这个密码太常见了" in str(error.value)
    assert not User.objects.exists() and not Office.objects.exists()


def test_input_ending_early_cancels_without_storing(monkeypatch):
    monkeypatch.delenv("DUBAN_SETUP_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="初始设置已取消"):
        setup(stdin=io.StringIO("青溪市科学技术局\n"))
    assert not Organisation.objects.exists()


def test_refused_once_an_account_exists(monkeypatch):
    monkeypatch.setenv("DUBAN_SETUP_PASSWORD", STRONG)
    setup(*FLAGS, "--no-input")
    with pytest.raises(CommandError, match="系统已完成初始设置"):
        setup(*[f.replace("zhangwei", "other") for f in FLAGS], "--no-input")
    assert User.objects.count() == 1


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="a fresh SQLite file")
def test_a_scripted_install_as_a_process(tmp_path):
    env = {"DUBAN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    assert duban("migrate", "-v0", env=env).returncode == 0
    result = duban("setup", *FLAGS, "--no-input", env={**env, "DUBAN_SETUP_PASSWORD": STRONG})
    assert result.returncode == 0, result.stderr
    assert "初始设置完成" in result.stdout
    again = duban("setup", *FLAGS, "--no-input", env={**env, "DUBAN_SETUP_PASSWORD": STRONG})
    assert again.returncode != 0
    assert "系统已完成初始设置" in again.stderr and "Traceback" not in again.stderr
