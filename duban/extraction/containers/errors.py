"""The single exception type reading a document may raise.

``str(ReadError)`` is one line of Simplified Chinese meant for the person who uploaded the file;
``code`` is a stable English identifier for programs (the CLI, the web import, tests).
"""

from __future__ import annotations

import re

EMPTY = "empty"
TOO_LARGE = "too_large"
UNSUPPORTED = "unsupported"
CORRUPT = "corrupt"
ENCODING = "encoding"
NO_TEXT = "no_text"
ENCRYPTED = "encrypted"


# Line breaks, other control characters and the invisible marks that reorder text on screen: a
# file name holding them would break a message into lines or disguise it.
_UNPRINTABLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+"
)


def one_line(text: str) -> str:
    """``text`` (a file name, say) safe to show inside a one-line message."""
    return _UNPRINTABLE.sub(" ", str(text)).strip()


class ReadError(Exception):
    """A document could not be read; the message says why in one line for users."""

    def __init__(self, message: str, code: str = CORRUPT) -> None:
        message = " ".join(message.split())  # always exactly one line
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def empty() -> ReadError:
    return ReadError("文件为空", EMPTY)


def no_text() -> ReadError:
    return ReadError("文件中没有可提取的文字", NO_TEXT)


def too_large(limit_bytes: int) -> ReadError:
    return ReadError(f"文件过大（超过 {limit_bytes // (1024 * 1024)} MB）", TOO_LARGE)


def unsupported(extension: str) -> ReadError:
    shown = extension or "（无扩展名）"
    return ReadError(f"无法识别的文件格式：{shown}", UNSUPPORTED)


def corrupt(kind: str) -> ReadError:
    """``kind`` is the format's name as users know it: Word 文档, Excel 表格, PDF, 网页."""
    lead = " " if kind[:1].isascii() else ""
    trail = " " if kind[-1:].isascii() else ""
    return ReadError(f"文件已损坏，无法作为{lead}{kind}{trail}读取", CORRUPT)


def bad_encoding() -> ReadError:
    return ReadError("无法识别文本编码", ENCODING)


def broken_utf8_warning(count: int) -> str:
    """Not an error: the warning when a UTF-8 file had a few bytes that are not UTF-8."""
    return f"文件按 UTF-8 读取，其中 {count} 处无法识别的字节已替换为“\ufffd”，请核对原文件"
