"""`duban export`: the file it writes, and its refusals (one line in Chinese, status 1, no
file)."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from duban.targets.models import ProgressReport, SourceCategory

from .ledger_checks import docx_parts, xlsx_sheet


@pytest.fixture
def targets(city, leader, make_target):
    bureau, finance = city["bureau"], city["finance"]
    first = make_target(
        number="5",
        text="新增科技型中小企业150家以上。",
        source_category=SourceCategory.WORK_REPORT,
        lead_unit=bureau,
        leader=leader,
    )
    ProgressReport.objects.create(
        target=first,
        period="2026-Q1",
        progress="新增科技型中小企业42家。",
        status_text="完成",
        is_complete=True,
        review_state=ProgressReport.Review.SUBMITTED,
    )
    make_target(
        number="6",
        text="技术合同成交额达到60亿元。",
        source_category=SourceCategory.WORK_REPORT,
        lead_unit=finance,
    )
    make_target(number="1", text="工作要点中的一项。", lead_unit=bureau)


def export(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("export", *args, stdout=out, stderr=err, **options)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_exports_a_progress_ledger(targets, tmp_path):
    path = tmp_path / "完成情况.xlsx"
    code, out, err = export(
        str(path), layout="progress", year="2026", source="政府工作报告", contact="李明"
    )
    assert code == 0, err
    assert "已导出 2 项目标任务" in out and "2026年第一季度政府工作报告目标任务完成情况" in out
    rows, merges, _sheet = xlsx_sheet(path.read_bytes())
    assert rows[0][0] == "2026年第一季度政府工作报告目标任务完成情况"
    assert rows[1][0].startswith("联系人：李明")
    assert [r[0] for r in rows[3:-1]] == ["5", "6"]
    assert rows[3][3:5] == ["完成", "新增科技型中小企业42家。"]
    assert [p.name for p in tmp_path.iterdir()] == ["完成情况.xlsx"]  # no temporary left


def test_filters_by_unit_under_any_of_its_names(targets, tmp_path):
    path = tmp_path / "财政.docx"
    code, _out, err = export(str(path), layout="goals", unit="市财政局", source="work_report")
    assert code == 0, err
    _before, grid, _merges, _after, _raw = docx_parts(path.read_bytes())
    assert [row[1] for row in grid[1:]] == ["6"]
    code, _out, err = export(str(path), layout="goals", unit="白沙市财政局")
    assert code == 0, err


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (["out.xlsx"], {"layout": "ledger"}, "没有“ledger”这种台账格式"),
        (["out.xlsx"], {}, "请选择台账格式"),
        (["out.xlsx"], {"layout": "progress", "period": "2026-Q5"}, "期次“2026-Q5”无法识别"),
        (["out.xlsx"], {"layout": "progress", "period": "二〇二六"}, "无法识别"),
        (
            ["out.xlsx"],
            {"layout": "progress", "unit": "白沙市气象局"},
            "没有找到单位“白沙市气象局”",
        ),
        (["out.xlsx"], {"layout": "progress", "source": "报纸"}, "没有“报纸”这种任务来源"),
        (["out.xlsx"], {"layout": "progress", "year": "26"}, "年度应写作四位数字"),
        (["out.xlsx"], {"layout": "progress", "year": "2031"}, "没有这个年度的目标"),
        (
            ["out.xlsx"],
            {"layout": "progress", "year": "2026", "period": "2025-Q4"},
            "不在所选年度",
        ),
        (["out.pdf"], {"layout": "progress"}, "输出文件须以 .xlsx 或 .docx 结尾"),
        ([], {"layout": "progress"}, "请指定输出文件"),
        (["no-such-dir/out.xlsx"], {"layout": "progress"}, "目录不存在"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    targets, tmp_path, monkeypatch, args, options, message
):
    monkeypatch.chdir(tmp_path)
    code, out, err = export(*args, **options)
    assert code == 1
    assert message in err
    assert err.startswith("duban export：") and len(err.strip().splitlines()) == 1
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_untouched(targets, tmp_path, monkeypatch):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"previous ledger")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    code, _out, err = export(str(path), layout="progress")
    assert code == 1
    assert "无法写入文件（No space left on device）" in err
    assert path.read_bytes() == b"previous ledger"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_an_existing_file_is_replaced_whole(targets, tmp_path):
    path = tmp_path / "台账.docx"
    path.write_bytes(b"previous ledger")
    code, _out, err = export(str(path), layout="commitments", year="2026")
    assert code == 0, err
    assert path.read_bytes().startswith(b"PK")


def test_the_real_command_refuses_in_one_line(tmp_path):
    env = {**os.environ, "DUBAN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "-m", "duban", "export", str(tmp_path / "x.xlsx"), "--layout", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "duban export：没有“nope”这种台账格式，可选：progress（季度完成情况表）、"
        "commitments（公开承诺事项进展表）、goals（业务目标表）"
    ]
    assert not (tmp_path / "x.xlsx").exists()
