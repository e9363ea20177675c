"""How a ledger is printed, the same in Excel and in Word: fonts that show Chinese (宋体 for the
title and the header, 仿宋 for the body, as official tables are set), sizes in points, A4
landscape with the header row repeated on every page."""

import re
from xml.sax.saxutils import escape as xml_escape

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


# Package metadata shared by the .docx and .xlsx writers (both are Office Open XML).
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
APP_PROPERTIES = (
    f"{_XML_DECLARATION}<Properties "
    'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>duban</Application></Properties>"
)


def core_properties(title: str) -> str:
    return (
        f"{_XML_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{xml_escape(clean(title))}</dc:title><dc:creator>duban</dc:creator>"
        "</cp:coreProperties>"
    )
