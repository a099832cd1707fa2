"""python manage.py export_workbook --township CODE --out FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from unionportal.files import atomic_output, write_error_message
from unionportal.models import Township
from workbook.book import SHEETS_BY_KEY
from workbook.exports import export_workbook, township_querysets


class Command(BaseCommand):
    help = "把某个乡镇工会的全部记录按数据交换工作簿的格式导出为 .xlsx。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--township", metavar="CODE", required=True, help="乡镇工会代码")
        parser.add_argument("--out", metavar="FILE", required=True, help="输出文件路径（.xlsx）")

    def handle(self, *args, township: str, out: str, **options) -> None:
        townships = Township.objects.filter(code=township)
        target = townships.first()
        if target is None:
            raise CommandError(
                _("找不到代码为“{code}”的乡镇工会。").format(code=township), returncode=1
            )
        path = Path(out)
        if path.parent and not path.parent.exists():
            raise CommandError(_("输出目录“{path}”不存在。").format(path=path.parent), returncode=1)
        try:
            with atomic_output(path) as handle:
                # An operator's tool on the server: whole ID numbers and mobiles, so the file can
                # be imported back; logged in the personal-information access log as 命令行.
                written = export_workbook(
                    handle,
                    querysets=township_querysets(townships),
                    full=True,
                    township=target,
                    label=target.name,
                )
        except OSError as exc:
            raise CommandError(write_error_message(path, exc), returncode=1) from None
        # The sheet names stay Chinese in every language: they are the workbook's format.
        counts = _("，").join(
            _("{sheet}{count}条").format(sheet=SHEETS_BY_KEY[k].name, count=n)
            for k, n in written.items()
        )
        self.stdout.write(
            _("已导出{union}的记录（{counts}）：{path}").format(
                union=target.union_name, counts=counts, path=path
            )
        )
        self.stdout.write(
            _("文件含完整身份证号和手机号，请妥善保管，用后删除；本次导出已记入个人信息访问日志。")
        )
