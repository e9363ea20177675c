"""`duban extract FILE`: print the extraction result as JSON; errors as one line on stderr."""

import argparse
import json
import os
import sys

from .containers import ReadError
from .containers.errors import one_line
from .extract import extract


def _write_compact(result: dict, out) -> None:
    """``json.dumps(result, ensure_ascii=False)``, written an item at a time: the same
    characters, without the whole document's JSON held in memory at once (a large document's
    items run to tens of megabytes)."""
    out.write("{")
    for n, (key, value) in enumerate(result.items()):
        out.write(", " if n else "")
        out.write(json.dumps(key, ensure_ascii=False) + ": ")
        if key == "items" and isinstance(value, list):
            out.write("[")
            for i, item in enumerate(value):
                out.write((", " if i else "") + json.dumps(item, ensure_ascii=False))
            out.write("]")
        else:
            out.write(json.dumps(value, ensure_ascii=False))
    out.write("}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="duban extract", description="读取一份文件，输出提取结果（JSON）。"
    )
    parser.add_argument("file", help=".txt .md .html .docx .xlsx .pdf 文件")
    parser.add_argument("--compact", action="store_true", help="输出紧凑的 JSON")
    args = parser.parse_args(argv)
    shown = one_line(args.file)  # a name with a line break must not break the message
    try:
        result = extract(args.file)
    except ReadError as exc:
        print(f"duban extract: {shown}: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"duban extract: {shown}: 文件不存在", file=sys.stderr)
        return 1
    except IsADirectoryError:
        print(f"duban extract: {shown}: 这是一个目录，不是文件", file=sys.stderr)
        return 1
    except PermissionError:
        print(f"duban extract: {shown}: 没有读取权限", file=sys.stderr)
        return 1
    except Exception as exc:  # the last guard: a bug must still be one line, not a traceback
        print(f"duban extract: {shown}: 提取失败（{type(exc).__name__}）", file=sys.stderr)
        return 1
    indent = None if args.compact else 1
    try:
        # dumps, not dump: json.dump always encodes in Python, dumps in C when compact (twice as
        # fast for a large document). The output is the same.
        if indent is None:
            _write_compact(result, sys.stdout)
        else:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=indent))
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (say, `head`) stopped early; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
