"""python manage.py import_workbook FILE --township CODE [--dry-run]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from unionportal.models import Township
from unionportal.spreadsheet.reading import MAX_UPLOAD_BYTES
from workbook.history import record_import
from workbook.models import ImportSource
from workbook.services import import_workbook


class Command(BaseCommand):
    help = "把数据交换工作簿（.xlsx）导入某个乡镇工会；有任何一行出错就不写入任何数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="数据交换工作簿（.xlsx）")
        parser.add_argument("--township", metavar="CODE", required=True, help="乡镇工会代码")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并报告将新增、更新多少条，不写入"
        )

    def handle(self, *args, file: str, township: str, dry_run: bool, **options) -> None:
        target = Township.objects.filter(code=township).first()
        if target is None:
            raise CommandError(
                _("找不到代码为“{code}”的乡镇工会。").format(code=township), returncode=1
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件“{path}”。").format(path=file), returncode=1)
        with path.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
        report = import_workbook(data=data, township=target, user=None, dry_run=dry_run)
        for warning in report.warnings:
            self.stderr.write(_("提示：{warning}").format(warning=warning))
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            self.stderr.flush()
            raise CommandError(
                _("共{count}个问题，未导入任何数据。请改正后重新导入。").format(
                    count=len(report.problems)
                ),
                returncode=1,
            )
        if report.written:
            record_import(
                township=target,
                user=None,
                file_name=path.name,
                data=data,
                report=report,
                source=ImportSource.COMMAND,
            )
        if dry_run:
            message = _("{union}检查通过，将会：{summary}")
        else:
            message = _("{union}已导入：{summary}")
        self.stdout.write(message.format(union=target.union_name, summary=report.summary()))
        if dry_run:
            self.stdout.write(_("（--dry-run：未写入任何数据）"))
        sys.stdout.flush()
