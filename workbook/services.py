"""Importing and exporting the records workbook (spec/workbook.md) for one township.

`import_workbook` validates every sheet against the township's records and the file's own rows,
and writes only when nothing is wrong: all or nothing, in one transaction, with bulk queries
whose number does not depend on the number of rows, and one history entry per changed record.
"""

import gc
from collections import Counter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from events.models import Event
from honours.models import Honour
from members.models import Employer, GrassrootsUnion, Member, MilestoneKind, UnionMilestone
from members.queries import not_ended_by
from members.services import UNION_STATUS_FIELDS, current_status, status_milestones
from unionportal import clock, dbstats
from unionportal.masking import mask_id_number
from unionportal.models import Township, User
from unionportal.periods import parse_period
from unionportal.pii import id_number_hash
from unionportal.spreadsheet.cells import ParsedSheet, ParsedWorkbook, Problem, Sheet
from unionportal.spreadsheet.reading import WorkbookError
from welfare.models import HardshipFile, HardshipReview
from workbook.book import (
    IMPORT_ORDER,
    SHEETS,
    SHEETS_BY_KEY,
    parse_workbook,
    read_workbook,
    sheet_for_name,
)
from workbook.bulk import BATCH_SIZE, CHANGE_REASON, insert, insert_history, update
from workbook.report import ImportReport, SheetCounts

# An import that adds at least this many rows to a table refreshes its planner statistics.
BULK_ROWS = 1000


def import_workbook(
    *, data: bytes, township: Township, user: User | None, dry_run: bool = False
) -> ImportReport:
    """Validate a records workbook for `township` and, unless `dry_run` or anything is wrong,
    write it in one transaction. Nothing is written when any row of any sheet is invalid."""
    # The cyclic garbage collector would otherwise rescan the tens of thousands of rows and
    # records kept alive here over and over: a 50,000-member import took 9× a 10,000-member one.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(data=data, township=township, user=user, dry_run=dry_run)
    finally:
        if collecting:
            gc.enable()


def _import(*, data: bytes, township: Township, user: User | None, dry_run: bool) -> ImportReport:
    try:
        parsed = parse_workbook(read_workbook(data))
    except WorkbookError as exc:
        return ImportReport(problems=[Problem("", None, "", str(exc))])
    if dry_run or parsed.problems:
        plan = _Plan(parsed, township, user)
        plan.build()
        return plan.report()
    with transaction.atomic():
        plan = _Plan(parsed, township, user)
        plan.build()
        if plan.problems:
            return plan.report()
        plan.write()
    report = plan.report()
    report.written = True
    big = [
        parsed_sheet.sheet.model._meta.db_table
        for key, parsed_sheet in parsed.sheets.items()
        if len(plan.create.get(key, [])) >= BULK_ROWS
    ]
    if big:  # the planner's row counts for the grown tables (unionportal/dbstats.py)
        dbstats.refresh(big)
    return report


def _field_errors(sheet: Sheet, title: str, row: int, exc: ValidationError) -> list[Problem]:
    problems = []
    for name, messages in exc.message_dict.items():
        header = "" if name == NON_FIELD_ERRORS else sheet.header_for(name)
        for message in messages:
            problems.append(Problem(title, row, header, message))
    return problems


class _Plan:
    """The records each row creates or updates, resolved against the township and the file."""

    def __init__(self, parsed: ParsedWorkbook, township: Township, user: User | None) -> None:
        self.parsed = parsed
        self.township = township
        self.user = user
        self.problems: list[Problem] = list(parsed.problems)
        self.counts: dict[str, SheetCounts] = {}
        self.create: dict[str, list[models.Model]] = {}
        self.update: dict[str, list[models.Model]] = {}
        self.update_fields: dict[str, list[str]] = {}
        self.now = clock.now()
        self.unions: dict[str, GrassrootsUnion] = {}
        self.employers: dict[str, Employer] = {}
        self.members: dict[str, Member] = {}
        self.event_links: list[tuple[Event, list[Any], list[Any]]] = []
        # 基层工会 rows as they were before the import (the yes/no shortcut's "before").
        self.union_before: dict[int, tuple[GrassrootsUnion, dict[str, Any]]] = {}
        self.status_milestones: list[UnionMilestone] = []
        # 困难职工 files whose 复核日期 this import moves later: each such date is a review.
        self.hardship_reviews: list[HardshipFile] = []

    # --- planning ------------------------------------------------------------------------

    def build(self) -> None:
        # Names and IDs referred to by other sheets: the township's, then the file's.
        self.unions = {u.name: u for u in GrassrootsUnion.objects.filter(township=self.township)}
        self.employers = {e.name: e for e in Employer.objects.filter(township=self.township)}
        self._unions_by_pk = {u.pk: u for u in self.unions.values()}
        self._employers_by_pk = {e.pk: e for e in self.employers.values()}
        for key in IMPORT_ORDER:
            sheet = self.parsed.sheets.get(key)
            if sheet is None:
                continue
            self.counts[key] = SheetCounts(sheet.sheet.name, key=key, read=len(sheet.rows))
            self.create[key], self.update[key] = [], []
            getattr(self, f"_plan_{key}")(sheet)
        self._plan_status_milestones()

    def _existing(self, sheet: Sheet) -> QuerySet:
        return sheet.model._default_manager.filter(township=self.township)

    def _new(self, sheet: Sheet) -> models.Model:
        return sheet.model(
            township=self.township,
            created_by=self.user,
            updated_by=self.user,
            created_at=self.now,
            updated_at=self.now,
        )

    def _apply(
        self, obj: models.Model, values: dict[str, Any], defaults: dict[str, Any]
    ) -> set[str]:
        """Set the row's values on the record; the names of the fields that changed."""
        changed = set()
        for name, value in values.items():
            if value is None:
                value = defaults.get(name)
            model_field = obj._meta.get_field(name)
            if model_field.is_relation:
                current = getattr(obj, model_field.attname)
                if value is None:
                    if current is not None:
                        setattr(obj, name, None)
                        changed.add(name)
                else:
                    # Always set the object: clean() then reads it without a query.
                    if current is None or current != value.pk:
                        changed.add(name)
                    setattr(obj, name, value)
                continue
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed.add(name)
        return changed

    def _record(
        self,
        parsed: ParsedSheet,
        number: int,
        obj: models.Model,
        *,
        is_new: bool,
        changed: set[str],
    ) -> None:
        sheet = parsed.sheet
        try:
            obj.clean()
        except ValidationError as exc:
            self.problems.extend(_field_errors(sheet, parsed.title, number, exc))
            return
        counts = self.counts[sheet.key]
        if is_new:
            self.create[sheet.key].append(obj)
            counts.created += 1
        elif changed:
            obj.updated_by = self.user
            obj.updated_at = self.now
            obj.version += 1
            self.update[sheet.key].append(obj)
            fields = self.update_fields.setdefault(sheet.key, [])
            fields.extend(f for f in changed if f not in fields and not f.startswith("_"))
            counts.updated += 1
        else:
            counts.unchanged += 1

    def _duplicate(
        self, parsed: ParsedSheet, seen: dict[Any, int], key: Any, number: int, column: str
    ) -> bool:
        if key in seen:
            self.problems.append(
                Problem(
                    parsed.title,
                    number,
                    column,
                    _("与第{seen}行重复（同一条记录）。").format(seen=seen[key]),
                )
            )
            return True
        seen[key] = number
        return False

    def _resolve(
        self, parsed: ParsedSheet, number: int, values: dict[str, Any], name: str, kind: str
    ) -> bool:
        """Replace a union or employer name by the record; False (and a problem) if unknown."""
        wanted = values.get(name)
        if wanted is None:
            return True
        table = self.unions if kind == "union" else self.employers
        found = table.get(wanted)
        if found is None:
            where = "基层工会" if kind == "union" else "单位"
            self.problems.append(
                Problem(
                    parsed.title,
                    number,
                    parsed.sheet.header_for(name),
                    _(
                        "本乡镇没有名为“{wanted}”的{where}：请先在“{where}”工作表中填写，或核对名称。"
                    ).format(wanted=wanted, where=where),
                )
            )
            return False
        values[name] = found
        return True

    def _plan_keyed(
        self,
        parsed: ParsedSheet,
        existing: dict[Any, models.Model],
        key_of,
        key_column: str,
        defaults: dict[str, Any],
        refs: tuple[tuple[str, str], ...] = (),
        before=None,
        prepare=None,
    ) -> dict[Any, models.Model]:
        """Rows matched by key: update the record with that key, or create one."""
        seen: dict[Any, int] = {}
        by_key = dict(existing)
        required = {c.field for c in parsed.sheet.columns if c.required}
        for row in parsed.rows:
            values = dict(row.values)
            # Every unknown name is reported, even on a row with other problems.
            resolved = [self._resolve(parsed, row.number, values, n, k) for n, k in refs]
            if any(values.get(name) is None for name in required):
                continue  # already reported as a blank or unreadable required cell
            if not all(resolved):
                continue
            key = key_of(values)
            if self._duplicate(parsed, seen, key, row.number, key_column):
                continue
            obj = by_key.get(key)
            is_new = obj is None
            if is_new:
                obj = self._new(parsed.sheet)
                by_key[key] = obj
                values = {**{k: v for k, v in defaults.items() if k not in values}, **values}
            else:
                self._prime(obj)
            if before is not None:
                before(obj, values)
            changed = self._apply(obj, values, defaults)
            if prepare is not None:
                problem = prepare(obj, values, changed)
                if problem:
                    self.problems.append(Problem(parsed.title, row.number, *problem))
                    continue
            self._record(parsed, row.number, obj, is_new=is_new, changed=changed)
        return by_key

    def _prime(self, obj: models.Model) -> None:
        """Put an existing record's union and employer in its cache from the tables already
        loaded, so that its clean() does not query for them row by row."""
        for name, table in (("union", self._unions_by_pk), ("employer", self._employers_by_pk)):
            pk = getattr(obj, f"{name}_id", None)
            if pk is not None and pk in table:
                setattr(obj, name, table[pk])

    def _plan_unions(self, parsed: ParsedSheet) -> None:
        defaults = {
            "chair_name": "",
            "chair_is_migrant": False,
            "standardised": False,
            "star": "none",
            "has_congress": False,
            "has_affairs_openness": False,
            "has_women_committee": False,
        }

        def before(obj: GrassrootsUnion, _values: dict[str, Any]) -> None:
            was = {} if obj.pk is None else {n: getattr(obj, n) for n in UNION_STATUS_FIELDS}
            self.union_before[id(obj)] = (obj, was)

        self.unions = self._plan_keyed(
            parsed, self.unions, lambda v: v["name"], "工会名称", defaults, before=before
        )

    def _plan_status_milestones(self) -> None:
        """The 基层工会 sheet's yes/no columns as a shortcut (spec/workbook.md, 工会建设): a status
        that changes records a milestone dated on import (a new union's: its founding day). A
        事项 the file's 工会建设 sheet states for that union is left to the sheet."""
        stated = {
            (row.values.get("union"), row.values.get("kind"))
            for row in getattr(self.parsed.sheets.get("milestones"), "rows", [])
        }
        today = clock.today()
        # A status changed twice on one day (imported again the same day): the first stays.
        recorded = set(
            UnionMilestone.objects.filter(township=self.township).values_list(
                "union_id", "kind", "happened_on"
            )
        )
        for union, was in self.union_before.values():
            day = union.founded_on if union.pk is None else today
            if day is None:
                continue
            for milestone in status_milestones(union=union, before=was, day=day):
                key = (union.pk, milestone.kind, milestone.happened_on)
                if (union.name, milestone.kind) in stated or key in recorded:
                    continue
                milestone.township = self.township
                milestone.note = "由基层工会工作表登记"
                milestone.created_by = milestone.updated_by = self.user
                milestone.created_at = milestone.updated_at = self.now
                self.status_milestones.append(milestone)

    def _plan_employers(self, parsed: ParsedSheet) -> None:
        defaults = {"credit_code": "", "economic_type": "", "migrant_employees": 0}

        def before(obj: Employer, values: dict[str, Any]) -> None:
            # 应建会 not stated: an employer of 25 or more should establish a union.
            if values.get("should_unionise") is None:
                if "should_unionise" in parsed.fields or obj.pk is None:
                    employees = values.get("employees")
                    if employees is None:
                        employees = obj.employees or 0
                    values["should_unionise"] = Employer.default_should_unionise(employees)
                else:
                    values.pop("should_unionise", None)

        self.employers = self._plan_keyed(
            parsed,
            self.employers,
            lambda v: v["name"],
            "单位名称",
            defaults,
            refs=(("union", "union"),),
            before=before,
        )

    def _plan_members(self, parsed: ParsedSheet) -> None:
        existing = {m.id_number: m for m in self._existing(parsed.sheet)}
        defaults = {
            "mobile": "",
            "ethnicity": "",
            "education": "",
            "is_migrant": False,
            "model_worker": "none",
            "card_number": "",
        }

        def prepare(obj: Member, _values: dict[str, Any], _changed: set[str]) -> None:
            obj.derive_from_id()

        self.members = self._plan_keyed(
            parsed,
            existing,
            lambda v: v["id_number"],
            "身份证号",
            defaults,
            refs=(("union", "union"), ("employer", "employer")),
            prepare=prepare,
        )
        self._check_active_elsewhere(parsed)

    def _check_active_elsewhere(self, parsed: ParsedSheet) -> None:
        """The county-wide rule of members/services.py (check_county_unique_active), for all
        rows at once: a person is an active member of at most one union in the county."""
        today = clock.today()
        rows: dict[str, int] = {}
        for row in parsed.rows:
            member = self.members.get(row.values.get("id_number"))
            if member is not None and member.is_active:
                rows.setdefault(id_number_hash(member.id_number), row.number)
        hashes = list(rows)
        for start in range(0, len(hashes), 5000):
            holders = (
                Member.objects.filter(
                    township__county_id=self.township.county_id,
                    id_number_hash__in=hashes[start : start + 5000],
                )
                .exclude(township=self.township)
                .filter(not_ended_by(today))
                .select_related("township")
                .only("id_number", "id_number_hash", "township__name")
            )
            for holder in holders:
                where = f"{holder.township.name}（{holder.township.union_name}）"
                self.problems.append(
                    Problem(
                        parsed.title,
                        rows[holder.id_number_hash],
                        "身份证号",
                        _(
                            "身份证号 {mask_id_number} 的人员已是{where}的在册会员，"
                            "同一人在全县只能在一个工会登记。请先由原工会办理离会或转会。"
                        ).format(mask_id_number=mask_id_number(holder.id_number), where=where),
                    )
                )

    def _plan_contracts(self, parsed: ParsedSheet) -> None:
        existing = {(c.party_name, c.kind, c.signed_on): c for c in self._existing(parsed.sheet)}
        defaults = {"workers_covered": 0, "is_renewal": False}

        def prepare(obj, _values: dict[str, Any], changed: set[str]) -> tuple[str, str] | None:
            # The party is an employer, or a union for a regional or sector contract.
            employer = self.employers.get(obj.party_name)
            union = None if employer else self.unions.get(obj.party_name)
            if employer is None and union is None:
                return (
                    "单位名称",
                    _(
                        "本乡镇没有名为“{name}”的单位或基层工会：请先在“单位”工作表中"
                        "填写，或核对名称。"
                    ).format(name=obj.party_name),
                )
            for name, target in (("employer", employer), ("union", union)):
                current = getattr(obj, f"{name}_id")
                if (target is None) != (current is None) or (
                    target is not None and current != target.pk
                ):
                    setattr(obj, name, target)
                    changed.add(name)
            return None

        self._plan_keyed(
            parsed,
            existing,
            lambda v: (v["party_name"], v["kind"], v["signed_on"]),
            "单位名称",
            defaults,
            prepare=prepare,
        )

    def _plan_dues(self, parsed: ParsedSheet) -> None:
        existing = {
            (d.employer.name, d.period): d
            for d in self._existing(parsed.sheet).select_related("employer")
        }

        def prepare(obj, _values: dict[str, Any], _changed: set[str]) -> None:
            period = parse_period(obj.period, allow_range=False)
            obj.period_start, obj.period_end = period.start, period.end

        self._plan_keyed(
            parsed,
            existing,
            lambda v: (v["employer"].name, v["period"]),
            "所属期间",
            {},
            refs=(("employer", "employer"),),
            prepare=prepare,
        )

    def _plan_cases(self, parsed: ParsedSheet) -> None:
        existing = {c.number: c for c in self._existing(parsed.sheet)}
        defaults = {"channel": "", "people_involved": 1, "handling": "", "summary": ""}
        self._plan_keyed(
            parsed,
            existing,
            lambda v: v["number"],
            "编号",
            defaults,
            refs=(("employer", "employer"),),
        )

    def _plan_events(self, parsed: ParsedSheet) -> None:
        events = list(self._existing(parsed.sheet))
        existing = {(e.title, e.starts_on): e for e in events}
        through_unions = Event.unions.through.objects.filter(event__township=self.township)
        through_employers = Event.employers.through.objects.filter(event__township=self.township)
        linked_unions: dict[int, set[int]] = {}
        for event_id, union_id in through_unions.values_list("event_id", "grassrootsunion_id"):
            linked_unions.setdefault(event_id, set()).add(union_id)
        linked_employers: dict[int, set[int]] = {}
        for event_id, employer_id in through_employers.values_list("event_id", "employer_id"):
            linked_employers.setdefault(event_id, set()).add(employer_id)
        defaults = {
            "organiser": "",
            "participating_units": "",
            "media": "",
            "description": "",
        }
        seen: dict[Any, int] = {}
        for row in parsed.rows:
            values = dict(row.values)
            if any(v is None for k, v in values.items() if parsed.sheet.column(k).required):
                continue
            key = (values["title"], values["starts_on"])
            if self._duplicate(parsed, seen, key, row.number, "名称"):
                continue
            obj = existing.get(key)
            is_new = obj is None
            if is_new:
                obj = self._new(parsed.sheet)
                values = {**{k: v for k, v in defaults.items() if k not in values}, **values}
            changed = self._apply(obj, values, defaults)
            names = obj.unit_names
            # Keyed by name: records created by this import have no primary key yet.
            unions = {n: self.unions[n] for n in names if n in self.unions}
            employers = {n: self.employers[n] for n in names if n in self.employers}
            links_changed = {u.pk for u in unions.values()} != linked_unions.get(obj.pk, set()) or {
                e.pk for e in employers.values()
            } != linked_employers.get(obj.pk, set())
            if links_changed and not is_new:
                # Only the links may change: a union or employer of that name appeared.
                changed.add("_links")
            problems = len(self.problems)
            self._record(parsed, row.number, obj, is_new=is_new, changed=changed)
            if (links_changed or is_new) and len(self.problems) == problems:
                self.event_links.append((obj, list(unions.values()), list(employers.values())))

    def _plan_visits(self, parsed: ParsedSheet) -> None:
        # No key: an identical row (date, type, name, ID, cash) already recorded is skipped, as
        # many times as it is recorded, so re-importing a file adds nothing.
        sheet = parsed.sheet
        recorded = Counter(self._existing(sheet).values_list(*sheet.key_fields))
        defaults = {
            "id_number": "",
            "cash": 0,
            "goods_value": 0,
            "fund_source": "",
            "campaign": "",
            "note": "",
        }
        counts = self.counts["visits"]
        members = self.members or {
            m.id_number: m
            for m in Member.objects.filter(township=self.township).only(
                "id", "id_number", "township"
            )
        }
        for row in parsed.rows:
            values = dict(row.values)
            if any(v is None for k, v in values.items() if sheet.column(k).required):
                continue
            obj = self._new(sheet)
            values = {**{k: v for k, v in defaults.items() if k not in values}, **values}
            self._apply(obj, values, defaults)
            key = tuple(getattr(obj, name) for name in sheet.key_fields)
            if recorded[key] > 0:
                recorded[key] -= 1
                counts.unchanged += 1
                continue
            obj.member = members.get(obj.id_number) if obj.id_number else None
            self._record(parsed, row.number, obj, is_new=True, changed=set())

    def _plan_hardship(self, parsed: ParsedSheet) -> None:
        """困难职工: keyed by ID number. A row updates the ID's file with the same 建档日期, else
        the ID's open file; otherwise it opens a new file (a household filed again after 脱困).
        At most one open file per ID, and a new file starts after the ID's last 脱困."""
        sheet = parsed.sheet
        files = list(self._existing(sheet))
        by_key = {(f.id_number_hash, f.filed_on): f for f in files}
        open_by_hash = {f.id_number_hash: f for f in files if f.out_on is None}
        defaults = {
            "employer": None,
            "union": None,
            "household_size": None,
            "income_per_head": None,
            "reviewed_on": None,
            "out_on": None,
            "out_reason": "",
            "reported_on": None,
            "note": "",
        }
        members = self.members or {
            m.id_number: m
            for m in Member.objects.filter(township=self.township).only(
                "id", "id_number", "township"
            )
        }
        refs = (("employer", "employer"), ("union", "union"))
        required = {c.field for c in sheet.columns if c.required}
        seen: dict[Any, int] = {}
        planned: dict[int, tuple[int, HardshipFile]] = {}  # id(obj) → (row, obj)
        for row in parsed.rows:
            values = dict(row.values)
            resolved = [self._resolve(parsed, row.number, values, n, k) for n, k in refs]
            if any(values.get(name) is None for name in required) or not all(resolved):
                continue
            digest = id_number_hash(values["id_number"])
            key = (digest, values["filed_on"])
            if self._duplicate(parsed, seen, key, row.number, "身份证号"):
                continue
            obj = by_key.get(key) or open_by_hash.get(digest)
            is_new = obj is None or id(obj) in planned
            if is_new:
                obj = self._new(sheet)
                values = {**{k: v for k, v in defaults.items() if k not in values}, **values}
            else:
                self._prime(obj)
            reviewed_before = None if is_new else obj.reviewed_on
            changed = self._apply(obj, values, defaults)
            obj.id_number_hash = digest
            if reviewed_before and (obj.reviewed_on is None or obj.reviewed_on < reviewed_before):
                # 复核日期 is the latest review of the history (welfare HardshipReview), which an
                # import only adds to; an earlier or empty date would part the two.
                self.problems.append(
                    Problem(
                        parsed.title,
                        row.number,
                        "复核日期",
                        _(
                            "复核日期不能早于该档案已登记的最近一次复核（{day}），也不能清空；"
                            "复核记录在档案页查看。"
                        ).format(day=f"{reviewed_before:%Y-%m-%d}"),
                    )
                )
                continue
            member = members.get(obj.id_number)
            if (member.pk if member else None) != obj.member_id and not is_new:
                changed.add("member")
            obj.member = member
            problems = len(self.problems)
            self._record(parsed, row.number, obj, is_new=is_new, changed=changed)
            if len(self.problems) == problems:
                planned[id(obj)] = (row.number, obj)
                if obj.reviewed_on and obj.reviewed_on != reviewed_before:
                    self.hardship_reviews.append(obj)
        # The rules between files of one ID, over the township's files as they will be.
        final = {id(f): f for f in files} | {k: obj for k, (_n, obj) in planned.items()}
        by_hash: dict[str, list[HardshipFile]] = {}
        for f in final.values():
            by_hash.setdefault(f.id_number_hash, []).append(f)
        for number, obj in planned.values():
            others = [f for f in by_hash[obj.id_number_hash] if f is not obj]
            if obj.out_on is None and any(f.out_on is None for f in others):
                message = _("该身份证号已有在档（未脱困）的困难职工档案：一户只能有一份在档档案。")
            elif any(
                f.filed_on <= obj.filed_on and (f.out_on is None or f.out_on >= obj.filed_on)
                for f in others
                if f.filed_on != obj.filed_on
            ):
                message = _("建档日期应晚于该身份证号上一份档案的脱困日期。")
            else:
                continue
            self.problems.append(Problem(parsed.title, number, "建档日期", message))

    def _plan_mutual_aid(self, parsed: ParsedSheet) -> None:
        existing = {
            (m.union.name, m.year): m for m in self._existing(parsed.sheet).select_related("union")
        }
        self._plan_keyed(
            parsed,
            existing,
            lambda v: (v["union"].name, v["year"]),
            "年度",
            {"premiums": 0, "payouts": 0, "paid_out": 0},
            refs=(("union", "union"),),
        )

    def _plan_milestones(self, parsed: ParsedSheet) -> None:
        existing = {
            (m.union.name, m.kind, m.happened_on): m
            for m in self._existing(parsed.sheet).select_related("union")
        }
        dissolved = {name for name, kind, _day in existing if kind == MilestoneKind.DISSOLVED} | {
            row.values.get("union")
            for row in parsed.rows
            if row.values.get("kind") == MilestoneKind.DISSOLVED
        }
        defaults = {
            "level": "",
            "chair_name": "",
            "chair_is_migrant": False,
            "delegates": None,
            "note": "",
        }

        def prepare(obj: UnionMilestone, _values, _changed) -> tuple[str, str] | None:
            if obj.kind == MilestoneKind.REFOUNDED:
                union = obj.union
                if union.dissolved_on is None and union.name not in dissolved:
                    return ("事项", _("“{union}”未撤销，不能登记重建。").format(union=union.name))
                if union.dissolved_on and obj.happened_on < union.dissolved_on:
                    return ("日期", _("重建日期不能早于撤销日期。"))
            return None

        self._plan_keyed(
            parsed,
            existing,
            lambda v: (v["union"].name, v["kind"], v["happened_on"]),
            "日期",
            defaults,
            refs=(("union", "union"),),
            prepare=prepare,
        )

    def _plan_honours(self, parsed: ParsedSheet) -> None:
        existing = {(h.recipient, h.title, h.granted_on): h for h in self._existing(parsed.sheet)}
        members = self.members or {
            m.id_number: m
            for m in Member.objects.filter(township=self.township).only(
                "id", "id_number", "township"
            )
        }

        def prepare(obj: Honour, _values, changed: set[str]) -> None:
            # A person's honour links the member with that ID (as visits do).
            obj.id_number_hash = id_number_hash(obj.id_number)
            member = members.get(obj.id_number) if obj.id_number else None
            if (member.pk if member else None) != obj.member_id and obj.pk is not None:
                changed.update({"member", "id_number_hash"})
            obj.member = member

        self._plan_keyed(
            parsed,
            existing,
            lambda v: (v["recipient"], v["title"], v["granted_on"]),
            "获奖对象",
            {"id_number": "", "granted_by": "", "workplace": ""},
            prepare=prepare,
        )

    def _plan_remittances(self, parsed: ParsedSheet) -> None:
        existing = {r.period: r for r in self._existing(parsed.sheet)}

        def prepare(obj, _values: dict[str, Any], _changed: set[str]) -> None:
            period = parse_period(obj.period, allow_range=False)
            obj.period_start, obj.period_end = period.start, period.end

        self._plan_keyed(parsed, existing, lambda v: v["period"], "所属期间", {}, prepare=prepare)

    # --- writing -------------------------------------------------------------------------

    def write(self) -> None:
        for key in IMPORT_ORDER:
            if key not in self.create:
                continue
            sheet = SHEETS_BY_KEY[key]
            created = self.create[key]
            if key == "hardship":
                # A file this import closes (脱困) is written before the same ID's new file
                # opens: at most one open file per ID (a partial unique constraint).
                self._write_updates(sheet)
            if created and key == "visits":
                # Visits have no key to find their new primary keys by; they are few.
                bulk_create_with_history(
                    created,
                    sheet.model,
                    batch_size=BATCH_SIZE,
                    default_user=self.user,
                    default_change_reason=CHANGE_REASON,
                    default_date=self.now,
                )
            elif created:
                insert(sheet.model, created)
                self._fetch_keys(sheet, created)
                insert_history(sheet.model, created, "+", self.user, self.now)
            if key != "hardship":
                self._write_updates(sheet)
            if key == "hardship" and self.hardship_reviews:
                # Files have their primary keys now: their new 复核日期 join the review history.
                HardshipReview.objects.bulk_create(
                    [
                        HardshipReview(
                            file_id=f.pk,
                            reviewed_on=f.reviewed_on,
                            recorded_by=self.user,
                            recorded_at=self.now,
                        )
                        for f in self.hardship_reviews
                    ],
                    batch_size=BATCH_SIZE,
                    ignore_conflicts=True,
                )
            if key == "unions" and self.status_milestones:
                # The shortcut's milestones, once their unions have primary keys.
                insert(UnionMilestone, self.status_milestones)
                self._fetch_keys(SHEETS_BY_KEY["milestones"], self.status_milestones)
                insert_history(UnionMilestone, self.status_milestones, "+", self.user, self.now)
        self._write_event_links()
        self._sync_union_status()

    def _sync_union_status(self) -> None:
        """The present marks of every union whose milestones this import wrote follow its
        milestones (members.services.sync_union_status, for many unions in three queries)."""
        written = [*self.status_milestones, *self.create.get("milestones", [])]
        written += self.update.get("milestones", [])
        union_ids = {m.union_id for m in written}
        if not union_ids:
            return
        by_union: dict[int, list[UnionMilestone]] = {}
        for milestone in UnionMilestone.objects.filter(union_id__in=union_ids):
            by_union.setdefault(milestone.union_id, []).append(milestone)
        today = clock.today()
        changed: list[GrassrootsUnion] = []
        names: set[str] = set()
        for union in GrassrootsUnion.objects.filter(pk__in=union_ids):
            flags = current_status(by_union.get(union.pk, []), today)
            differ = {k: v for k, v in flags.items() if getattr(union, k) != v}
            if differ:
                for name, value in differ.items():
                    setattr(union, name, value)
                union.version += 1
                union.updated_by, union.updated_at = self.user, self.now
                names.update(differ)
                changed.append(union)
        if changed:
            update(
                GrassrootsUnion, changed, [*sorted(names), "updated_by", "updated_at", "version"]
            )
            insert_history(GrassrootsUnion, changed, "~", self.user, self.now)

    def _write_updates(self, sheet: Sheet) -> None:
        updated = self.update[sheet.key]
        if updated:
            fields = [*self.update_fields.get(sheet.key, []), "updated_by", "updated_at", "version"]
            update(sheet.model, updated, fields)
            insert_history(sheet.model, updated, "~", self.user, self.now)

    def _fetch_keys(self, sheet: Sheet, created: list[models.Model]) -> None:
        """Primary keys of the rows just inserted, found by their key in one query."""
        attnames = [sheet.model._meta.get_field(f).attname for f in sheet.key_fields]
        by_key = {tuple(getattr(obj, a) for a in attnames): obj for obj in created}
        rows = self._existing(sheet).values_list(*attnames, "pk")
        for *key, pk in rows.iterator(chunk_size=10_000):
            obj = by_key.get(tuple(key))
            if obj is not None and obj.pk is None:
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = "default"

    def _write_event_links(self) -> None:
        if not self.event_links:
            return
        union_through = Event.unions.through
        employer_through = Event.employers.through
        event_ids = [event.pk for event, _u, _e in self.event_links]
        union_through.objects.filter(event_id__in=event_ids).delete()
        employer_through.objects.filter(event_id__in=event_ids).delete()
        union_through.objects.bulk_create(
            [
                union_through(event_id=event.pk, grassrootsunion_id=union.pk)
                for event, unions, _e in self.event_links
                for union in unions
            ],
            batch_size=BATCH_SIZE,
        )
        employer_through.objects.bulk_create(
            [
                employer_through(event_id=event.pk, employer_id=employer.pk)
                for event, _u, employers in self.event_links
                for employer in employers
            ],
            batch_size=BATCH_SIZE,
        )

    def report(self) -> ImportReport:
        order = {s.key: i for i, s in enumerate(SHEETS)}
        counts = [self.counts[k] for k in sorted(self.counts, key=order.get)]
        problems = sorted(
            self.problems,
            key=lambda p: (order.get(_key_of_title(p.sheet), -1), p.row or 0),
        )
        wrong_rows = {(_key_of_title(p.sheet), p.row) for p in problems if p.row}
        for c in counts:
            c.problem_rows = sum(1 for key, row in wrong_rows if key == c.key and row > 1)
        return ImportReport(counts, problems, list(self.parsed.warnings))


# Django's bulk_create spends most of an import compiling SQL: on SQLite it batches 39 members
# per INSERT (999 parameters) and prepares each of ~25 values through the field. One parametrised
# statement run with executemany writes the same rows several times faster; only dates, times
# and decimals need the field's conversion.


def _key_of_title(title: str) -> str:
    sheet = sheet_for_name(title) if title else None
    return sheet.key if sheet else ""
