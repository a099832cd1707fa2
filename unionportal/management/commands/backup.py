"""python manage.py backup [--out DIR]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from unionportal.backup import BackupError, create_backup, default_backup_dir, describe_counts


class Command(BaseCommand):
    help = (
        "备份数据库（SQLite 在线备份或 pg_dump）、上传的附件和 MEDIA_ROOT，"
        "写成一个 unionportal-backup-日期-时间.tar.gz；运行中的平台无需停机。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out",
            metavar="DIR",
            default=None,
            help="备份存放目录（不存在时自动创建）；默认取环境变量 BACKUP_DIR，否则 var/backups/",
        )

    def handle(self, *args, out: str | None, **options) -> None:
        directory = Path(out) if out else default_backup_dir()
        try:
            result = create_backup(out_dir=directory)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from None
        manifest = result.manifest
        self.stdout.write(
            _(
                "已备份到 {path}（{size:.1f} MB，{files} 个文件）\n"
                "数据库：{engine}；{counts}\n"
                "SHA-256：{sha256}"
            ).format(
                path=result.path,
                size=result.size / 1024 / 1024,
                files=len(manifest["files"]),
                engine=manifest["database"]["engine"],
                counts=describe_counts(manifest["counts"]),
                sha256=result.sha256,
            )
        )
