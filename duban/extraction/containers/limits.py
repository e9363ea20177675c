"""Budgets that keep a small hostile file from taking gigabytes or minutes to read.

A few kilobytes can describe a table of a billion cells (a ``gridSpan`` or ``colspan`` repeated, a
cell at XFD1048576, a merge over the whole sheet) or a zip part or PDF stream that inflates to
gigabytes. What a document may hold is bounded here by what its content can fill:

* **zip parts** are read through :class:`Package`, which counts the bytes a part really inflates
  to (the sizes in the zip's headers are the writer's word, not a fact) and stops at the part's
  limit and at the document's total;
* **table grids**: a table's rows × columns may exceed the cells it really has only by
  :data:`GRID_FACTOR` (or :data:`GRID_FLOOR` cells for a small table): a span or a merge can
  widen a table, not make it a billion cells of nothing (:func:`check_grid`);
* **PDF streams**: the Flate streams PDFium would parse (all but images) may inflate to
  :data:`MAX_PDF_INFLATED` in all (:func:`check_pdf_streams`), counted by inflating them once
  through a bounded buffer.

Beyond these, reading in ``duban.extraction.isolated`` runs in a child process with a memory
and CPU limit of its own, so whatever was not foreseen here ends as a message, not as a server
that ran out of memory.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from . import errors

# An auxiliary part (styles, numbering, relationships, shared strings of a small workbook …).
MAX_AUX_PART = 32 * 1024 * 1024
# Everything a package's parts inflate to, counted as they are read.
MAX_PACKAGE_INFLATED = 512 * 1024 * 1024
GRID_FLOOR = 250_000
GRID_FACTOR = 16
MAX_PDF_INFLATED = 128 * 1024 * 1024
_CHUNK = 1024 * 1024


def _mb(limit: int) -> int:
    return limit // (1024 * 1024)


def part_too_large(kind_text: str, limit: int) -> errors.ReadError:
    return errors.ReadError(
        f"{kind_text}内容过大（解压后超过 {_mb(limit)} MB），无法读取", errors.TOO_LARGE
    )


def grid_too_large(rows: int, columns: int, cells: int) -> errors.ReadError:
    return errors.ReadError(
        f"表格范围异常（{rows} 行 × {columns} 列，实际只有 {cells} 个单元格），"
        "可能是合并或跨列设置有误，无法读取",
        errors.TOO_LARGE,
    )


def check_grid(rows: int, columns: int, cells: int) -> None:
    """Refuse a table grid far larger than the cells the file really has."""
    if rows * columns > max(GRID_FLOOR, GRID_FACTOR * cells):
        raise grid_too_large(rows, columns, cells)


class _BoundedReader(io.RawIOBase):
    """A zip member's stream that raises once more than ``limit`` bytes came out of it."""

    def __init__(self, stream, limit: int, package: Package, part: str) -> None:
        self._stream = stream
        self._limit = limit
        self._package = package
        self._part = part
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), _CHUNK))
        self._count(len(data))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(_CHUNK if size is None or size < 0 else min(size, _CHUNK))
        self._count(len(data))
        return data

    def _count(self, n: int) -> None:
        self._read += n
        if self._read > self._limit:
            raise self._package.too_large(self._limit)
        self._package.charge(n)

    def close(self) -> None:
        self._stream.close()
        super().close()


class Package:
    """A zip package whose parts are read with their inflated size counted.

    ``kind_text`` names the document in messages (文档, 表格). ``read`` returns a whole part (up
    to ``limit`` bytes), ``open`` a stream for ``iterparse``; either raises ReadError (too_large)
    as soon as the part, or all parts read so far, exceed their budget.
    """

    def __init__(self, archive: zipfile.ZipFile, kind_text: str) -> None:
        self.archive = archive
        self.kind_text = kind_text
        self.total = 0
        self.names = set(archive.namelist())

    def too_large(self, limit: int) -> errors.ReadError:
        return part_too_large(self.kind_text, limit)

    def charge(self, n: int) -> None:
        self.total += n
        if self.total > MAX_PACKAGE_INFLATED:
            raise self.too_large(MAX_PACKAGE_INFLATED)

    def open(self, part: str, limit: int = MAX_AUX_PART):
        info = self.archive.getinfo(part)
        if info.file_size > limit:  # declared too large already: no need to inflate it
            raise self.too_large(limit)
        return io.BufferedReader(_BoundedReader(self.archive.open(info), limit, self, part), _CHUNK)

    def read(self, part: str, limit: int = MAX_AUX_PART) -> bytes:
        pieces = []
        with self.open(part, limit) as stream:
            while True:
                piece = stream.read(_CHUNK)
                if not piece:
                    break
                pieces.append(piece)
        return b"".join(pieces)


# --- PDF ------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"stream(?:\r\n|\n|\r)")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_DICT_LOOKBACK = 4096


def check_pdf_streams(data: bytes, limit: int | None = None) -> None:
    """Refuse a PDF whose compressed streams (images aside) inflate beyond ``limit`` in all.

    Each stream after a ``stream`` keyword whose dictionary names FlateDecode is inflated through
    a bounded buffer, as many Flate layers deep as its filter list names, counting the bytes and
    keeping none. Damaged streams are left for PDFium to judge.
    """
    limit = MAX_PDF_INFLATED if limit is None else limit
    total = 0
    for match in _STREAM.finditer(data):
        start = match.start()
        if data[max(0, start - 3) : start] == b"end":  # the "stream" of "endstream"
            continue
        head = data[max(0, start - _DICT_LOOKBACK) : start]
        objects = list(_OBJ.finditer(head))
        head = head[objects[-1].end() :] if objects else head
        layers = len(_FLATE.findall(head))
        if not layers or _IMAGE.search(head):
            continue
        total += _inflated_size(data, match.end(), layers, limit - total + 1)
        if total > limit:
            raise errors.ReadError(
                f"PDF 内容过大（解压后超过 {_mb(limit)} MB），无法读取", errors.TOO_LARGE
            )


def _inflated_size(data: bytes, offset: int, layers: int, budget: int) -> int:
    """How many bytes the Flate stream at ``offset`` inflates to, ``layers`` deep; stops
    counting past ``budget``."""
    decoders = [zlib.decompressobj() for _ in range(min(layers, 4))]
    size = 0
    view = memoryview(data)
    position = offset
    try:
        while position < len(data) and not decoders[0].eof:
            chunk = bytes(view[position : position + 65536])
            position += len(chunk)
            size += _feed(decoders, 0, chunk, budget - size)
            if size > budget:
                return size
    except zlib.error:
        return size  # damaged: PDFium decides what it makes of it
    return size


def _feed(decoders: list, level: int, chunk: bytes, budget: int) -> int:
    """Inflate ``chunk`` through decoders[level:], returning the bytes the last one gave."""
    decoder = decoders[level]
    produced = 0
    while chunk and not decoder.eof:
        out = decoder.decompress(chunk, _CHUNK)
        chunk = decoder.unconsumed_tail
        if level + 1 < len(decoders) and not decoders[level + 1].eof:
            produced += _feed(decoders, level + 1, out, budget - produced)
        elif level + 1 == len(decoders):
            produced += len(out)
        if produced > budget:
            break
    return produced
