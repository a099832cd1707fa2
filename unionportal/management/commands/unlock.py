import ipaddress

from axes.utils import reset
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = (
        "解除登录失败锁定：--user 某用户名（在所有地址），--ip 某网络地址（含整个地址的锁定），"
        "两者同时给出则只解除该用户名在该地址的锁定。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", metavar="NAME", default=None, help="用户名")
        parser.add_argument("--ip", metavar="ADDR", default=None, help="网络地址，如 10.8.0.1")

    def handle(self, *args, user: str | None, ip: str | None, **options) -> None:
        user = (user or "").strip() or None
        ip = (ip or "").strip() or None
        if user is None and ip is None:
            raise CommandError(
                _("请用 --user 指定用户名，或用 --ip 指定网络地址（也可两者都给）。")
            )
        if ip is not None:
            try:
                ip = str(ipaddress.ip_address(ip))
            except ValueError:
                raise CommandError(_("“{ip}”不是有效的网络地址。").format(ip=ip)) from None
        # The failed attempts are what both lockouts count (unionportal.security): removing
        # them lifts the lockout at once, and the counting starts again from nothing.
        removed = reset(ip=ip, username=user)
        parts = [
            _("用户名“{name}”").format(name=user) if user else "",
            _("网络地址 {ip}").format(ip=ip) if ip else "",
        ]
        what = _("、").join(part for part in parts if part)
        if removed:
            self.stdout.write(
                _("已解除{what}的登录锁定（清除 {count} 条失败记录），现在即可登录。").format(
                    what=what, count=removed
                )
            )
        else:
            self.stdout.write(_("没有找到{what}的登录失败记录，无需解除。").format(what=what))
