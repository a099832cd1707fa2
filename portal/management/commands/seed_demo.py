"""`python manage.py seed_demo [--scale small|county] [--if-empty] [--seed N]` (spec/cli.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.demo.scales import DEFAULT_SEED, SCALES, DatabaseNotEmpty, scale_named
from portal.demo.seed import seed_demo
from portal.kinds import KINDS
from unionportal import dbstats


class Command(BaseCommand):
    help = "向空数据库写入演示数据（small：3个乡镇约一年半；county：30个乡镇三年，性能基准规模）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale", choices=SCALES, default="small", help="数据规模：small（默认）或 county"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库已有数据时不报错，直接跳过（供 make run 使用）",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）"
        )

    def handle(self, *args, scale: str, if_empty: bool, seed: int, **options) -> None:
        self.stdout.write(
            _("开始生成演示数据：规模 {scale}，随机种子 {seed}").format(scale=scale, seed=seed)
        )
        try:
            result = seed_demo(scale=scale_named(scale), seed=seed, progress=self.stdout.write)
        except DatabaseNotEmpty as exc:
            if if_empty:
                self.stdout.write(
                    _("{reason}，跳过演示数据生成，未做任何修改。").format(reason=exc)
                )
                return
            raise CommandError(
                _(
                    "{reason}，未做任何修改。seed_demo 只能向空数据库写入演示数据；"
                    "如只想在空库时生成，请加 --if-empty。"
                ).format(reason=exc),
                returncode=1,
            ) from None

        # Planner statistics for the freshly loaded tables (unionportal/dbstats.py).
        dbstats.refresh()
        self.stdout.write("")
        self.stdout.write(
            _("各类记录条数（{count} 个乡镇工会合计）：").format(count=result.townships)
        )
        for key, label, _sheet in KINDS:
            self.stdout.write(f"  {label:　<6}{result.counts.get(key, 0):>10,}")
        self.stdout.write("")
        self.stdout.write(_("演示账号："))
        headers = [_("用户名"), _("角色"), _("所属乡镇"), _("密码")]
        self.stdout.write(f"  {headers[0]:<18}{headers[1]:　<6}{headers[2]:　<6}{headers[3]}")
        for user in result.users:
            township = result.township_names.get(user.township_code, "—")
            self.stdout.write(
                f"  {user.username:<21}{user.role_label:　<6}{township:　<6}{user.password}"
            )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据生成完毕，总用时 {seconds:.1f} 秒。").format(seconds=result.seconds)
            )
        )
