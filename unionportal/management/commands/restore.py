"""python manage.py restore ARCHIVE [--yes]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from unionportal.backup import BackupError, describe_counts, restore_backup


class Command(BaseCommand):
    help = (
        "从 manage.py backup 生成的备份恢复数据库和上传的文件。先核对备份中每个文件的校验值；"
        "目标数据库已有数据时，须加 --yes 才会覆盖。恢复期间请停止平台服务。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", metavar="ARCHIVE", help="备份文件 unionportal-backup-….tar.gz"
        )
        parser.add_argument("--yes", action="store_true", help="确认用备份覆盖已有数据的数据库")

    def handle(self, *args, archive: str, yes: bool, **options) -> None:
        path = Path(archive)
        if not path.is_file():
            raise CommandError(_("找不到备份文件“{path}”。").format(path=archive), returncode=1)
        try:
            result = restore_backup(archive=path, overwrite=yes, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(
            _("已从 {name}（{created} 备份）恢复：{counts}；附件等文件 {files} 个。").format(
                name=path.name,
                created=result.manifest["created_at"],
                counts=describe_counts(result.counts),
                files=result.files_written,
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                _(
                    "备份早于当前版本，还有 {count} 个迁移未应用：请运行 python manage.py migrate。"
                ).format(count=len(result.pending_migrations))
            )
