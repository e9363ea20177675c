"""`duban extract FILE`: print the extraction result as JSON; errors as one line on stderr."""

import argparse
import os
import sys

from .containers import ReadError
from .containers.errors import one_line
from .isolated import extract_isolated


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="duban extract", description="读取一份文件，输出提取结果（JSON）。"
    )
    parser.add_argument("file", help=".txt .md .html .docx .xlsx .pdf 文件")
    parser.add_argument("--compact", action="store_true", help="输出紧凑的 JSON")
    args = parser.parse_args(argv)
    shown = one_line(args.file)  # a name with a line break must not break the message
    try:
        # In a child process with a memory and CPU limit: a file that needs more is a message.
        result = extract_isolated(
            path=args.file,
            name=os.path.basename(args.file),
            indent=None if args.compact else 1,
            raw=True,
        )
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
    try:
        # The JSON as the child wrote it (json.dumps, ensure_ascii=False).
        sys.stdout.flush()
        sys.stdout.buffer.write(result + b"\n")
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # The reader (say, `head`) stopped early; that is not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0
