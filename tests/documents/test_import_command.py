"""`duban import`: the document's defaults as options, and a line per document saying what it
created, continued and left untouched."""

import io

import pytest
from django.core.management import CommandError, call_command

from duban.organisations.models import Person
from duban.targets.models import ProgressReport, Target

PLAN = """青溪市2026年科技工作要点

一、壮大创新主体
1.实施高新技术企业倍增计划。年内高新技术企业达到320家。
2.培育科技型中小企业。新增科技型中小企业150家以上。
二、建设创新平台
3.推进青溪实验室建设。一是完成主体工程；二是引进研发团队5个。
"""

TABLE = """青溪市2026年第{n}季度重点任务完成情况
\t序号
\t年度目标
\t第{n}季度目标
\t是否完成
\t具体工作进展
\t未完成原因
\t下步工作打算
\t责任单位

\t12
\t新增省级以上创新平台6家以上。
\t完成平台申报。
\t{status}
\t已申报{count}家。
\t{reason}
\t跟进评审。
\t市科技局

\t13
\t建设青溪科技大市场，全年技术合同成交额达到30亿元。
\t组织技术对接活动。
\t完成
\t举办对接活动{count}场。
\t无
\t继续组织对接。
\t市科技局

"""


@pytest.fixture
def files(tmp_path, file_storage):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
    return out.getvalue(), err.getvalue()


def quarter(n, status="未完成", count=2, reason="评审推迟。"):
    return TABLE.format(n=n, status=status, count=count, reason=reason)


def test_defaults_apply_to_items_that_do_not_say_otherwise(db, files, city):
    plan = files("plan.txt", PLAN)
    out, err = run(
        plan, "--lead-unit", "市科技局", "--leader", "周副市长", "--deadline", "10月底前"
    )
    assert err == ""
    assert out.strip().endswith(
        "《青溪市2026年科技工作要点》：新建目标 3 项，子目标 2 项，未涉及 0 项"
    )
    roots = Target.objects.filter(parent__isnull=True)
    assert {t.lead_unit for t in roots} == {city["bureau"]}
    assert {t.leader.name for t in roots} == {"周副市长"}
    assert Person.objects.get(name="周副市长").role == Person.Role.LEADER
    # 年内 is the item's own deadline; the default fills only those that print none.
    deadlines = {t.number: (t.deadline_text, str(t.deadline)) for t in roots}
    assert deadlines == {
        "1": ("年内", "2026-12-31"),
        "2": ("10月底前", "2026-10-31"),
        "3": ("10月底前", "2026-10-31"),
    }
    points = Target.objects.filter(parent__number="3")
    assert {(p.lead_unit, p.deadline_text) for p in points} == {(city["bureau"], "10月底前")}


def test_the_level_option_tracks_points_as_targets_of_their_own(db, files, city):
    out, _err = run(files("plan.txt", PLAN), "--level", "point")
    assert "新建目标 4 项" in out
    assert not Target.objects.filter(parent__isnull=False).exists()
    assert not Target.objects.filter(number="3").exists()


def test_each_document_says_what_it_created_continued_and_left_untouched(db, files, city):
    out, err = run(files("q1.txt", quarter(1)))
    assert "新建目标 2 项" in out and err == ""
    second = quarter(2, status="完成", count=5, reason="无")
    second = second[: second.index("\t13\n")]  # Q2's table leaves task 13 out
    out, err = run(files("q2.txt", second), "--review")
    assert err == ""
    assert "新建目标 0 项，延续已有目标 1 项，未涉及 1 项" in out
    assert Target.objects.count() == 2
    q2 = ProgressReport.objects.get(period="2026-Q2")
    assert q2.review_state == ProgressReport.Review.SUBMITTED and q2.is_complete
    assert ProgressReport.objects.get(period="2026-Q1", target__number="12").review_state == (
        ProgressReport.Review.ACCEPTED
    )


def test_a_wrong_level_or_a_missing_file_is_one_line_in_chinese(db, files, tmp_path):
    with pytest.raises(CommandError):
        call_command("import", files("plan.txt", PLAN), "--level", "paragraph")
    _out, err = run(str(tmp_path / "none.txt"))
    assert "文件不存在" in err and "Traceback" not in err
    assert not Target.objects.exists()


def test_a_file_name_with_a_line_break_gives_one_line(db, files, tmp_path):
    empty = tmp_path / "空\n文件.txt"
    empty.write_bytes(b"")
    _out, err = run(str(empty))
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].endswith("空 文件.txt: 文件为空")
    assert lines[1] == "1 个文件未能导入"
    out, _err = run(files("计划\r\n2026.txt", PLAN))
    assert out.count("\n") == 1 and "计划 2026.txt" in out


def test_the_year_option_dates_a_table_that_names_no_year(db, files, city):
    table = quarter(1).split("\n", 1)[1]  # the table without its title line: no year printed
    _out, err = run(files("table.txt", table))
    assert "年度" in err and not Target.objects.exists()
    out, err = run(files("table.txt", table), "--year", "2025")
    assert err == "" and "新建目标 2 项" in out
    assert {t.year for t in Target.objects.all()} == {2025}
