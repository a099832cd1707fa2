"""Demo records for an empty database (`python manage.py seed_demo`).

`seed_demo()` fills one county federation with townships, their grassroots unions, employers,
members, collective contracts, dues, welfare visits, cases and events, plus one sign-in user for
every role. Two sizes: `small` (three townships, about a year and a half of every record kind, for
trying the portal) and `county` (thirty townships and three years: the benchmark size of the
performance issue).

Everything is drawn from `random.Random` seeded per township and record kind, and every date lies
in the scale's fixed window (no `date.today()`), so two runs with the same seed write the same
records (only the audit stamps `created_at`/`updated_at` differ). Rows are built in Python with
their primary keys already assigned and written in bulk inside one transaction: no per-row query
and no per-row `full_clean`, which keeps the county size (300,000 members) to about a minute on
SQLite. The generators keep to the models' database constraints and to the records workbook's
rules (spec/workbook.md) by construction; the tests check the small size with `full_clean`.
"""

import calendar
import datetime
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from disputes.models import Case, CaseCategory, CaseStatus, Channel, Handling
from events.models import Event, EventCategory
from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    EconomicType,
    Employer,
    GrassrootsUnion,
    Member,
    ModelWorkerLevel,
    StarRating,
    UnionKind,
)
from reports.models import AnnualTarget, AssessmentWeight, TargetIndicator
from unionportal import pii
from unionportal.models import County, Role, Township, User
from unionportal.periods import parse_period
from unionportal.pii import EncryptedIdNumberField, IdNumberHashField
from unionportal.validators import credit_check_char, id_check_char
from welfare.models import BeneficiaryType, FundSource, WelfareVisit

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


# ---------------------------------------------------------------------------------------------
# Vocabularies for plausible names and numbers

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严武戴莫孔汤应俞岑楼童舒柴裘"
)
# More common surnames first: weights fall off along the string.
_SURNAME_WEIGHTS = list(itertools.accumulate(1.0 / (1 + i * 0.08) for i in range(len(SURNAMES))))
MALE_CHARS = (
    "伟强磊军勇杰涛斌超明辉刚健峰建国华平林波鹏宇浩俊飞凯龙海东亮"
    "文志永成兵鑫晨阳宁新立忠德春锋荣力松良庆"
)
FEMALE_CHARS = "芳娜敏静丽艳娟霞秀英玲燕萍红梅琳雪婷慧莉洁颖佳倩丹蓉媛琴云凤晶欣怡月兰桂珍萱雅"

# Resident ID region codes (GB/T 2260): the county and its neighbours for local people, and the
# counties most Zhejiang migrant workers come from.
LOCAL_REGIONS = ("330282",) * 8 + ("330281", "330283", "330226", "330225", "330212", "330206")
MIGRANT_REGIONS = (
    "341221 341222 341225 342221 411522 411526 412726 511321 511623 511725 520502 522422 "
    "360731 360732 431021 430524 532128 500233"
).split()
COUNTY_REGION = "330282"
MOBILE_PREFIXES = (
    "133 135 136 137 138 139 150 151 152 157 158 159 177 180 182 187 188 189 198 199"
).split()
EDUCATIONS = ("小学", "初中", "高中", "中专", "大专", "本科", "研究生")
_EDUCATION_WEIGHTS = list(itertools.accumulate((3, 25, 20, 15, 20, 15, 2)))
MINORITIES = ("土家族", "苗族", "彝族", "布依族", "回族", "侗族")

BRANDS = (
    "恒达 华宇 金鑫 永盛 宏图 东方 天成 瑞丰 振华 海天 博远 联创 顺发 巨力 通达 鼎盛 宝丰 锦程 "
    "精工 德隆 新光 亚太 中意 欧博 凯迪 利达 三友 富源 开元 光明 嘉禾 旭日 星辰 泰和 龙腾 飞跃 "
    "祥和 汇丰 兴业 立信 方圆 美达 奥克 汉威 卓越 晨光 润泽 宏达 伟业 华盛 金海 银河 明珠 "
    "东海 天马 金龙 百盛 安信 远大 联丰 锐达 丰源 佳和 长虹 宇星 盛达 金帆 海韵 欣诚"
).split()
INDUSTRIES = (
    "机械 电器 塑业 纺织 服饰 五金 模具 汽车零部件 电子 家电 轴承 化纤 包装 印务 食品 水产 建材 "
    "不锈钢 照明 工具 阀门 紧固件 家具 文具 物流 建设 新材料 光电 智能科技 精密铸造 制衣 针织 "
    "橡胶 环保科技 医疗器械 电机 线缆 卫浴 小家电 渔具"
).split()
PUBLIC_BODIES = (
    ("人民政府", "机关工会"),
    ("中心小学", "中心小学工会"),
    ("初级中学", "初级中学工会"),
    ("卫生院", "卫生院工会"),
    ("中心幼儿园", "中心幼儿园工会"),
    ("成人文化技术学校", "成人文化技术学校工会"),
    ("第二小学", "第二小学工会"),
    ("综合文化站", "综合文化站工会"),
    ("农业农村办公室", "农业农村办公室工会"),
    ("社会事务管理服务中心", "社会事务管理服务中心工会"),
)
STATE_FIRMS = (
    "国网慈溪县供电公司{short}供电所",
    "慈溪县自来水有限公司{short}水厂",
    "中国邮政集团有限公司慈溪县{short}支局",
    "慈溪县农村商业银行{short}支行",
)
VILLAGE_FIRST = "东西南北上下新大小前后石杨李王沈陈胡金长横白高塘桥"
VILLAGE_SECOND = "家桥塘岙浦山湾埠岭溪江林庄坞墩头洋河泾"
JOINT_AREAS = (
    "工业园区 五金行业 商贸城 小微企业 餐饮行业 物流行业 建筑行业 家政服务业 快递行业 汽配行业 "
    "纺织服装行业 电商产业园 个体劳动者 新就业形态 农贸市场 商会"
).split()
UNIVERSITIES = (
    "浙江大学 宁波大学 浙江工业大学 杭州电子科技大学 浙江师范大学 宁波工程学院 浙江万里学院 "
    "宁波职业技术学院 中国计量大学 浙江科技大学"
).split()
MEDIA = "宁波日报 浙江工人日报 县融媒体中心 宁波晚报 中工网 慈溪新闻 宁波工会微信公众号".split()

# Dates of the festivals that time the welfare campaigns.
SPRING_FESTIVAL = {
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
}
DOUBLE_NINTH = {
    2024: datetime.date(2024, 10, 11),
    2025: datetime.date(2025, 10, 29),
    2026: datetime.date(2026, 10, 18),
}


# ---------------------------------------------------------------------------------------------
# Small helpers


def _rng(seed: int, *parts: object) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`, so it does not depend on PYTHONHASHSEED;
    # one stream per township and record kind keeps each kind stable when another one changes.
    return random.Random("-".join(str(p) for p in (seed, *parts)))


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return datetime.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    last = calendar.monthrange(day.year + years, day.month)[1]
    return day.replace(year=day.year + years, day=min(day.day, last))


def _yuan(amount: float) -> Decimal:
    return Decimal(round(amount * 100)) / 100


def _hundreds(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low // 100, high // 100) * 100)


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Largest-remainder apportionment of `total` in proportion to `weights`."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _person_name(rng: random.Random, male: bool, surname: str | None = None) -> str:
    family = surname or rng.choices(SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.3:
        return family + rng.choice(chars)
    return family + rng.choice(chars) + rng.choice(chars)


class IdNumbers:
    """Resident ID numbers (GB 11643-1999), never the same twice in one county."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def make(self, rng: random.Random, *, region: str, birth: datetime.date, male: bool) -> str:
        base = f"{region}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        while True:
            # The 17th digit is odd for men and even for women.
            order = rng.randrange(1000)
            if (order % 2 == 1) != male:
                order ^= 1
            first17 = f"{base}{order:03d}"
            if first17 not in self._taken:
                self._taken.add(first17)
                return first17 + id_check_char(first17)


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _credit_code(rng: random.Random, head: str, taken: set[str]) -> str:
    """A unified social credit code (GB 32100-2015): authority and kind, region, body, check."""
    while True:
        if head == "91" and rng.random() < 0.5:
            body = "MA2" + "".join(rng.choices(_CREDIT_CHARS, k=6))  # registered since 2015
        else:
            body = f"{rng.randrange(10**8):08d}" + rng.choice(_CREDIT_CHARS)
        first17 = f"{head}{COUNTY_REGION}{body}"
        if first17 not in taken:
            taken.add(first17)
            return first17 + credit_check_char(first17)


Row = dict[str, object]


class _TableWriter:
    """Writes rows given as dicts (keyed by attname) straight into `model`'s table.

    Used for the three big kinds (members, dues, visits). bulk_create spends about 0.4 ms a row
    building model instances and compiling SQL: 300,000 members took 138 s on SQLite, most of
    the county size's budget. Here each value is only adapted by its field type, and rows go in
    multi-row INSERTs as large as the backend's parameter limit allows (one statement per row
    would cost PostgreSQL a round trip each). `created_at`/`updated_at` are filled in here, as
    auto_now_add/auto_now would.
    """

    def __init__(self, model: type[models.Model], *, now: datetime.datetime) -> None:
        ops, qn = connection.ops, connection.ops.quote_name
        stamped = ops.adapt_datetimefield_value(now)
        self.fields: list[tuple[str, Callable[[object], object] | None, object]] = []
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField):
                self.fields.append((f.attname, None, stamped))
            elif f.attname == "version":  # optimistic-locking counter: every new row is version 1
                self.fields.append((f.attname, None, 1))
            elif isinstance(f, models.DateField):
                self.fields.append((f.attname, ops.adapt_datefield_value, None))
            elif isinstance(f, models.DecimalField):
                self.fields.append((f.attname, ops.adapt_decimalfield_value, None))
            elif isinstance(f, EncryptedIdNumberField):  # sealed as the ORM would seal it
                self.fields.append((f.attname, pii.encrypt, None))
            elif isinstance(f, IdNumberHashField):  # the look-up hash of the row's ID number
                self.fields.append((f.source, pii.id_number_hash, None))
            else:
                self.fields.append((f.attname, None, None))
        columns = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
        self.head = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES "
        self.mark = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        limit = connection.features.max_query_params or 65535
        self.per_statement = max(1, min(500, limit // len(self.fields)))

    def _sql(self, rows: int) -> str:
        return self.head + ", ".join([self.mark] * rows)

    def write(self, rows: Sequence[Row]) -> int:
        fields, step = self.fields, self.per_statement
        flat = [
            fixed if fixed is not None else (row[name] if adapt is None else adapt(row[name]))
            for row in rows
            for name, adapt, fixed in fields
        ]
        width = len(fields) * step
        whole = len(rows) // step
        with connection.cursor() as cursor:
            if whole:
                cursor.executemany(
                    self._sql(step), [flat[i * width : (i + 1) * width] for i in range(whole)]
                )
            if len(rows) > whole * step:
                cursor.execute(self._sql(len(rows) - whole * step), flat[whole * width :])
        return len(rows)


def _ids(model: type[models.Model]) -> Iterator[int]:
    """Primary keys for new rows of `model`, assigned in Python so rows can refer to each other
    before they are written (bulk_create does not need to hand the keys back)."""
    top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
    return itertools.count(top + 1)


# ---------------------------------------------------------------------------------------------
# Per-township state shared between the record kinds


@dataclass(slots=True)
class _MemberRef:
    id: int
    name: str
    id_number: str
    male: bool
    model_worker: str
    employer_id: int | None


@dataclass
class _TownshipPlan:
    spec: TownshipSpec
    township: Township
    actor_id: int  # created_by/updated_by of every record: the demo administrator
    unions: int
    employers: int
    members: int
    visits: int
    cases: int
    events: int
    union_rows: list[GrassrootsUnion] = field(default_factory=list)
    employer_rows: list[Employer] = field(default_factory=list)
    wages: dict[int, int] = field(default_factory=dict)  # employer id → monthly wage (yuan)
    villages: list[str] = field(default_factory=list)
    member_refs: list[_MemberRef] = field(default_factory=list)

    def stamp(self) -> dict[str, object]:
        return {
            "township_id": self.township.pk,
            "created_by_id": self.actor_id,
            "updated_by_id": self.actor_id,
        }

    def union_by_id(self) -> dict[int, GrassrootsUnion]:
        return {u.pk: u for u in self.union_rows}


# ---------------------------------------------------------------------------------------------
# Organisation: grassroots unions and employers


def _villages(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND)
        if name[0] != name[1] and name not in names:
            names.append(name)
    return names


def _enterprise_name(rng: random.Random, spec: TownshipSpec, taken: set[str]) -> str:
    while True:
        place = rng.choices(("宁波", "浙江", "慈溪", spec.short, ""), weights=(4, 2, 3, 3, 1))[0]
        brand, trade = rng.choice(BRANDS), rng.choice(INDUSTRIES)
        roll = rng.random()
        if roll < 0.78:
            name = f"{place}{brand}{trade}有限公司"
        elif roll < 0.86:
            name = f"{place or '宁波'}{brand}{trade}股份有限公司"
        elif roll < 0.93:
            name = f"{spec.name}{brand}{trade}厂"
        else:
            name = f"{place or '浙江'}{brand}集团有限公司"
        if name not in taken:
            taken.add(name)
            return name


def _build_organisation(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    union_ids: Iterator[int],
    employer_ids: Iterator[int],
    credit_codes: set[str],
) -> None:
    """Grassroots unions of every kind and the employers they cover, kept on `plan`."""
    rng = _rng(seed, plan.spec.code, "organisation")
    spec, stamp = plan.spec, plan.stamp()
    n_public = min(len(PUBLIC_BODIES), max(1, round(plan.unions * 0.08)))
    n_village = max(1, round(plan.unions * 0.15))
    n_joint = max(1, round(plan.unions * 0.12))
    n_enterprise = plan.unions - n_public - n_village - n_joint
    n_firms = plan.employers - n_public - n_village
    if n_enterprise < 1 or n_firms < n_enterprise + n_joint:
        raise ValueError("单位数太少，不足以覆盖各类基层工会。")
    plan.villages = _villages(rng, n_village + 4)

    # Employers first (without unions): firms by size class, then public bodies and villages.
    names: set[str] = set()
    drafts: list[dict] = []  # name, raw size, economic type, credit head, wage, group
    for i in range(n_firms):
        if i < min(len(STATE_FIRMS), max(1, n_firms // 30)):
            name, etype, head = STATE_FIRMS[i].format(short=spec.short), EconomicType.STATE, "91"
            names.add(name)
        else:
            name = _enterprise_name(rng, spec, names)
            etype = rng.choices(
                (EconomicType.PRIVATE, EconomicType.FOREIGN, EconomicType.HMT, EconomicType.OTHER),
                weights=(82, 8, 6, 4),
            )[0]
            head = "91" if etype != EconomicType.OTHER else "92"
        low, high, _ = rng.choices(scale.firm_sizes, [w for *_, w in scale.firm_sizes])[0]
        drafts.append(
            {
                "name": name,
                "raw": rng.randint(low, high),
                "type": etype,
                "head": head,
                "wage": rng.randint(5200, 9000),
                "group": "firm",
            }
        )
    for suffix, _ in PUBLIC_BODIES[:n_public]:
        drafts.append(
            {
                "name": f"{spec.name}{suffix}",
                "raw": rng.randint(30, 160),
                "type": EconomicType.PUBLIC,
                "head": "11" if suffix.endswith(("政府", "办公室")) else "12",
                "wage": rng.randint(8500, 12000),
                "group": "public",
            }
        )
    for village in plan.villages[:n_village]:
        drafts.append(
            {
                "name": f"{village}村股份经济合作社",
                "raw": rng.randint(8, 40),
                "type": EconomicType.COLLECTIVE,
                "head": "N1",
                "wage": rng.randint(4200, 6000),
                "group": "village",
            }
        )

    # Which firms have their own union, which join a joint union, which have none: larger firms
    # tend to have their own.
    firms = [d for d in drafts if d["group"] == "firm"]
    by_size = sorted(firms, key=lambda d: d["raw"] * rng.uniform(0.7, 1.3), reverse=True)
    own = by_size[:n_enterprise]
    rest = sorted(by_size[n_enterprise:], key=lambda d: d["raw"])
    joined = rest[: max(n_joint, round(len(rest) * 0.55))]
    for d in own:
        d["cover"] = "own"
    for d in joined:
        d["cover"] = "joint"
    for d in drafts:
        d.setdefault("cover", "none" if d["group"] == "firm" else d["group"])

    # Scale the sizes so that members fill covered employers at a plausible 入会率 (~88%).
    covered_raw = sum(d["raw"] for d in drafts if d["cover"] != "none")
    factor = plan.members * 0.94 / 0.88 / covered_raw
    for d in drafts:
        d["employees"] = max(3, round(d["raw"] * factor * rng.uniform(0.9, 1.1)))

    # Unions.
    start, end = scale.start, scale.end

    def founded(kind: str) -> datetime.date:
        if rng.random() < 0.08:  # 新建工会 within the data window
            return _day(rng, start, end - datetime.timedelta(days=60))
        low = datetime.date(1995 if kind == UnionKind.PUBLIC else 2003, 1, 1)
        return _day(rng, low, start - datetime.timedelta(days=1))

    def union(name: str, kind: str, employees: int) -> GrassrootsUnion:
        standardised = rng.random() < (0.8 if kind == UnionKind.PUBLIC else 0.45)
        star = StarRating.NONE
        if standardised:
            star = rng.choices(
                (StarRating.NONE, StarRating.ONE, StarRating.TWO, StarRating.THREE),
                (30, 35, 25, 10),
            )[0]
        big = employees >= 100 or kind == UnionKind.PUBLIC
        founded_on = founded(kind)
        dissolved_on = None
        if kind in (UnionKind.ENTERPRISE, UnionKind.JOINT) and rng.random() < 0.04:
            low = max(start, founded_on + datetime.timedelta(days=200))
            if low < end - datetime.timedelta(days=30):
                dissolved_on = _day(rng, low, end - datetime.timedelta(days=30))
        congress = rng.random() < (0.9 if big else 0.5)
        migrant_chair = kind in (UnionKind.ENTERPRISE, UnionKind.JOINT) and rng.random() < 0.1
        return GrassrootsUnion(
            id=next(union_ids),
            name=name,
            kind=kind,
            founded_on=founded_on,
            chair_name=_person_name(rng, rng.random() < 0.65),
            chair_is_migrant=migrant_chair,
            standardised=standardised,
            star=star,
            has_congress=congress,
            has_affairs_openness=congress and rng.random() < 0.9,
            has_women_committee=rng.random() < (0.7 if big else 0.4),
            dissolved_on=dissolved_on,
            **stamp,
        )

    union_of: dict[str, GrassrootsUnion] = {}
    for d in drafts:
        if d["cover"] == "own":
            union_of[d["name"]] = union(f"{d['name']}工会", UnionKind.ENTERPRISE, d["employees"])
        elif d["cover"] == "public":
            suffix = d["name"][len(spec.name) :]
            label = dict(PUBLIC_BODIES)[suffix]
            union_of[d["name"]] = union(f"{spec.name}{label}", UnionKind.PUBLIC, d["employees"])
        elif d["cover"] == "village":
            union_of[d["name"]] = union(
                f"{d['name'].removesuffix('股份经济合作社')}工会", UnionKind.VILLAGE, d["employees"]
            )
    areas = list(JOINT_AREAS) + [f"{v}村" for v in plan.villages[n_village:]]
    joint_unions = [
        union(f"{spec.name}{area}联合工会", UnionKind.JOINT, 100)
        for area in rng.sample(areas, n_joint)
    ]
    for i, d in enumerate(joined):
        union_of[d["name"]] = joint_unions[i % n_joint]
    plan.union_rows = sorted({u.pk: u for u in union_of.values()}.values(), key=lambda u: u.pk)

    for d in drafts:
        employees = d["employees"]
        u = union_of.get(d["name"])
        migrant_share = 0.0 if d["group"] == "public" else rng.uniform(0.05, 0.7)
        if d["group"] == "village":
            migrant_share = rng.uniform(0.0, 0.1)
        should = employees >= 25
        if rng.random() < 0.05:
            should = not should  # 应建会 as stated by the office, not always the default
        if u is not None:
            should = should or rng.random() < 0.5
        employer = Employer(
            id=next(employer_ids),
            name=d["name"],
            credit_code="" if rng.random() < 0.03 else _credit_code(rng, d["head"], credit_codes),
            economic_type=d["type"],
            employees=employees,
            migrant_employees=round(employees * migrant_share),
            should_unionise=should,
            union_id=u.pk if u else None,
            **stamp,
        )
        plan.employer_rows.append(employer)
        plan.wages[employer.pk] = d["wage"]


# ---------------------------------------------------------------------------------------------
# Members


def _build_members(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    member_ids: Iterator[int],
    id_numbers: IdNumbers,
) -> list[Row]:
    """Members of the covered employers: valid resident IDs, ~88% of employees, some who left.

    Rows are dicts for `_TableWriter`; choice values are plain strings for the database driver.
    """
    rng = _rng(seed, plan.spec.code, "members")
    stamp = plan.stamp()
    unions = plan.union_by_id()
    covered = [e for e in plan.employer_rows if e.union_id is not None]
    weights = [e.employees * rng.uniform(0.8, 1.0) for e in covered]
    shares = _apportion(plan.members, weights)
    start, end = scale.start, scale.end
    start_ord, end_ord = start.toordinal(), end.toordinal()
    recruit_end = end - datetime.timedelta(days=10)
    born_low = datetime.date(1965, 1, 1).toordinal()
    born_high = datetime.date(2004, 12, 31).toordinal()
    card_seq = itertools.count(1)
    rows: list[Row] = []
    refs = plan.member_refs
    levels = {level: level.value for level in ModelWorkerLevel}
    choice, rand, randint = rng.choice, rng.random, rng.randint
    for employer, count in zip(covered, shares, strict=True):
        u = unions[employer.union_id]
        migrant_share = employer.migrant_employees / employer.employees
        union_end = u.dissolved_on or end
        for _ in range(count):
            migrant = rand() < migrant_share
            male = rand() < 0.56
            birth = datetime.date.fromordinal(
                max(randint(born_low, born_high), randint(born_low, born_high))
                if rand() < 0.5
                else randint(born_low, born_high)
            )
            region = choice(MIGRANT_REGIONS if migrant else LOCAL_REGIONS)
            id_number = id_numbers.make(rng, region=region, birth=birth, male=male)
            adult = _add_years(birth, 18)
            low = max(u.founded_on, adult).toordinal()
            # Most joined before the window; about one in eight is a 新发展会员 within it.
            if low < start_ord and rand() < 0.87:
                joined = datetime.date.fromordinal(randint(low, start_ord - 1))
            else:
                joined = datetime.date.fromordinal(
                    randint(max(low, start_ord), max(low, recruit_end.toordinal()))
                )
            if joined > union_end:
                joined = u.founded_on if u.founded_on > adult else adult
                joined = min(joined, union_end)
            left = None
            if u.dissolved_on is not None:
                left = u.dissolved_on
            elif rand() < 0.06:
                left_low = max(joined.toordinal() + 30, start_ord)
                if left_low < end_ord:
                    left = datetime.date.fromordinal(randint(left_low, end_ord))
            roll = rand()
            level = levels[ModelWorkerLevel.NONE]
            if roll < 0.012:
                level = levels[
                    ModelWorkerLevel.NATIONAL
                    if roll < 0.0002
                    else ModelWorkerLevel.PROVINCE
                    if roll < 0.0012
                    else ModelWorkerLevel.CITY
                    if roll < 0.004
                    else ModelWorkerLevel.COUNTY
                ]
            ethnicity = "汉族"
            if migrant and rand() < 0.08:
                ethnicity = choice(MINORITIES)
            elif rand() < 0.05:
                ethnicity = ""
            name = _person_name(rng, male)
            member_id = next(member_ids)
            rows.append(
                {
                    "id": member_id,
                    "name": name,
                    "id_number": id_number,
                    "gender": "M" if male else "F",
                    "birth_date": birth,
                    "union_id": u.pk,
                    "employer_id": employer.pk,
                    "joined_on": joined,
                    "mobile": ""
                    if rand() < 0.07
                    else f"{choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}",
                    "ethnicity": ethnicity,
                    "education": ""
                    if rand() < 0.05
                    else rng.choices(EDUCATIONS, cum_weights=_EDUCATION_WEIGHTS)[0],
                    "is_migrant": migrant,
                    "model_worker": level,
                    "left_on": left,
                    "card_number": ""
                    if rand() < 0.1
                    else f"{plan.spec.prefix}{joined.year}{next(card_seq):06d}",
                    **stamp,
                }
            )
            if left is None:
                refs.append(_MemberRef(member_id, name, id_number, male, level, employer.pk))
    return rows


# ---------------------------------------------------------------------------------------------
# Collective contracts and dues


def _build_contracts(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, contract_ids: Iterator[int]
) -> list[CollectiveContract]:
    """Contracts of all four kinds, three-year terms, renewed when they run out."""
    rng = _rng(seed, plan.spec.code, "contracts")
    stamp = plan.stamp()
    unions = plan.union_by_id()
    rows: list[CollectiveContract] = []
    kinds = (
        (ContractKind.GENERAL, 0.85),
        (ContractKind.WAGE, 0.7),
        (ContractKind.WOMEN, 0.4),
        (ContractKind.SAFETY, 0.3),
    )

    def chain(party: str, employer_id, union_id, kind, covered: int, founded_on, dissolved_on):
        first = _day(rng, _add_years(scale.start, -3), scale.start - datetime.timedelta(days=1))
        if first < founded_on:
            first = founded_on + datetime.timedelta(days=rng.randint(20, 150))
        signed, renewal = first, (first >= _add_years(founded_on, 3) and rng.random() < 0.6)
        last = min(scale.end, dissolved_on or scale.end)
        while signed <= last:
            rows.append(
                CollectiveContract(
                    id=next(contract_ids),
                    party_name=party,
                    employer_id=employer_id,
                    union_id=union_id,
                    kind=kind,
                    signed_on=signed,
                    expires_on=_add_years(signed, 3) - datetime.timedelta(days=1),
                    workers_covered=covered,
                    is_renewal=renewal,
                    **stamp,
                )
            )
            signed, renewal = _add_years(signed, 3), True

    for employer in plan.employer_rows:
        if employer.union_id is None or employer.employees < 15:
            continue
        u = unions[employer.union_id]
        for kind, chance in kinds:
            if rng.random() < chance:
                covered = employer.employees
                if kind == ContractKind.WOMEN:
                    covered = round(employer.employees * rng.uniform(0.3, 0.55))
                chain(
                    employer.name,
                    employer.pk,
                    u.pk,
                    kind,
                    covered,
                    u.founded_on,
                    u.dissolved_on,
                )
    # Regional and sector contracts (区域性、行业性集体合同) signed by the joint unions.
    for u in plan.union_rows:
        if u.kind != UnionKind.JOINT:
            continue
        covered = sum(e.employees for e in plan.employer_rows if e.union_id == u.pk)
        for kind in (ContractKind.GENERAL, ContractKind.WAGE):
            if rng.random() < 0.8:
                chain(u.name, None, u.pk, kind, covered, u.founded_on, u.dissolved_on)
    return rows


def _dues_periods(first: datetime.date, last: datetime.date, monthly: bool) -> list[str]:
    codes = []
    for year in range(first.year, last.year + 1):
        if monthly:
            codes += [f"{year}-{m:02d}" for m in range(1, 13)]
        else:
            codes += [f"{year}Q{q}" for q in range(1, 5)]
    return codes


def _build_dues(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, dues_ids: Iterator[int]
) -> list[Row]:
    """Union dues (2% of the wage bill): monthly from employers of 100 or more, else quarterly.

    Most pay in full a few weeks after the period; some pay part or nothing, and periods whose
    payment would fall after the window's end are still unpaid.
    """
    rng = _rng(seed, plan.spec.code, "dues")
    stamp = plan.stamp()
    unions = plan.union_by_id()
    rows: list[Row] = []
    periods = {
        monthly: [parse_period(code) for code in _dues_periods(scale.start, scale.end, monthly)]
        for monthly in (True, False)
    }
    for employer in plan.employer_rows:
        if employer.union_id is None:
            continue
        u = unions[employer.union_id]
        first = max(scale.start, u.founded_on)
        last = min(scale.end, u.dissolved_on or scale.end)
        monthly = employer.employees >= 100
        laggard = rng.random() < 0.12  # a few employers are chronically behind
        wage = plan.wages[employer.pk]
        for period in periods[monthly]:
            if period.end < first or period.end > last:
                continue
            months = 1 if monthly else 3
            growth = 1.04 ** (period.start.year - scale.start.year)
            headcount = employer.employees * rng.uniform(0.97, 1.03)
            due = _yuan(headcount * wage * growth * 0.02 * months)
            paid_on: datetime.date | None = period.end + datetime.timedelta(days=rng.randint(5, 45))
            roll = rng.random() + (0.25 if laggard else 0)
            if paid_on > scale.end or roll > 1.0:
                paid, paid_on = Decimal("0.00"), None
            elif roll > 0.88:
                paid = _yuan(float(due) * rng.uniform(0.4, 0.95))
            else:
                paid = due
            rows.append(
                {
                    "id": next(dues_ids),
                    "employer_id": employer.pk,
                    "period": period.code,
                    "period_start": period.start,
                    "period_end": period.end,
                    "amount_due": due,
                    "amount_paid": paid,
                    "paid_on": paid_on,
                    **stamp,
                }
            )
    return rows


# ---------------------------------------------------------------------------------------------
# Welfare visits


@dataclass(frozen=True)
class _Campaign:
    title: str  # blank for everyday hardship help (日常帮扶)
    start: datetime.date
    end: datetime.date
    weight: float
    kind: str


def _campaigns(scale: DemoScale) -> list[_Campaign]:
    found: list[_Campaign] = []
    for y in scale.years:
        d = datetime.date
        spring = SPRING_FESTIVAL[y]
        candidates = [
            _Campaign(
                f"{y}年春节送温暖",
                spring - datetime.timedelta(days=28),
                spring - datetime.timedelta(days=2),
                45,
                "spring",
            ),
            _Campaign(f"{y}年五一劳模慰问", d(y, 4, 20), d(y, 4, 30), 6, "model"),
            _Campaign(f"{y}年夏送清凉", d(y, 7, 1), d(y, 8, 25), 15, "summer"),
            _Campaign(f"{y}年金秋助学", d(y, 8, 5), d(y, 9, 10), 12, "study"),
            _Campaign(
                f"{y}年重阳节慰问离退休职工",
                DOUBLE_NINTH[y] - datetime.timedelta(days=5),
                DOUBLE_NINTH[y] + datetime.timedelta(days=3),
                8,
                "elderly",
            ),
            _Campaign("", d(y, 1, 1), d(y, 12, 31), 14, "daily"),
        ]
        for c in candidates:
            if c.start >= scale.start and c.end <= scale.end:
                found.append(c)
            elif c.kind == "daily" and c.start <= scale.end:
                found.append(_Campaign("", c.start, min(c.end, scale.end), c.weight, c.kind))
    return found


HARDSHIP_NOTES = (
    "因病致困",
    "子女就学负担重",
    "单亲家庭",
    "家庭成员重病",
    "工伤致困",
    "因灾致困",
    "下岗失业后再就业困难",
)


def _build_visits(
    *,
    plan: _TownshipPlan,
    scale: DemoScale,
    seed: int,
    visit_ids: Iterator[int],
    id_numbers: IdNumbers,
) -> list[Row]:
    """送温暖 each Spring Festival, 夏送清凉, 金秋助学, 劳模 and 重阳 visits, everyday help."""
    rng = _rng(seed, plan.spec.code, "visits")
    stamp = plan.stamp()
    campaigns = _campaigns(scale)
    weights = [c.weight for c in campaigns]
    refs = plan.member_refs
    # The township's file of households in hardship (困难职工档案): visited year after year.
    hardship = rng.sample(refs, min(len(refs), max(8, len(refs) // 40)))
    models_pool = [r for r in refs if r.model_worker != ModelWorkerLevel.NONE.value] or refs[:5]
    firm_names = [e.name for e in plan.employer_rows if e.union_id is not None]
    seen: set[tuple] = set()
    rows: list[Row] = []
    while len(rows) < plan.visits:
        c = rng.choices(campaigns, weights=weights)[0]
        on = _day(rng, c.start, c.end)
        member: _MemberRef | None = None
        name, id_number, note = "", "", ""
        cash, goods = Decimal(0), Decimal(0)
        source = FundSource.OWN
        if c.kind in ("spring", "daily"):
            btype = rng.choices(
                (
                    BeneficiaryType.EXTREME_HARDSHIP,
                    BeneficiaryType.HARDSHIP,
                    BeneficiaryType.RETIRED,
                    BeneficiaryType.MODEL_WORKER,
                    BeneficiaryType.OTHER,
                ),
                (20, 45, 12, 8, 15) if c.kind == "spring" else (35, 65, 0, 0, 0),
            )[0]
            if btype in (BeneficiaryType.EXTREME_HARDSHIP, BeneficiaryType.HARDSHIP):
                extreme = btype == BeneficiaryType.EXTREME_HARDSHIP
                cash = _hundreds(rng, 1000, 3000) if extreme else _hundreds(rng, 500, 1500)
                goods = _hundreds(rng, 200, 600)
                note = rng.choice(HARDSHIP_NOTES)
                if rng.random() < 0.8:
                    member = rng.choice(hardship)
                source = rng.choices(
                    (FundSource.HIGHER, FundSource.OWN, FundSource.GRASSROOTS), (40, 45, 15)
                )[0]
            elif btype == BeneficiaryType.RETIRED:
                cash, goods = _hundreds(rng, 300, 800), _hundreds(rng, 100, 300)
            elif btype == BeneficiaryType.MODEL_WORKER:
                member = rng.choice(models_pool)
                cash, goods = _hundreds(rng, 1000, 2000), _hundreds(rng, 200, 500)
                source = FundSource.HIGHER
            else:
                member = rng.choice(refs)
                goods = _hundreds(rng, 200, 500)
                note = rng.choice(("春节留岗一线职工", "新就业形态劳动者", "外来务工人员留甬过年"))
                source = rng.choice((FundSource.OWN, FundSource.EMPLOYER))
        elif c.kind == "model":
            btype, member = BeneficiaryType.MODEL_WORKER, rng.choice(models_pool)
            cash, goods, source = _hundreds(rng, 1000, 3000), Decimal(0), FundSource.HIGHER
        elif c.kind == "summer":
            btype, member = BeneficiaryType.OTHER, rng.choice(refs)
            goods = _hundreds(rng, 100, 400)
            note = f"{rng.choice(firm_names)}高温一线岗位"
            source = rng.choice((FundSource.OWN, FundSource.EMPLOYER, FundSource.GRASSROOTS))
        elif c.kind == "study":
            btype = BeneficiaryType.STUDENT
            parent = rng.choice(hardship)
            child_male = rng.random() < 0.5
            name = _person_name(rng, child_male, surname=parent.name[0])
            note = f"{parent.name}之{'子' if child_male else '女'}，考入{rng.choice(UNIVERSITIES)}"
            cash = _hundreds(rng, 2000, 5000)
            source = rng.choice((FundSource.HIGHER, FundSource.OWN))
        else:  # elderly
            btype = BeneficiaryType.RETIRED
            cash, goods = _hundreds(rng, 300, 800), _hundreds(rng, 100, 300)
        if btype == BeneficiaryType.RETIRED:
            male = rng.random() < 0.5
            name = _person_name(rng, male)
            if rng.random() < 0.6:
                birth = _day(rng, datetime.date(1940, 1, 1), datetime.date(1964, 12, 31))
                id_number = id_numbers.make(
                    rng, region=rng.choice(LOCAL_REGIONS), birth=birth, male=male
                )
        if member is not None:
            name, id_number = member.name, member.id_number
        elif not name:
            name = _person_name(rng, rng.random() < 0.5)
        key = (on, btype, name, id_number, cash)
        if key in seen:  # the workbook treats an identical row as a re-import
            continue
        seen.add(key)
        rows.append(
            {
                "id": next(visit_ids),
                "visited_on": on,
                "beneficiary_type": BeneficiaryType(btype).value,
                "beneficiary_name": name,
                "id_number": id_number,
                "member_id": member.id if member else None,
                "cash": cash,
                "goods_value": goods,
                "fund_source": FundSource(source).value,
                "campaign": c.title,
                "note": note,
                **stamp,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Cases


def _build_cases(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, case_ids: Iterator[int]
) -> list[Case]:
    """Petitions and labour disputes, numbered CD-2025-001 …, most closed, a few long open."""
    rng = _rng(seed, plan.spec.code, "cases")
    stamp = plan.stamp()
    # Disputes arise in firms, not in the township's public bodies.
    employers = [e for e in plan.employer_rows if e.economic_type != EconomicType.PUBLIC]
    received = sorted(_day(rng, scale.start, scale.end) for _ in range(plan.cases))
    per_year: dict[int, itertools.count] = {}
    rows: list[Case] = []
    for on in received:
        seq = next(per_year.setdefault(on.year, itertools.count(1)))
        category = rng.choices(
            (
                CaseCategory.WAGES,
                CaseCategory.CONTRACT,
                CaseCategory.INSURANCE,
                CaseCategory.INJURY,
                CaseCategory.HOURS,
                CaseCategory.OTHER,
            ),
            (45, 15, 12, 10, 8, 10),
        )[0]
        people = rng.choices((1, rng.randint(2, 9), rng.randint(10, 60)), (70, 20, 10))[0]
        employer = rng.choice(employers) if rng.random() < 0.9 else None
        lead = _person_name(rng, rng.random() < 0.7)
        petitioner = lead if people == 1 else f"{lead}等{people}名职工"
        amount = None
        if category in (CaseCategory.WAGES, CaseCategory.INJURY, CaseCategory.INSURANCE):
            amount = _hundreds(rng, 3000, 15000) * people
        handling = rng.choices(
            (
                Handling.COORDINATION,
                Handling.MEDIATION,
                Handling.ARBITRATION,
                Handling.REFERRAL,
                Handling.OTHER,
            ),
            (45, 30, 10, 10, 5),
        )[0]
        status = rng.choices(
            (
                CaseStatus.RESOLVED,
                CaseStatus.ARBITRATION,
                CaseStatus.REJECTED,
                CaseStatus.OPEN,
            ),
            (72, 10, 6, 12),
        )[0]
        if handling == Handling.ARBITRATION and status == CaseStatus.RESOLVED:
            status = CaseStatus.ARBITRATION
        closed = None
        if status != CaseStatus.OPEN:
            closed = on + datetime.timedelta(days=rng.randint(2, 60))
            if closed > scale.end:
                status, closed = CaseStatus.OPEN, None
        recovered = None
        if status == CaseStatus.RESOLVED and amount is not None:
            recovered = _yuan(float(amount) * rng.choice((1.0, 1.0, 1.0, rng.uniform(0.6, 0.95))))
        unit = employer.name if employer else "个体包工头"
        summary = {
            CaseCategory.WAGES: f"反映{unit}拖欠{rng.randint(1, 6)}个月工资",
            CaseCategory.CONTRACT: f"反映{unit}未签订书面劳动合同即解除劳动关系",
            CaseCategory.INSURANCE: f"反映{unit}未依法缴纳社会保险",
            CaseCategory.INJURY: f"反映在{unit}工作期间受伤，工伤待遇未落实",
            CaseCategory.HOURS: f"反映{unit}长期加班且未支付加班费",
            CaseCategory.OTHER: f"咨询与{unit}的劳动关系问题",
        }[category]
        if amount is not None:
            summary += f"，涉及金额{amount:.0f}元"
        summary += {
            CaseStatus.RESOLVED: "。经镇工会" + Handling(handling).label + "，已妥善解决。",
            CaseStatus.ARBITRATION: "。经调解未达成一致，已引导申请劳动仲裁。",
            CaseStatus.REJECTED: "。经核实不属于受理范围，已向诉求人说明。",
            CaseStatus.OPEN: "。正在协调处理中。",
        }[status]
        rows.append(
            Case(
                id=next(case_ids),
                number=f"{plan.spec.prefix}-{on.year}-{seq:03d}",
                received_on=on,
                channel=rng.choices(
                    (Channel.VISIT, Channel.PHONE, Channel.LETTER, Channel.ONLINE, Channel.OTHER),
                    (45, 25, 5, 20, 5),
                )[0],
                petitioner=petitioner,
                people_involved=people,
                employer_id=employer.pk if employer else None,
                category=category,
                amount_involved=amount,
                handling=handling,
                status=status,
                closed_on=closed,
                amount_recovered=recovered,
                summary=summary,
                **stamp,
            )
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Events

# (title pattern, months it happens in or None for any) per category. Patterns may use {year},
# {t} (township), {short}, {firm}, {n} (a running number) and {q} (a quarter).
EVENT_TEMPLATES: dict[str, tuple[tuple[str, tuple[int, ...] | None], ...]] = {
    EventCategory.COMPETITION: (
        ("{year}年{t}“比学赶超”劳动竞赛", (3, 4)),
        ("{year}年{t}数控车工技能比武", None),
        ("{year}年{t}电工技能竞赛", None),
        ("{year}年{t}焊工技能大赛", None),
        ("{firm}叉车技能比武", None),
        ("{year}年{t}直播电商技能大赛", None),
        ("{year}年{t}家政服务技能竞赛", None),
    ),
    EventCategory.SAFETY: (
        ("{year}年{t}“安康杯”竞赛启动会", (3, 4)),
        ("{year}年“安康杯”安全知识竞赛", (6,)),
        ("{firm}安全生产隐患排查", None),
        ("{year}年“安全生产月”宣传咨询日", (6,)),
        ("{firm}消防应急疏散演练", None),
        ("{year}年“安康杯”竞赛总结表彰", (12, 1)),
    ),
    EventCategory.SPORTS_CULTURE: (
        ("{year}年{t}职工趣味运动会", (4, 5, 10, 11)),
        ("{year}年{t}职工篮球赛", None),
        ("{year}年{t}迎新春职工文艺汇演", (1, 2)),
        ("{year}年{t}职工拔河比赛", None),
        ("{year}年{t}职工书法摄影展", None),
        ("{year}年“工会杯”羽毛球赛", None),
        ("{year}年{t}职工登山健身活动", (3, 4, 10, 11)),
    ),
    EventCategory.TRAINING: (
        ("{year}年{t}基层工会主席培训班", None),
        ("{year}年工会财务知识培训", None),
        ("{year}年第{n}期职工电工技能培训", None),
        ("{year}年职工学历提升班开班", (3, 9)),
        ("{year}年工会干部业务培训", None),
        ("{year}年职工心理健康讲座", None),
    ),
    EventCategory.AWARD: (
        ("{year}年度{t}优秀工会工作者评选", (12, 1)),
        ("{year}年{t}“最美职工”评选表彰", (4,)),
        ("{year}年度{t}先进职工之家表彰", (12, 1)),
        ("{year}年五一劳动奖章推荐评选", (3, 4)),
    ),
    EventCategory.MEETING: (
        ("{year}年{t}工会工作会议", (1, 2, 3)),
        ("{year}年第{q}季度基层工会主席例会", None),
        ("{year}年工会经费审查委员会会议", None),
        ("{year}年{t}工会工作推进会", None),
        ("{year}年度{t}工会工作总结会", (12, 1)),
    ),
    EventCategory.INSPECTION: (
        ("{year}年{month}月劳动法律法规执行情况检查", None),
        ("{year}年根治欠薪专项检查", (11, 12, 1)),
        ("{year}年夏季高温劳动保护专项检查", (7, 8)),
        ("{year}年女职工权益保护专项检查", (3, 9)),
        ("{year}年集体合同履约情况检查", None),
    ),
    EventCategory.LEGAL_EDUCATION: (
        ("{year}年《工会法》宣传进企业", None),
        ("{year}年“尊法守法·携手筑梦”农民工公益法律服务行动", (1, 2, 12)),
        ("{year}年劳动合同法宣讲会", None),
        ("{year}年职工法律维权知识讲座", None),
        ("{year}年“法律进工地”普法活动", None),
    ),
    EventCategory.PUBLICITY: (
        ("{t}工会开展春节送温暖活动", (1, 2)),
        ("{t}工会“安康杯”竞赛见实效", None),
        ("{firm}职工技能比武展风采", None),
        ("{t}工会为一线职工送清凉", (7, 8)),
        ("{t}工会金秋助学圆学子梦", (8, 9)),
        ("{t}推进新就业形态劳动者入会", None),
        ("{firm}建成“爱心妈咪小屋”", None),
    ),
    EventCategory.WOMEN: (
        ("{year}年“三八”国际妇女节女职工健康讲座", (3,)),
        ("{year}年女职工“两癌”筛查", None),
        ("{year}年女职工插花技艺培训", None),
        ("{year}年“巾帼建功”岗位能手评选", None),
        ("{year}年爱心妈咪小屋建设推进会", None),
    ),
    EventCategory.OTHER: (
        ("{year}年职工疗休养活动", None),
        ("{year}年工会会员普惠服务进企业", None),
        ("{year}年{t}青年职工联谊活动", None),
        ("{year}年新就业形态劳动者入会集中行动", None),
        ("{short}“工会驿站”揭牌", None),
        ("{year}年“职工之家”建设验收", None),
    ),
}
_EVENT_WEIGHTS = {
    EventCategory.COMPETITION: 8,
    EventCategory.SAFETY: 10,
    EventCategory.SPORTS_CULTURE: 12,
    EventCategory.TRAINING: 14,
    EventCategory.AWARD: 6,
    EventCategory.MEETING: 12,
    EventCategory.INSPECTION: 8,
    EventCategory.LEGAL_EDUCATION: 8,
    EventCategory.PUBLICITY: 12,
    EventCategory.WOMEN: 6,
    EventCategory.OTHER: 4,
}


def _event_day(
    rng: random.Random, scale: DemoScale, months: tuple[int, ...] | None
) -> datetime.date:
    """A day in the window, in one of `months` when the event is seasonal."""
    if months is None:
        return _day(rng, scale.start, scale.end)
    while True:
        year, month = rng.choice(scale.years), rng.choice(months)
        first = datetime.date(year, month, 1)
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if first <= scale.end and last >= scale.start:
            return _day(rng, max(first, scale.start), min(last, scale.end))


@dataclass
class EventRows:
    events: list[Event]
    employer_links: list[models.Model]
    union_links: list[models.Model]


def _build_events(
    *, plan: _TownshipPlan, scale: DemoScale, seed: int, event_ids: Iterator[int]
) -> EventRows:
    """Events of all eleven categories; inspections and competitions name and link their units."""
    rng = _rng(seed, plan.spec.code, "events")
    stamp = plan.stamp()
    spec = plan.spec
    EmployerLink, UnionLink = Event.employers.through, Event.unions.through
    firms = [e for e in plan.employer_rows if e.economic_type != EconomicType.PUBLIC]
    active_unions = [u for u in plan.union_rows if u.dissolved_on is None]
    categories = list(_EVENT_WEIGHTS)
    picks = categories[: plan.events] + rng.choices(
        categories, weights=list(_EVENT_WEIGHTS.values()), k=max(0, plan.events - len(categories))
    )
    seen: set[tuple[str, datetime.date]] = set()
    result = EventRows([], [], [])
    counter = itertools.count(1)
    for category in picks:
        pattern, months = rng.choice(EVENT_TEMPLATES[category])
        firm = rng.choice(firms)
        while True:
            on = _event_day(rng, scale, months)
            title = pattern.format(
                year=on.year,
                month=on.month,
                t=spec.name,
                short=spec.short,
                firm=firm.name,
                n=next(counter),
                q="一二三四"[(on.month - 1) // 3],
            )
            if (title, on) not in seen:
                break
        seen.add((title, on))
        linked_firms: list[Employer] = []
        linked_unions: list[GrassrootsUnion] = []
        if category in (EventCategory.INSPECTION, EventCategory.SAFETY):
            linked_firms = rng.sample(firms, min(len(firms), rng.randint(2, 5)))
        elif category in (EventCategory.COMPETITION, EventCategory.SPORTS_CULTURE):
            linked_unions = rng.sample(active_unions, min(len(active_unions), rng.randint(2, 6)))
        if "{firm}" in pattern and firm not in linked_firms:
            linked_firms.insert(0, firm)
        units = [e.name for e in linked_firms] + [u.name for u in linked_unions]
        organiser = spec.name + "工会"
        if category == EventCategory.INSPECTION:
            organiser += rng.choice(("、人力社保所", "、司法所", "、市场监管所"))
        elif category == EventCategory.SAFETY:
            organiser += "、安监站"
        multi_day = category in (EventCategory.COMPETITION, EventCategory.TRAINING)
        ends = on + datetime.timedelta(days=rng.randint(1, 3)) if multi_day else None
        participants = {
            EventCategory.MEETING: (20, 80),
            EventCategory.TRAINING: (30, 150),
            EventCategory.COMPETITION: (50, 400),
            EventCategory.SPORTS_CULTURE: (80, 500),
            EventCategory.INSPECTION: (4, 12),
            EventCategory.PUBLICITY: None,
        }.get(category, (20, 200))
        media = rng.choice(MEDIA) if category == EventCategory.PUBLICITY else ""
        description = {
            EventCategory.INSPECTION: (
                f"联合检查{len(linked_firms)}家单位劳动用工、工资支付和劳动保护情况。"
            ),
            EventCategory.PUBLICITY: f"{media}报道{spec.name}工会工作。",
        }.get(category, f"{spec.name}工会组织开展，职工反响良好。")
        event = Event(
            id=next(event_ids),
            title=title,
            starts_on=on,
            ends_on=ends,
            category=category,
            organiser=organiser,
            participants=rng.randint(*participants) if participants else None,
            participating_units="、".join(units),
            media=media,
            description=description,
            **stamp,
        )
        result.events.append(event)
        result.employer_links += [
            EmployerLink(event_id=event.pk, employer_id=e.pk) for e in linked_firms
        ]
        result.union_links += [
            UnionLink(event_id=event.pk, grassrootsunion_id=u.pk) for u in linked_unions
        ]
    return result


# ---------------------------------------------------------------------------------------------
# The whole run


@dataclass
class SeedResult:
    """What `seed_demo` wrote: rows per record kind (in the home page's order), users, seconds."""

    scale: str
    townships: int
    counts: dict[str, int]
    users: list[DemoUser]
    township_names: dict[str, str]
    seconds: float


def _insert(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    rows = list(rows)
    model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


# The county's assessment rules (考核细则): points per key indicator, 100 in all.
DEMO_WEIGHTS = {
    TargetIndicator.UNIONISATION_RATE: 15,
    TargetIndicator.MEMBERSHIP_RATE: 15,
    TargetIndicator.MIGRANT_MEMBERSHIP_RATE: 10,
    TargetIndicator.NEW_MEMBERS: 10,
    TargetIndicator.CLOSURE_RATE: 15,
    TargetIndicator.CONTRACT_WORKERS: 10,
    TargetIndicator.VISITS: 5,
    TargetIndicator.EVENTS: 5,
    TargetIndicator.PARTICIPANTS: 5,
    TargetIndicator.COLLECTION_RATE: 10,
}
DEMO_TARGET_YEARS = (2025, 2026)


def _seed_targets(*, county: County, plans: Sequence["_TownshipPlan"], seed: int) -> int:
    """Annual targets per township (some ambitious, some easy, so the dashboard shows every
    colour) and the county's assessment weights, for each demo year."""
    rng = _rng(seed, "targets")
    targets = []
    for year in DEMO_TARGET_YEARS:
        for plan in plans:
            push = rng.uniform(0.85, 1.3)  # how ambitious this township's targets are
            counts = {
                TargetIndicator.NEW_MEMBERS: plan.members * 0.1,
                TargetIndicator.CONTRACT_WORKERS: plan.members * 0.7,
                TargetIndicator.VISITS: plan.visits / 2,
                TargetIndicator.WELFARE_AMOUNT: plan.visits / 2 * 1500,
                TargetIndicator.EVENTS: plan.events / 2,
                TargetIndicator.PARTICIPANTS: plan.events / 2 * 120,
            }
            rates = {
                TargetIndicator.UNIONISATION_RATE: 90,
                TargetIndicator.MEMBERSHIP_RATE: 85,
                TargetIndicator.MIGRANT_MEMBERSHIP_RATE: 75,
                TargetIndicator.CLOSURE_RATE: 85,
                TargetIndicator.COLLECTION_RATE: 92,
            }
            for indicator, base in counts.items():
                targets.append((plan.township, year, indicator, round(base * push)))
            for indicator, base in rates.items():
                targets.append((plan.township, year, indicator, min(100, round(base * push, 1))))
    AnnualTarget.objects.bulk_create(
        AnnualTarget(township=t, year=y, indicator=i, value=Decimal(str(v)))
        for t, y, i, v in targets
    )
    AssessmentWeight.objects.bulk_create(
        AssessmentWeight(county=county, year=year, indicator=indicator, weight=weight)
        for year in DEMO_TARGET_YEARS
        for indicator, weight in DEMO_WEIGHTS.items()
    )
    return len(targets) + len(DEMO_TARGET_YEARS) * len(DEMO_WEIGHTS)


def seed_demo(
    *,
    scale: DemoScale,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Fill an empty database with `scale`'s demo records and users, in one transaction.

    Raises DatabaseNotEmpty (and writes nothing) when any township exists already. `progress`
    receives one Chinese line per record kind with the seconds elapsed so far.
    """
    began = time.monotonic()

    def report(label: str, count: int) -> None:
        if progress is not None:
            progress(f"{label}：{count:,} 条（已用 {time.monotonic() - began:.1f} 秒）")

    with transaction.atomic():
        if Township.objects.exists():
            raise DatabaseNotEmpty("数据库中已有乡镇工会数据")
        taken = set(
            User.objects.filter(username__in=[u.username for u in demo_users(scale)]).values_list(
                "username", flat=True
            )
        )
        if taken:
            raise DatabaseNotEmpty(f"已存在同名用户：{'、'.join(sorted(taken))}")

        county = County.objects.create(name=scale.county)
        townships = {
            spec.code: Township.objects.create(code=spec.code, name=spec.name, county=county)
            for spec in scale.townships
        }
        users = demo_users(scale)
        saved: dict[str, User] = {}
        for demo in users:
            saved[demo.username] = User.objects.create(
                username=demo.username,
                password=make_password(demo.password),
                role=demo.role,
                full_name=demo.full_name,
                township=townships.get(demo.township_code),
                county=county if demo.role == Role.REVIEWER else None,
                is_staff=demo.role == Role.ADMIN,
                is_superuser=demo.role == Role.ADMIN,
            )
        admin_id = saved["demo_admin"].pk
        report("县总工会、乡镇工会和演示用户", len(townships) + len(users))

        # Townships differ in size (±20%); every record kind follows the township's size, so a
        # small township never gets more unions than its employers can carry.
        split_rng = _rng(seed, "split")
        sizes = [split_rng.uniform(0.8, 1.2) for _ in scale.townships]
        shares = {
            key: _apportion(getattr(scale, key), sizes)
            for key in ("unions", "employers", "members", "visits", "cases", "events")
        }
        plans = [
            _TownshipPlan(
                spec=spec,
                township=townships[spec.code],
                actor_id=admin_id,
                **{key: values[i] for key, values in shares.items()},
            )
            for i, spec in enumerate(scale.townships)
        ]

        counts: dict[str, int] = {}
        union_ids, employer_ids = _ids(GrassrootsUnion), _ids(Employer)
        credit_codes: set[str] = set()
        for plan in plans:
            _build_organisation(
                plan=plan,
                scale=scale,
                seed=seed,
                union_ids=union_ids,
                employer_ids=employer_ids,
                credit_codes=credit_codes,
            )
        counts["unions"] = _insert(GrassrootsUnion, (u for p in plans for u in p.union_rows))
        report("基层工会", counts["unions"])
        counts["employers"] = _insert(Employer, (e for p in plans for e in p.employer_rows))
        report("单位", counts["employers"])

        now = timezone.now()
        id_numbers, member_ids = IdNumbers(), _ids(Member)
        writer = _TableWriter(Member, now=now)
        counts["members"] = 0
        for plan in plans:  # one township at a time keeps at most ~10,000 rows in memory
            counts["members"] += writer.write(
                _build_members(
                    plan=plan, scale=scale, seed=seed, member_ids=member_ids, id_numbers=id_numbers
                )
            )
        report("会员", counts["members"])

        contract_ids = _ids(CollectiveContract)
        counts["contracts"] = _insert(
            CollectiveContract,
            (
                c
                for p in plans
                for c in _build_contracts(plan=p, scale=scale, seed=seed, contract_ids=contract_ids)
            ),
        )
        report("集体合同", counts["contracts"])

        dues_ids, writer = _ids(DuesRecord), _TableWriter(DuesRecord, now=now)
        counts["dues"] = 0
        for plan in plans:
            counts["dues"] += writer.write(
                _build_dues(plan=plan, scale=scale, seed=seed, dues_ids=dues_ids)
            )
        report("经费记录", counts["dues"])

        visit_ids, writer = _ids(WelfareVisit), _TableWriter(WelfareVisit, now=now)
        counts["visits"] = 0
        for plan in plans:
            counts["visits"] += writer.write(
                _build_visits(
                    plan=plan, scale=scale, seed=seed, visit_ids=visit_ids, id_numbers=id_numbers
                )
            )
        report("慰问", counts["visits"])

        case_ids = _ids(Case)
        counts["cases"] = _insert(
            Case,
            (
                c
                for p in plans
                for c in _build_cases(plan=p, scale=scale, seed=seed, case_ids=case_ids)
            ),
        )
        report("信访案件", counts["cases"])

        event_ids = _ids(Event)
        built = [_build_events(plan=p, scale=scale, seed=seed, event_ids=event_ids) for p in plans]
        counts["events"] = _insert(Event, (e for b in built for e in b.events))
        _insert(Event.employers.through, (x for b in built for x in b.employer_links))
        _insert(Event.unions.through, (x for b in built for x in b.union_links))
        report("活动", counts["events"])

        counts["targets"] = _seed_targets(county=county, plans=plans, seed=seed)
        report("年度目标与考核权重", counts["targets"])

        # Keys were assigned here, not by the database: move PostgreSQL's sequences past them.
        # (SQLite's AUTOINCREMENT follows explicit keys by itself; the statement list is empty.)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(),
                [
                    GrassrootsUnion,
                    Employer,
                    Member,
                    CollectiveContract,
                    DuesRecord,
                    WelfareVisit,
                    Case,
                    Event,
                ],
            ):
                cursor.execute(sql)

    return SeedResult(
        scale=scale.name,
        townships=len(townships),
        counts=counts,
        users=users,
        township_names={code: t.name for code, t in townships.items()},
        seconds=time.monotonic() - began,
    )
