"""Write a large .docx (default ~10 MB) for benchmarking duban.extraction.containers.

    .venv/bin/python bench/make_big_docx.py [size_mb] [output]

The document mixes numbered headings, long paragraphs split into several runs (as Word writes
them), and tables with horizontally and vertically merged cells. Text is drawn at random from a
pool of common characters so that it compresses about as well as real Chinese prose. The output
goes to bench/out/ (ignored by git).
"""

from __future__ import annotations

import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
POOL = (
    "科技创新企业平台建设推进实施加快完善体系服务人才项目成果转化研发投入高新技术产业园区"
    "全市年度目标任务工作重点领域能力水平提升发展质量机制改革合作交流中心实验室基地省级国家"
    "培育引进示范工程专项资金政策落实责任单位完成情况持续优化环境支撑引领开展组织协调推动"
)
PUNCTUATION = "，，，、。；"


def sentence(rng: random.Random) -> str:
    words = [rng.choice(POOL) for _ in range(rng.randint(18, 60))]
    for _ in range(rng.randint(1, 4)):
        words.insert(rng.randrange(len(words)), rng.choice(PUNCTUATION))
    words.insert(rng.randrange(len(words)), str(rng.randint(1, 2000)) + rng.choice("家项个人%"))
    return "".join(words) + "。"


def runs(text: str, rng: random.Random) -> str:
    out, pos = [], 0
    while pos < len(text):
        step = rng.randint(5, 40)
        chunk = escape(text[pos : pos + step])
        bold = "<w:rPr><w:b/></w:rPr>" if rng.random() < 0.1 else ""
        out.append(f'<w:r>{bold}<w:t xml:space="preserve">{chunk}</w:t></w:r>')
        pos += step
    return "".join(out)


def paragraph(text: str, rng: random.Random, ppr: str = "") -> str:
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs(text, rng)}</w:p>"


def cell(text: str, rng: random.Random, tcpr: str = "") -> str:
    return f"<w:tc>{f'<w:tcPr>{tcpr}</w:tcPr>' if tcpr else ''}{paragraph(text, rng)}</w:tc>"


def table(rng: random.Random) -> str:
    rows = [
        "<w:tr>"
        + "".join(cell(h, rng) for h in ("类别", "序号", "目标", "进展", "单位"))
        + "</w:tr>"
    ]
    for i in range(rng.randint(4, 12)):
        first = (
            cell("重点目标", rng, '<w:vMerge w:val="restart"/>')
            if i == 0
            else cell("", rng, "<w:vMerge/>")
        )
        rows.append(
            "<w:tr>"
            + first
            + cell(str(i + 1), rng)
            + cell(sentence(rng), rng, '<w:gridSpan w:val="2"/>')
            + cell("市科技局", rng)
            + "</w:tr>"
        )
    return f"<w:tbl><w:tblGrid>{'<w:gridCol/>' * 5}</w:tblGrid>{''.join(rows)}</w:tbl>"


NUMBERING = (
    f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%2."/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)


def write(path: Path, size_mb: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    target = int(size_mb * 1024 * 1024)
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/numbering.xml", NUMBERING)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
            )
            written = 0
            while written < target * 4.2:  # deflate shrinks this mix about 4.2 times
                parts = [paragraph("一级标题" + sentence(rng)[:12], rng,
                                   '<w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="0"/>'
                                   '<w:numId w:val="1"/></w:numPr>')]  # fmt: skip
                for _ in range(rng.randint(5, 15)):
                    text = "".join(sentence(rng) for _ in range(rng.randint(1, 6)))
                    parts.append(
                        paragraph(
                            text, rng, '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
                        )
                    )
                if rng.random() < 0.5:
                    parts.append(table(rng))
                chunk = "".join(parts).encode()
                out.write(chunk)
                written += len(chunk)
            out.write(b"<w:sectPr/></w:body></w:document>")
    return path.stat().st_size


if __name__ == "__main__":
    size = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    output = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "out" / "big.docx"
    print(f"{output}: {write(output, size) / 1024 / 1024:.1f} MB")
