from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from unionportal.models import County, Township
from unionportal.services import add_township


class Command(BaseCommand):
    help = "新建乡镇工会（代码已存在时修改其名称）；所属县总工会不存在时一并新建。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", metavar="CODE", help="乡镇代码：英文字母、数字、-、_")
        parser.add_argument("name", metavar="NAME", help="乡镇名称，如 慈东镇")
        parser.add_argument(
            "--county",
            metavar="NAME",
            default=None,
            help="所属县总工会（县名）；只有一个县总工会时可省略",
        )

    def handle(self, *args, code: str, name: str, county: str | None, **options) -> None:
        # Read before the write only to word the message; the service decides.
        old_name = Township.objects.filter(code=code.strip()).values_list("name", flat=True).first()
        county_is_new = (
            county is not None and not County.objects.filter(name=county.strip()).exists()
        )
        try:
            township, created = add_township(code=code, name=name, county_name=county)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages), returncode=1) from None

        federation = township.county.federation_name
        if created:
            if county_is_new:
                message = _(
                    "已新建乡镇工会“{name}”（代码 {code}），所属{county}（同时新建{county}）。"
                )
            else:
                message = _("已新建乡镇工会“{name}”（代码 {code}），所属{county}。")
            message = message.format(name=township.name, code=township.code, county=federation)
        elif old_name == township.name:
            message = _("乡镇工会 {code} 已名为“{name}”，无需修改。").format(
                code=township.code, name=township.name
            )
        else:
            message = _("已将乡镇工会 {code} 由“{old}”更名为“{name}”。").format(
                code=township.code, old=old_name, name=township.name
            )
        self.stdout.write(self.style.SUCCESS(message))
