"""The `duban` console command.

`duban serve`, `duban demo` and the commands of later features are Django management
commands of the apps they belong to; anything else (`duban migrate`, `duban check`,
`duban createsuperuser`) goes to Django as it would through manage.py. Errors end as one
line on standard error, never a traceback.
"""

import os
import sys

USAGE = """用法：duban <命令> [参数]

常用命令：
  setup            初始设置：本单位和第一位督查员账号（空数据库首次使用）
  serve            启动网站（默认 http://127.0.0.1:8000）
  demo             建立演示数据和演示账号
  extract FILE     读取一份文件，输出提取结果（JSON）
  import FILE…     读取文件并导入目标任务
  export OUT       导出台账（.xlsx/.docx，--layout progress|commitments|goals）
  remind           发送临期提醒和逾期催办（可由 cron 定时运行）
  round send P     向各单位发送本期报送通知和填报表（如 round send 2022-Q2）
  apitoken         管理 API 令牌（create / list / revoke）
  migrate          初始化或升级数据库
  backup [OUT]     备份数据库和文件（佐证材料、上传的文件）为一个 .tar.gz
  restore FILE     从备份恢复到空的数据库和数据目录（覆盖已有数据须加 --force）
  createsuperuser  创建管理员账号
  check            检查配置
  help             列出全部命令

设置 DATABASE_URL 可改用 PostgreSQL，DUBAN_DATA_DIR 指定数据目录。"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        print(USAGE)
        return 0
    if argv[0] == "extract":
        # Reading a document needs no database: skip Django's start-up entirely.
        from duban.extraction.command import main as extract_main

        return extract_main(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["duban", *argv])
    except KeyboardInterrupt:
        return 130
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except Exception as exc:  # the last guard: one line, not a traceback
        if "--traceback" in argv:
            raise
        print(f"duban: 错误：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
