"""Drawing helpers of the demo: seeded randomness, dates, money, ID numbers and credit codes,
the bulk table writer and the per-township plan."""

import calendar
import datetime
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models

from members.models import (
    Employer,
    GrassrootsUnion,
)
from portal.demo.scales import TownshipSpec
from portal.demo.words import _SURNAME_WEIGHTS, COUNTY_REGION, FEMALE_CHARS, MALE_CHARS, SURNAMES
from unionportal import pii
from unionportal.models import Township
from unionportal.pii import EncryptedIdNumberField, IdNumberHashField
from unionportal.validators import credit_check_char, id_check_char

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


class _or_default:
    """A column's value from the row, or the field's default when the row leaves it out."""

    def __init__(self, name: str, default: object) -> None:
        self.name, self.default = name, default

    def __call__(self, row: Row) -> object:
        return row.get(self.name, self.default)


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
            elif f.has_default() and not callable(f.default) and f.default is not None:
                # A column the demo does not set (a flag a later step sets, such as a member's
                # transferred_in): its model default, unless the row gives a value.
                self.fields.append((f.attname, _or_default(f.attname, f.default), None))
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
            fixed
            if fixed is not None
            else (
                row[name]
                if adapt is None
                else adapt(row)
                if isinstance(adapt, _or_default)
                else adapt(row[name])
            )
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
