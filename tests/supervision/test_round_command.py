"""`duban round send`: opens the round, sends each unit its notice and form (e-mail to a
loopback SMTP server), one line per unit, never twice unless --resend; mistakes are one
line in Chinese on standard error."""

import datetime
import io

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from duban.audit.models import AuditEvent
from duban.supervision.models import Notification, ReportingRound, RoundDispatch

from .round_city import Q2, build_city
from .test_remind import Inbox, free_port, use_smtp


@pytest.fixture
def city(db, settings):
    settings.DUBAN_REPORT_GRACE_DAYS = 10
    return build_city()


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("round", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue().splitlines(), err.getvalue()


def test_send_opens_the_round_and_prints_a_line_per_unit(city, smtp):
    code, lines, err = run("send", Q2, "--deadline", "2022-07-12")
    assert (code, err) == (0, "")
    assert lines == [
        "已发起2022年第二季度报送，报送截止日期 2022年7月12日",
        "市科技局：已发送，3 项目标任务，站内通知 1 条，邮件 1 封",
        "市发展改革委：已发送，1 项目标任务，站内通知 1 条，邮件 1 封",
    ]
    found = ReportingRound.objects.get(period=Q2)
    assert found.deadline == datetime.date(2022, 7, 12)
    assert len(smtp.messages) == 2
    assert all(len(list(m.iter_attachments())) == 1 for m in smtp.messages)
    assert "2022年7月12日前" in Notification.objects.get(user=city.reform_user).message
    event = AuditEvent.objects.filter(object_repr=str(found)).get()
    assert event.channel == "cli" and event.actor_name == "报送通知"


def test_send_again_skips_units_unless_resend(city, smtp):
    run("send", Q2)
    code, lines, _err = run("send", Q2)
    assert code == 0
    assert lines[0] == "继续2022年第二季度报送，报送截止日期 2022年7月10日"
    assert lines[1:] == [
        "市科技局：已于此前发送，未重复发送（重新发送请加 --resend）",
        "市发展改革委：已于此前发送，未重复发送（重新发送请加 --resend）",
    ]
    assert len(smtp.messages) == 2
    code, lines, _err = run("send", Q2, "--unit", "青溪市科学技术局", "--resend")
    assert code == 0
    assert lines[1:] == ["市科技局：已重新发送，3 项目标任务，站内通知 1 条，邮件 1 封"]
    assert len(smtp.messages) == 3
    assert RoundDispatch.objects.get(unit=city.bureau).times == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["send", "2022-Q7"],
            "期次“2022-Q7”无法识别，应写作 2022-Q2（季度）、2022-H1（半年）、2022-M03（月）"
            "或 2022（年度）",
        ),
        (["send", Q2, "--deadline", "7月10日"], "报送截止日期应写作 YYYY-MM-DD：7月10日"),
        (["send", Q2, "--deadline", "2022-06-01"], "报送截止日期不能早于期末（2022-06-30）"),
        (["send", Q2, "--unit", "市气象局"], "没有找到单位“市气象局”"),
    ],
)
def test_mistakes_are_one_line_in_chinese_and_send_nothing(city, smtp, args, message):
    code, lines, err = run(*args)
    assert code == 1 and lines == []
    assert err == f"duban round：{message}\n"
    assert not ReportingRound.objects.exists() and not smtp.messages


def test_an_smtp_server_that_is_down_exits_1_with_the_notices_kept(city, settings):
    use_smtp(settings, free_port())
    code, lines, err = run("send", Q2, "--unit", "市发展改革委")
    assert code == 1
    assert lines[1].startswith(
        "市发展改革委：已发送，1 项目标任务，站内通知 1 条，邮件 0 封；邮件发送失败"
    )
    assert err.startswith("duban round：市发展改革委的邮件未能发送，站内通知已保存")
    assert err.count("\n") == 1
    assert Notification.objects.filter(user=city.reform_user, kind="round").count() == 1


def test_the_duban_command_runs_it(city, smtp):
    from duban.cli import main

    assert main(["round", "send", Q2, "--unit", "市科技局"]) == 0
    assert [m.envelope_to for m in smtp.messages] == [["linxiao@kjj.qingxi.example"]]
