"""Reading document containers into one structure (``duban.extraction.blocks.ReadDocument``).

``read_document(path_or_bytes, name=None)`` accepts a path, bytes, or a binary file object, and
picks the reader from the content first and the extension second:

* ``%PDF-`` near the start is a PDF whatever the name says;
* a zip holding ``word/document.xml`` is a Word document, one holding ``xl/workbook.xml`` an
  Excel workbook; a zip that is neither is rejected (as a damaged file if it is named .docx/.xlsx);
* an OLE2 compound file is a legacy .doc/.xls (or an encrypted Office file) and is rejected with
  advice to save it in the current format;
* otherwise the extension decides: .txt/.text/.md/.markdown are text, .html/.htm/.xhtml are
  web pages; a text file whose content is an HTML document is read as a web page; a file without
  a known extension is tried as text.

Every failure is a :class:`ReadError` with a one-line message in Simplified Chinese; nothing else
escapes, whatever the bytes are.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from pathlib import Path, PurePath

from ..blocks import ReadDocument
from . import errors
from .errors import ReadError

__all__ = ["MAX_FILE_SIZE", "FORMATS", "ReadError", "read_document"]

MAX_FILE_SIZE = 50 * 1024 * 1024

FORMATS = ("txt", "md", "html", "docx", "xlsx", "pdf")
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".docm": "docx",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".pdf": "pdf",
}
_KIND = {"docx": "Word 文档", "xlsx": "Excel 表格", "pdf": "PDF", "html": "网页"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b",
    re.IGNORECASE | re.DOTALL,
)


def read_document(path_or_bytes, name: str | None = None) -> ReadDocument:
    """Read one document; raises ReadError (and nothing else) when it cannot be read."""
    data, name = _load(path_or_bytes, name)
    if not data.strip():
        raise errors.empty()
    fmt = None
    try:
        fmt = sniff_format(data, name)
        document = _read(fmt, data, name, hashlib.sha256(data).hexdigest())
    except ReadError:
        raise
    except MemoryError as exc:
        raise ReadError("文件过于复杂，无法读取", errors.TOO_LARGE) from exc
    except Exception as exc:  # any library failure on malformed input, RecursionError included
        if fmt in _KIND:
            raise errors.corrupt(_KIND[fmt]) from exc
        raise ReadError("无法读取文件内容", errors.CORRUPT) from exc
    if not document.text.strip():
        raise errors.no_text()
    return document


def _load(source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        name = name or path.name
        try:
            if path.stat().st_size > MAX_FILE_SIZE:
                raise errors.too_large(MAX_FILE_SIZE)
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ReadError("文件不存在", errors.CORRUPT) from exc
        except IsADirectoryError as exc:
            raise ReadError("这是一个目录，不是文件", errors.UNSUPPORTED) from exc
        except PermissionError as exc:
            raise ReadError("没有读取权限", errors.CORRUPT) from exc
        except OSError as exc:
            raise ReadError("无法打开文件", errors.CORRUPT) from exc
    elif hasattr(source, "read"):
        try:
            data = source.read(MAX_FILE_SIZE + 1)
        except Exception as exc:
            raise ReadError("无法打开文件", errors.CORRUPT) from exc
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, bytes | bytearray):
            raise ReadError("无法打开文件", errors.CORRUPT)
        data = bytes(data)
        name = name or PurePath(str(getattr(source, "name", "") or "")).name
    else:
        raise ReadError("无法打开文件", errors.CORRUPT)
    if len(data) > MAX_FILE_SIZE:
        raise errors.too_large(MAX_FILE_SIZE)
    return data, name or "document"


def sniff_format(data: bytes, name: str) -> str:
    """The format to read ``data`` as; raises ReadError for formats that are not supported."""
    extension = PurePath(name).suffix.lower()
    by_name = _EXTENSIONS.get(extension)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(data, extension, by_name)
    if data.startswith(_OLE2):
        return _reject_ole2(extension)
    if by_name in ("docx", "xlsx", "pdf"):
        raise errors.corrupt(_KIND[by_name])
    if by_name == "html" or _HTML_START.match(data[:4096]):
        return "html"
    if by_name is not None:
        return by_name
    if extension:
        raise errors.unsupported(extension)
    return "txt"


def _sniff_zip(data: bytes, extension: str, by_name: str | None) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception as exc:  # BadZipFile, NotImplementedError (zip version), OSError …
        if by_name in _KIND:
            raise errors.corrupt(_KIND[by_name]) from exc
        raise errors.unsupported(extension) from exc
    if "word/document.xml" in names or (by_name == "docx" and "[Content_Types].xml" in names):
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if by_name in ("docx", "xlsx"):
        raise errors.corrupt(_KIND[by_name])
    raise errors.unsupported(extension or ".zip")


def _reject_ole2(extension: str) -> str:
    if extension in (".doc", ".docx"):
        raise ReadError(
            "不支持旧版 Word 格式（.doc）或已加密的文档，请另存为 .docx 后再导入",
            errors.UNSUPPORTED,
        )
    if extension in (".xls", ".xlsx"):
        raise ReadError(
            "不支持旧版 Excel 格式（.xls）或已加密的表格，请另存为 .xlsx 后再导入",
            errors.UNSUPPORTED,
        )
    raise errors.unsupported(extension)


def _read(fmt: str, data: bytes, name: str, sha256: str) -> ReadDocument:
    if fmt in ("txt", "md"):
        from .text import read_text

        return read_text(data, name, fmt, sha256)
    if fmt == "html":
        from .html import read_html

        return read_html(data, name, sha256)
    if fmt == "docx":
        from .docx import read_docx

        return read_docx(data, name, sha256)
    if fmt == "xlsx":
        from .xlsx import read_xlsx

        return read_xlsx(data, name, sha256)
    from .pdf import read_pdf

    return read_pdf(data, name, sha256)
