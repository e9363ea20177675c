"""`duban cleanup`: remove stored files that no row points to any more.

Looks under the file storage's evidence/, drafts/, documents/ and replies/ folders. A file
younger than --min-age minutes is left alone: an upload writes its file a moment before its
row, so a cleanup from cron must not take a file whose row is still being saved.
"""

import os
import time
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from duban.documents.models import ImportDraft, SourceDocument
from duban.supervision.models import ReplyDraft
from duban.targets.models import Evidence

FOLDERS = ("evidence", "drafts", "documents", "replies")
# What points at each folder's files.
REFERENCES = (
    (Evidence, "file"),
    (ImportDraft, "file"),
    (SourceDocument, "file"),
    (ReplyDraft, "file"),
)


class Command(BaseCommand):
    help = "删除存储目录中已无记录引用的文件（佐证材料、导入草稿、原文件、报送表回传）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出，不删除")
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="只处理至少这么多分钟前写入的文件（默认 60），以免删掉正在上传的文件",
        )
        parser.add_argument("--quiet", action="store_true", help="不逐个列出文件，只输出汇总")

    def handle(self, *args, dry_run=False, min_age=60, quiet=False, **options):
        root = Path(default_storage.location)
        referenced = set()
        for model, field in REFERENCES:
            referenced.update(
                name for name in model.objects.values_list(field, flat=True).iterator() if name
            )
        cutoff = time.time() - max(min_age, 0) * 60
        removed = size = 0
        for folder in FOLDERS:
            for dirpath, _dirs, names in os.walk(root / folder):
                for filename in sorted(names):
                    path = Path(dirpath) / filename
                    name = path.relative_to(root).as_posix()
                    if name in referenced:
                        continue
                    try:
                        stat = path.stat()
                        if stat.st_mtime > cutoff:
                            continue
                        if not dry_run:
                            path.unlink()
                    except FileNotFoundError:
                        continue  # removed meanwhile, by another run or a deletion
                    removed += 1
                    size += stat.st_size
                    if not quiet:
                        self.stdout.write(f"{'将删除' if dry_run else '已删除'} {name}")
        verb = "可删除" if dry_run else "已删除"
        self.stdout.write(f"{verb}无引用的文件 {removed} 个，共 {_size(size)}")


def _size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
