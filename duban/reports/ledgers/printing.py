"""How a ledger is printed, the same in Excel and in Word: fonts that show Chinese (宋体 for the
title and the header, 仿宋 for the body, as official tables are set), sizes in points, A4
landscape with the header row repeated on every page."""

import re

TITLE_FONT, TITLE_SIZE = "宋体", 16  # 三号
HEADER_FONT, HEADER_SIZE = "宋体", 10.5  # 五号, bold
BODY_FONT, BODY_SIZE = "仿宋", 10.5  # 五号
LATIN_FONT = "Times New Roman"  # digits and Latin letters in Word

# Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EXCEL_CELL_LIMIT = 32767


def clean(value) -> str:
    """Cell text both formats can hold: line breaks as \\n, no characters XML refuses."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOT_XML.sub("", text)


def display_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character (three bytes in UTF-8) takes two."""
    return len(text) + (len(text.encode("utf-8")) - len(text)) // 2
