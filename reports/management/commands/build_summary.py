"""python manage.py build_summary (--township CODE | --county NAME) --period PERIOD
--format pdf|docx --out FILE [--traditional]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from reports.services import summary_document
from unionportal.files import write_error_message, write_whole
from unionportal.models import County, Township
from unionportal.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = "生成乡镇工会或县总工会某一期间的工作总结（PDF 或 DOCX）。"

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--township", metavar="CODE", help="乡镇工会代码")
        scope.add_argument("--county", metavar="NAME", help="县总工会名称（生成全县汇总）")
        parser.add_argument("--period", required=True, help="期间，如 2026H1、2026、2026Q3")
        parser.add_argument("--format", required=True, choices=["pdf", "docx"], dest="fmt")
        parser.add_argument("--out", required=True, help="输出文件路径")
        parser.add_argument("--traditional", action="store_true", help="输出繁体中文")

    def handle(
        self,
        *args,
        township: str | None,
        county: str | None,
        period: str,
        fmt: str,
        out: str,
        traditional: bool,
        **options,
    ) -> None:
        try:
            parsed = parse_period(period)
        except PeriodError as exc:
            raise CommandError(str(exc), returncode=1) from None
        target_township = target_county = None
        if township:
            target_township = (
                Township.objects.select_related("county").filter(code=township).first()
            )
            if target_township is None:
                raise CommandError(
                    _("找不到代码为“{code}”的乡镇工会。").format(code=township), returncode=1
                )
        else:
            target_county = County.objects.filter(name=county).first()
            if target_county is None:
                raise CommandError(
                    _("找不到名为“{name}”的县总工会。").format(name=county), returncode=1
                )
        path = Path(out)
        if path.parent and not path.parent.exists():
            raise CommandError(_("输出目录“{path}”不存在。").format(path=path.parent), returncode=1)
        document = summary_document(
            township=target_township,
            county=target_county,
            period=parsed,
            language="zh-hant" if traditional else "zh-hans",
        )
        data = render_pdf(document) if fmt == "pdf" else render_docx(document)
        try:
            write_whole(path, data)
        except OSError as exc:
            raise CommandError(write_error_message(path, exc), returncode=1) from None
        self.stdout.write(
            _("已生成《{title}》：{path}（{size} KB）").format(
                title=document.title, path=path, size=len(data) // 1024
            )
        )
