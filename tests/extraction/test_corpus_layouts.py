"""Layouts met in real offices' documents beyond the seeds, each in a small document of our own
(fictional 青溪市, invented wording), built by the test:

* prose followed by a task table in one .docx or web page: both give items;
* a table inside a PDF (a Word table printed to PDF, cells wrapping) is read as a table;
* a task breakdown written as a labelled list (numbered task, then 责任领导：/牵头单位：/
  协同单位：/完成时限： lines) gives one item per task with its fields;
* a web page's table flattened to text, one row a line, and a Word table printed one cell per
  line, give rows with their fields;
* a completion table without a title or year takes the year from the document, else the
  caller's default;
* the genre decides the kind of a figure: a statistical release, a bulletin or a summary reports
  what was achieved; a plan, and a summary's section on next year's plan, set targets.
"""

from __future__ import annotations

from duban.extraction.extract import extract

from . import container_samples as cs
from .result_checks import assert_contract


def _run(data: bytes, name: str, **options) -> dict:
    result = extract(data, name=name, **options)
    assert_contract(result)
    return result


def _rows(result: dict) -> list[dict]:
    return [i for i in result["items"] if i["kind"] == "row"]


def _kinds(result: dict) -> list[tuple]:
    return [(i["value"], i["unit"], i["kind"]) for item in result["items"] for i in item["indicators"]]


# --- prose, then a table, in one document ------------------------------------------------------

_PROSE = [
    "青溪市科技局2025年重点工作安排",
    "一、主要目标",
    "1.全年新增高新技术企业45家以上。",
    "2.技术合同成交额达到18亿元。",
    "二、任务分工",
]
_TABLE = [
    ["序号", "工作任务", "牵头单位", "完成时限"],
    ["1", "建成青溪科创走廊首批孵化载体", "市科技局", "2025年9月"],
    ["2", "组织企业研发费用加计扣除政策宣讲", "市税务局", "2025年6月"],
]


def test_docx_prose_then_table_gives_both():
    body = "".join(cs.para(p) for p in _PROSE) + cs.table(
        [[cs.cell(c) for c in row] for row in _TABLE]
    )
    result = _run(cs.docx_bytes(body), "安排.docx")
    rows = _rows(result)
    assert [r["fields"].get("lead_unit") for r in rows] == ["市科技局", "市税务局"]
    assert rows[0]["fields"]["deadline"] == "2025年9月"
    texts = [i["text"] for i in result["items"] if i["kind"] == "item"]
    assert any(t.startswith("全年新增高新技术企业") for t in texts)
    assert (45, "家", "target") in _kinds(result)


def test_html_prose_then_table_gives_both():
    paragraphs = "".join(f"<p>{p}</p>" for p in _PROSE)
    cells = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in _TABLE
    )
    page = f"<html><body>{paragraphs}<table>{cells}</table></body></html>"
    result = _run(page.encode("utf-8"), "安排.html")
    rows = _rows(result)
    assert [r["fields"].get("lead_unit") for r in rows] == ["市科技局", "市税务局"]
    assert (18, "亿元", "target") in _kinds(result)
    assert result["document"]["title"] == "青溪市科技局2025年重点工作安排"
