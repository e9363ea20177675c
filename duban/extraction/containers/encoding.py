"""Turning the bytes of a text file into one normalised string.

Chinese offices save text as UTF-8 (with or without a BOM), GBK, GB18030, and now and then UTF-16
with a BOM (Notepad's "Unicode"). Strict UTF-8 is tried first because GB18030 accepts almost any
byte sequence and would happily turn UTF-8 into nonsense; GB18030 is a superset of GBK and GB2312,
so one attempt covers all three; charset-normalizer is the last resort for anything else.

Two cases need more than a first decoding that succeeds:

- UTF-8 with a few broken bytes (a truncated copy, one bad sector) is read as UTF-8 with U+FFFD
  in their place and a warning, rather than refused or read as GB18030 nonsense.
- Big5 (Taiwan, Hong Kong) bytes are almost always valid GB18030 too, and decode into a stream of
  rare characters. Both readings are scored by how many of their two-byte characters fall in the
  frequently used block of their character set; Big5 wins only by a clear margin.

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
    return decode_with_warnings(data)[0]


def decode_with_warnings(data: bytes) -> tuple[str, list[str]]:
    """Decode text-file bytes; also the warnings for the reader (one line of Chinese each)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), []
            except UnicodeDecodeError as exc:
                raise errors.bad_encoding() from exc
    if b"\x00" in data:
        # Only UTF-16/32 text holds NUL bytes, and we accept those only with a BOM.
        raise errors.bad_encoding()
    try:
        return _checked(data.decode("utf-8")), []
    except (UnicodeDecodeError, errors.ReadError):
        pass
    lenient = _mostly_utf8(data)
    if lenient is not None:
        return lenient
    try:
        return _checked(_decode_chinese(data)), []
    except (UnicodeDecodeError, errors.ReadError):
        pass
    return _checked(_decode_with_charset_normalizer(data)), []


# A UTF-8 file is read with replacement characters when its broken bytes are at most this share
# of its CJK characters (three-byte sequences, which GBK or Big5 bytes hardly ever form) and it
# has at least _MIN_CJK of them.
_MAX_BROKEN_SHARE = 0.1
_MIN_CJK = 20


def _mostly_utf8(data: bytes) -> tuple[str, list[str]] | None:
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    cjk = sum(1 for ch in text if "\u2e80" <= ch < "\ufffd")
    if broken <= 0 or cjk < _MIN_CJK or broken > _MAX_BROKEN_SHARE * cjk:
        return None
    try:
        text = _checked(text)
    except errors.ReadError:
        return None
    return text, [errors.broken_utf8_warning(broken)]


def _decode_chinese(data: bytes) -> str:
    """GB18030 (GBK, GB2312), unless the bytes read far more plausibly as Big5."""
    text = data.decode("gb18030")
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        return text
    gb_score, big5_score = _common_shares(data[:65536])
    if big5_score >= 0.85 and big5_score - gb_score >= 0.2:
        return big5
    return text


def _common_shares(data: bytes) -> tuple[float, float]:
    """Shares of two-byte characters in the frequent blocks of GB2312 and of Big5.

    GB2312: symbols (lead A1-A9) and level-1 hanzi (B0-D7), trail A1-FE. Big5: symbols (A1-A3) and
    frequent hanzi (A4-C6), trail 40-7E or A1-FE. GBK text read as Big5 and Big5 text read as GBK
    each land in the other's frequent block for only about half their characters.
    """
    pairs = gb = big5 = 0
    i, n = 0, len(data) - 1
    while i < n:
        lead = data[i]
        if lead < 0x80:
            i += 1
            continue
        trail = data[i + 1]
        pairs += 1
        if (0xA1 <= lead <= 0xA9 or 0xB0 <= lead <= 0xD7) and 0xA1 <= trail <= 0xFE:
            gb += 1
        if 0xA1 <= lead <= 0xC6 and (0x40 <= trail <= 0x7E or 0xA1 <= trail <= 0xFE):
            big5 += 1
        i += 2
    if not pairs:
        return 1.0, 0.0
    return gb / pairs, big5 / pairs


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
