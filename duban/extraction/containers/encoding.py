"""Turning the bytes of a text file into one normalised string.

Chinese offices save text as UTF-8 (with or without a BOM), GBK, GB18030, and now and then UTF-16
with a BOM (Notepad's "Unicode"). Strict UTF-8 is tried first because GB18030 accepts almost any
byte sequence and would happily turn UTF-8 into nonsense; GB18030 is a superset of GBK and GB2312,
so one attempt covers all three; charset-normalizer is the last resort for anything else.

The string every span indexes into is the decoded text with line ends normalised to ``\\n``, a
leading BOM removed, and the export artefacts listed in ``ARTEFACTS`` deleted.
"""

from __future__ import annotations

import codecs
import re

from . import errors

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Traces that converters leave in exported text and that are not part of the document:
# Word's hidden bookmark markers as rendered by text exporters ("[bookmark: _GoBack]").
ARTEFACTS = re.compile(r"\[bookmark: ?[^\[\]\s]{1,80}\]")

# Fraction of control characters above which a decoded "text" is taken for binary data.
_MAX_CONTROL_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Decode text-file bytes; raises ReadError when no encoding fits."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise errors.bad_encoding() from exc
    if b"\x00" in data:
        # Only UTF-16/32 text holds NUL bytes, and we accept those only with a BOM.
        raise errors.bad_encoding()
    for codec in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(codec))
        except (UnicodeDecodeError, errors.ReadError):
            continue
    return _checked(_decode_with_charset_normalizer(data))


def _decode_with_charset_normalizer(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception as exc:  # the detector's own failures mean "unknown encoding"
        raise errors.bad_encoding() from exc
    if best is None:
        raise errors.bad_encoding()
    return str(best)


def _checked(text: str) -> str:
    """Reject a decoding that produced mostly control characters (a binary file)."""
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise errors.bad_encoding()
    return text


def normalise(text: str) -> str:
    """Newlines to ``\\n``, no BOM, no export artefacts: the text spans index into."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "[bookmark" in text:
        text = ARTEFACTS.sub("", text)
    return text
