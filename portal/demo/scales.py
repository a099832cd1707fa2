"""The demo's sizes, its townships and its sign-in users."""

import datetime
from dataclasses import dataclass

from unionportal.models import Role

DEFAULT_SEED = 20260101
SCALES = ("small", "county")
BATCH_SIZE = 2000


class DatabaseNotEmpty(Exception):
    """The database already holds townships; demo records go into an empty database only."""


# ---------------------------------------------------------------------------------------------
# Scales


@dataclass(frozen=True)
class TownshipSpec:
    code: str
    name: str
    prefix: str  # case numbers (CD-2025-001) and membership cards

    @property
    def short(self) -> str:
        """慈东镇 → 慈东: how enterprise names and joint unions abbreviate the township."""
        return self.name[:-1] if self.name[-1] in "镇乡" else self.name


@dataclass(frozen=True)
class DemoScale:
    """How much to generate: totals over all townships, spread unevenly between them."""

    name: str
    county: str
    townships: tuple[TownshipSpec, ...]
    start: datetime.date
    end: datetime.date
    unions: int
    employers: int
    members: int
    visits: int
    cases: int
    events: int
    # Townships (from the first) that get a staff and a chair user: hashing a password costs
    # most of a second, so the county size signs in through the first township only.
    user_townships: int
    # Firm sizes before scaling, as (fewest, most, weight) classes. Sizes are then scaled so that
    # the members fill the covered employers at a plausible 入会率; these classes keep that
    # factor near 1, so firms with their own union mostly have 25 or more employees.
    firm_sizes: tuple[tuple[int, int, int], ...]

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


TOWNSHIPS = (
    TownshipSpec("cidong", "慈东镇", "CD"),
    TownshipSpec("xishan", "西山乡", "XS"),
    TownshipSpec("qingshi", "青石镇", "QS"),
    TownshipSpec("chengguan", "城关镇", "CG"),
    TownshipSpec("dongao", "东岙镇", "DA"),
    TownshipSpec("nanling", "南岭乡", "NL"),
    TownshipSpec("beihu", "北湖镇", "BH"),
    TownshipSpec("baisha", "白沙镇", "BS"),
    TownshipSpec("jintang", "金塘镇", "JT"),
    TownshipSpec("shipu", "石浦镇", "SP"),
    TownshipSpec("longshan", "龙山镇", "LS"),
    TownshipSpec("qiaotou", "桥头镇", "QT"),
    TownshipSpec("meilin", "梅林镇", "ML"),
    TownshipSpec("hengxi", "横溪镇", "HX"),
    TownshipSpec("fengao", "凤岙乡", "FA"),
    TownshipSpec("changhe", "长河镇", "CH"),
    TownshipSpec("guanhai", "观海镇", "GH"),
    TownshipSpec("xinpu", "新浦镇", "XP"),
    TownshipSpec("andong", "庵东镇", "AD"),
    TownshipSpec("zhouxiang", "周巷镇", "ZX"),
    TownshipSpec("mazhu", "马渚镇", "MZ"),
    TownshipSpec("simen", "泗门镇", "SM"),
    TownshipSpec("dalan", "大岚镇", "DL"),
    TownshipSpec("luting", "鹿亭乡", "LT"),
    TownshipSpec("liangnong", "梁弄镇", "LN"),
    TownshipSpec("sanqishi", "三七市镇", "SQ"),
    TownshipSpec("lubu", "陆埠镇", "LB"),
    TownshipSpec("zhangting", "丈亭镇", "ZT"),
    TownshipSpec("hemudu", "河姆渡镇", "HM"),
    TownshipSpec("huangjiabu", "黄家埠镇", "HJ"),
)

SMALL = DemoScale(
    name="small",
    county="慈溪县",
    townships=TOWNSHIPS[:3],
    start=datetime.date(2025, 1, 1),
    end=datetime.date(2026, 10, 31),
    unions=96,
    employers=135,
    members=2700,
    visits=360,
    cases=96,
    events=240,
    user_townships=3,
    firm_sizes=((4, 20, 50), (25, 45, 30), (45, 90, 15), (90, 200, 5)),
)

COUNTY = DemoScale(
    name="county",
    county="慈溪县",
    townships=TOWNSHIPS,
    start=datetime.date(2024, 1, 1),
    end=datetime.date(2026, 10, 31),
    unions=3_000,
    employers=4_000,
    members=300_000,
    visits=20_000,
    cases=5_000,
    events=10_000,
    user_townships=1,
    firm_sizes=((5, 24, 28), (25, 99, 46), (100, 299, 21), (300, 900, 5)),
)


def scale_named(name: str) -> DemoScale:
    """The scale behind `--scale NAME` (small or county)."""
    return {"small": SMALL, "county": COUNTY}[name]


# ---------------------------------------------------------------------------------------------
# Demo users: stable names and passwords, so the README can list them.


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    full_name: str
    township_code: str = ""

    @property
    def role_label(self) -> str:
        return Role(self.role).label


_STAFF_NAMES = ("张丽娜", "陈晓燕", "周海波", "吴佳怡", "郑志强", "孙丽华")
_CHAIR_NAMES = ("王建国", "李国平", "胡永明", "徐卫东", "沈立新", "马春华")


def demo_users(scale: DemoScale) -> list[DemoUser]:
    """The users `seed_demo` creates for `scale`: staff and chair per township, reviewer, admin."""
    users = []
    for i, spec in enumerate(scale.townships[: scale.user_townships]):
        tag = spec.prefix.lower()
        users.append(
            DemoUser(
                f"{spec.code}_staff",
                f"Demo#2026{tag}",
                Role.STAFF,
                _STAFF_NAMES[i % len(_STAFF_NAMES)],
                spec.code,
            )
        )
        users.append(
            DemoUser(
                f"{spec.code}_chair",
                f"Chair#2026{tag}",
                Role.CHAIR,
                _CHAIR_NAMES[i % len(_CHAIR_NAMES)],
                spec.code,
            )
        )
    users.append(DemoUser("county_reviewer", "Review#2026xz", Role.REVIEWER, "赵审阅"))
    users.append(DemoUser("demo_admin", "Guanli#2026cx", Role.ADMIN, "孙管理"))
    return users
