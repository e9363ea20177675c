"""`duban extract` never crashes: whatever the file, it either prints a result that keeps the
contract (exit 0) or says in one line on standard error what is wrong (exit non-zero), with no
traceback. The real command runs in a subprocess; a property test drives ``extract`` in-process
on random text made of table-as-text and prose fragments."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from duban.extraction.containers import ReadError
from duban.extraction.extract import extract

from . import container_samples as cs
from .result_checks import assert_contract


def run_extract(path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "duban", "extract", str(path)],
        capture_output=True,
        timeout=300,
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def assert_clean_outcome(path) -> int:
    code, out, err = run_extract(path)
    assert "Traceback" not in err
    if code != 0:
        assert out == ""
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("duban extract: "), err
    else:
        assert err == ""
        assert_contract(json.loads(out))
    return code


def _docx() -> bytes:
    c = cs.cell
    rows = [[c("序号"), c("工作任务"), c("责任单位")], [c("1"), c("新增企业5家。"), c("市科技局")]]
    return cs.docx_bytes(cs.para("白沙市2023年工作台账") + cs.table(rows))


def _xlsx() -> bytes:
    def build(workbook):
        workbook.active.append(["序号", "目标内容", "完成时限"])
        workbook.active.append([1, "新增省级平台3家。", "12月"])

    return cs.xlsx_bytes(build)


def _pdf() -> bytes:
    return cs.pdf_bytes([cs.pdf_lines(["青溪市2024年科技工作要点", "1.新增孵化器2家。"])])


_RANDOM = random.Random(20240601)
RANDOM_BYTES = [
    (_RANDOM.randbytes(size), name)
    for size, name in [
        (1, "a.txt"),
        (300, "b.txt"),
        (4096, "c"),
        (2048, "d.docx"),
        (2048, "e.xlsx"),
        (2048, "f.pdf"),
        (1024, "g.html"),
        (1024, "h.md"),
    ]
]


@pytest.mark.parametrize(("data", "name"), RANDOM_BYTES, ids=[n for _d, n in RANDOM_BYTES])
def test_random_bytes(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    assert_clean_outcome(path)


@pytest.mark.parametrize(
    ("build", "name"), [(_docx, "t.docx"), (_xlsx, "t.xlsx"), (_pdf, "t.pdf")], ids=str
)
def test_truncated_office_and_pdf_files(tmp_path, build, name):
    data = build()
    path = tmp_path / name
    path.write_bytes(data)
    assert assert_clean_outcome(path) == 0  # the whole file reads
    for keep in (len(data) // 2, len(data) - 30, 100, 10):
        path.write_bytes(data[:keep])
        assert_clean_outcome(path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert assert_clean_outcome(path) == 1


def test_five_megabytes_on_one_line(tmp_path):
    rng = random.Random(5)
    words = ["推进", "科技", "创新", "平台", "建设", "企业", "培育", "，", "。", "、"]
    pieces, size = [], 0
    while size < 5 * 1024 * 1024:
        word = rng.choice(words)
        if rng.random() < 0.01:
            word = f"新增高新技术企业{rng.randint(1, 999)}家"
        pieces.append(word)
        size += len(word.encode("utf-8"))
    path = tmp_path / "line.txt"
    path.write_text("".join(pieces), encoding="utf-8")
    assert assert_clean_outcome(path) == 0


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p, "这是一个目录"),
        (lambda p: p / "missing.txt", "文件不存在"),
        (lambda p: (p / "slides.ppt").write_bytes(b"\x00\x01slides") and p / "slides.ppt", ".ppt"),
    ],
    ids=["directory", "missing", "ppt"],
)
def test_what_is_not_a_readable_document(tmp_path, make, message):
    path = make(tmp_path)
    code, _out, err = run_extract(path)
    assert code == 1 and message in err and len(err.splitlines()) == 1


# --- in-process, random structure -------------------------------------------------------------

FRAGMENTS = [
    " \t序号\n\t年度目标\n\t责任单位\n\t完成\n时限\n\n",
    "\t43\n\t新增高新技术企业100家以上。\n\t市科技局                 市财政局\n\t12月\n\n",
    "\t\n\t\n\t2.进展顺利，新增8家。\n\n",
    "\t注：第一个单位为牵头单位\n\n",
    "保障局\n\n",
    "[bookmark: _GoBack]",
    "2023年全市科技工作要点\n",
    "2022年全市科技工作总结\n",
    "一、加强平台建设\n",
    "（一）培育科技企业\n",
    "（二）推进合作。与高校签订协议5项。\n",
    "1.实施培育工程。一是建库；二是辅导，新增企业10家。\n",
    "主要工作目标：高新技术企业、科技型中小企业分别达到1260家和1700家。\n",
    "力争研发投入占比提高0.5个百分点，居全省第3位，“十四五”，1+30+N，X家，**家。\n",
    "3—5家、100项左右、10余项、近千人、两个、十余项、300余家、47.13%、1.2万家\n",
    "鲁科字〔2020〕11号，第33次会议，2021年4月1日\n",
    "建\n\n设",
    "\n\n",
    "\t",
    "。",
    "##",
    "**四、推进**\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=25),
    st.text(alphabet="一二三四五六七八九十0123456789。，、；：\t\n（）%家项个年月", max_size=40),
)
# Found by the search: a heading's closing hashes inside an item's body.
@example(
    pieces=["一、加强平台建设\n", "建\n\n设", "##", "\n\n", "\t注：第一个单位为牵头单位\n\n"],
    noise="",
)
def test_random_structure_keeps_the_contract(pieces, noise):
    data = ("".join(pieces) + noise).encode("utf-8")
    try:
        result = extract(data, name="random.txt")
    except ReadError as error:
        assert "\n" not in str(error)
        return
    assert_contract(result)


def test_a_file_name_with_a_line_break_is_one_line_on_stderr(tmp_path, capsys):
    from duban.extraction.command import main

    path = tmp_path / "坏\n文件\r.docx"
    path.write_bytes(b"not a zip at all")
    assert main([str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "坏 文件 .docx: 文件已损坏" in err
    assert main([str(tmp_path / "无\n此文件.txt")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "文件不存在" in err
