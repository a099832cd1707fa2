"""`python manage.py seed_demo [--scale small|county] [--if-empty] [--seed N]` (spec/cli.md)."""

from django.core.management.base import BaseCommand, CommandError

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
        self.stdout.write(f"开始生成演示数据：规模 {scale}，随机种子 {seed}")
        try:
            result = seed_demo(scale=scale_named(scale), seed=seed, progress=self.stdout.write)
        except DatabaseNotEmpty as exc:
            if if_empty:
                self.stdout.write(f"{exc}，跳过演示数据生成，未做任何修改。")
                return
            raise CommandError(
                f"{exc}，未做任何修改。seed_demo 只能向空数据库写入演示数据；"
                "如只想在空库时生成，请加 --if-empty。",
                returncode=1,
            ) from None

        # Planner statistics for the freshly loaded tables (unionportal/dbstats.py).
        dbstats.refresh()
        self.stdout.write("")
        self.stdout.write(f"各类记录条数（{result.townships} 个乡镇工会合计）：")
        for key, label, _ in KINDS:
            self.stdout.write(f"  {label:　<6}{result.counts.get(key, 0):>10,}")
        self.stdout.write("")
        self.stdout.write("演示账号：")
        self.stdout.write(f"  {'用户名':<18}{'角色':　<6}{'所属乡镇':　<6}密码")
        for user in result.users:
            township = result.township_names.get(user.township_code, "—")
            self.stdout.write(
                f"  {user.username:<21}{user.role_label:　<6}{township:　<6}{user.password}"
            )
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示数据生成完毕，总用时 {result.seconds:.1f} 秒。"))
