"""The one module of builders that tests share across apps (issue 12, item 8): test modules import
records, pages, workbooks, documents and scratch portals from here, and fixtures from conftest.py,
never from one another. A helper that only one test file uses stays in that file.

Each `make_*` creates one record in a township; `make_records` creates a chosen number of each
kind, so a test can state the figures a page must show. The hand-made records (`handmade_records`,
the `data` fixture of conftest.py) have figures worked out by hand in the reports tests.
"""

import base64
import datetime
import io
import itertools
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from openpyxl import Workbook

from disputes.models import Case, CaseAttachment, CaseCategory, CaseStatus, Handling
from events.models import Event, EventAttachment, EventCategory
from honours.models import Honour, HonourLevel, RecipientType
from members.models import (
    CollectiveContract,
    ContractKind,
    DuesRecord,
    DuesRemittance,
    Employer,
    GrassrootsUnion,
    Member,
    MemberTransfer,
    MilestoneKind,
    UnionKind,
    UnionMilestone,
)
from members.services import status_milestones
from reports.document import BulletList, Document, Paragraph, Section, Table
from reports.models import FinalSummary
from unionportal.backup import sqlite_connect
from unionportal.models import County, Township
from unionportal.periods import parse_period
from unionportal.validators import credit_check_char, id_check_char
from welfare.models import (
    BeneficiaryType,
    HardshipFile,
    HardshipReview,
    MutualAidEnrolment,
    WelfareVisit,
)

# ---------------------------------------------------------------------------------------------
# Records of every kind


_serial = itertools.count(1)
_DAY = datetime.date(2026, 3, 2)


def id_number(*, birth: datetime.date = datetime.date(1985, 3, 15), male: bool = True) -> str:
    """A fresh, valid 18-digit resident ID number (GB 11643-1999)."""
    sequence = next(_serial) % 500 * 2 + (1 if male else 0)
    first17 = f"330282{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def make_township(county: County, name: str | None = None) -> Township:
    n = next(_serial)
    return Township.objects.create(code=f"t{n}", name=name or f"第{n}镇", county=county)


def make_union(township: Township, **fields) -> GrassrootsUnion:
    fields.setdefault("name", f"第{next(_serial)}基层工会")
    fields.setdefault("kind", UnionKind.ENTERPRISE)
    fields.setdefault("founded_on", datetime.date(2015, 5, 1))
    return GrassrootsUnion.objects.create(township=township, **fields)


def make_employer(township: Township, **fields) -> Employer:
    fields.setdefault("name", f"第{next(_serial)}公司")
    fields.setdefault("employees", 40)
    return Employer.objects.create(township=township, **fields)


def make_member(township: Township, *, union: GrassrootsUnion | None = None, **fields) -> Member:
    member = Member(
        township=township,
        union=union or make_union(township),
        name=fields.pop("name", f"会员{next(_serial)}"),
        id_number=fields.pop("id_number", None) or id_number(),
        joined_on=fields.pop("joined_on", datetime.date(2020, 1, 1)),
        **fields,
    )
    member.derive_from_id()
    member.save()
    return member


def make_transfer(
    township: Township, to_township: Township, *, member: Member | None = None, **fields
) -> MemberTransfer:
    """A transfer of a member of `township` to `to_township`, pending unless told otherwise."""
    member = member or make_member(township)
    fields.setdefault("day", datetime.date(2026, 3, 1))
    fields.setdefault("reason", "工作调动")
    return MemberTransfer.objects.create(
        township=township, member=member, to_township=to_township, **fields
    )


def make_contract(township: Township, **fields) -> CollectiveContract:
    fields.setdefault("party_name", f"第{next(_serial)}公司")
    fields.setdefault("kind", ContractKind.GENERAL)
    fields.setdefault("signed_on", datetime.date(2025, 1, 1))
    fields.setdefault("expires_on", datetime.date(2027, 12, 31))
    return CollectiveContract.objects.create(township=township, **fields)


def make_dues(township: Township, *, employer: Employer | None = None, **fields) -> DuesRecord:
    record = DuesRecord(
        township=township,
        employer=employer or make_employer(township),
        period=fields.pop("period", "2026-01"),
        amount_due=fields.pop("amount_due", Decimal("1000.00")),
        amount_paid=fields.pop("amount_paid", Decimal("1000.00")),
        **fields,
    )
    record.derive_period()
    record.save()
    return record


def make_visit(township: Township, **fields) -> WelfareVisit:
    fields.setdefault("visited_on", _DAY)
    fields.setdefault("beneficiary_type", BeneficiaryType.HARDSHIP)
    fields.setdefault("beneficiary_name", f"困难职工{next(_serial)}")
    fields.setdefault("cash", Decimal("500.00"))
    return WelfareVisit.objects.create(township=township, **fields)


def make_hardship_file(township: Township, **fields) -> HardshipFile:
    fields.setdefault("name", f"困难职工{next(_serial)}")
    fields.setdefault("id_number", id_number(birth=datetime.date(1976, 6, 6)))
    fields.setdefault("category", "relative")
    fields.setdefault("causes", "illness")
    fields.setdefault("filed_on", datetime.date(2025, 9, 1))
    file = HardshipFile.objects.create(township=township, **fields)
    if file.reviewed_on:  # its latest review is a row of its history, as the services keep it
        HardshipReview.objects.create(file=file, reviewed_on=file.reviewed_on)
    return file


def make_mutual_aid(township: Township, **fields) -> MutualAidEnrolment:
    if "union" not in fields:
        fields["union"] = make_union(township)
    fields.setdefault("year", 2026)
    fields.setdefault("workers", 100)
    fields.setdefault("enrolled", 90)
    return MutualAidEnrolment.objects.create(township=township, **fields)


def make_case(township: Township, **fields) -> Case:
    fields.setdefault("number", f"XF-{next(_serial):04d}")
    fields.setdefault("received_on", _DAY)
    fields.setdefault("petitioner", f"诉求人{next(_serial)}")
    fields.setdefault("category", CaseCategory.WAGES)
    return Case.objects.create(township=township, **fields)


def make_milestone(township: Township, **fields) -> UnionMilestone:
    fields["union"] = fields.get("union") or make_union(township)
    fields.setdefault("kind", MilestoneKind.CONGRESS_HELD)
    fields.setdefault("happened_on", _DAY)
    return UnionMilestone.objects.create(township=township, **fields)


def make_remittance(township: Township, **fields) -> DuesRemittance:
    record = DuesRemittance(
        township=township,
        period=fields.pop("period", f"{2000 + next(_serial) % 30}"),
        amount_due=fields.pop("amount_due", Decimal("1000.00")),
        amount_paid=fields.pop("amount_paid", Decimal("900.00")),
        **fields,
    )
    record.derive_period()
    record.save()
    return record


def make_honour(township: Township, **fields) -> Honour:
    fields.setdefault("recipient", f"获奖者{next(_serial)}")
    fields.setdefault("recipient_type", RecipientType.PERSON)
    if fields["recipient_type"] == RecipientType.PERSON:
        fields.setdefault("id_number", id_number())
    fields.setdefault("title", "劳动模范")
    fields.setdefault("level", HonourLevel.CITY)
    fields.setdefault("granted_on", _DAY)
    honour = Honour(township=township, **fields)
    honour.clean_fields()
    honour.save()
    return honour


def make_event(township: Township, **fields) -> Event:
    fields.setdefault("title", f"第{next(_serial)}次职工培训")
    fields.setdefault("starts_on", _DAY)
    fields.setdefault("category", EventCategory.TRAINING)
    return Event.objects.create(township=township, **fields)


def make_records(
    township: Township,
    *,
    employers: int = 0,
    unions: int = 0,
    members: int = 0,
    contracts: int = 0,
    dues: int = 0,
    visits: int = 0,
    cases: int = 0,
    events: int = 0,
) -> None:
    """Exactly the given number of records of each kind in the township.

    Members and dues need a union and an employer: they reuse the first ones made here, so ask
    for at least one union (for members) and one employer (for dues).
    """
    if members and not unions:
        raise ValueError("members need a union: ask for unions=1 or more")
    if dues and not employers:
        raise ValueError("dues need an employer: ask for employers=1 or more")
    made_employers = [make_employer(township) for _ in range(employers)]
    made_unions = [make_union(township) for _ in range(unions)]
    for _ in range(members):
        make_member(township, union=made_unions[0])
    for _ in range(contracts):
        make_contract(township)
    for i in range(dues):
        period = f"{2025 - i // 12}-{i % 12 + 1:02d}"
        make_dues(township, employer=made_employers[0], period=period)
    for _ in range(visits):
        make_visit(township)
    for _ in range(cases):
        make_case(township)
    for _ in range(events):
        make_event(township)


# ---------------------------------------------------------------------------------------------
# Hand-made records: figures worked out by hand in the reports tests


D = datetime.date
H1 = parse_period("2026H1")
_handmade_serial = iter(range(1000, 9999))


def union(township, name, founded, **extra):
    """A union whose marks (规范化, 星级, chair …) hold from its founding day: milestones dated
    then, as the data migration made of the marks kept before milestones."""
    made = GrassrootsUnion.objects.create(
        township=township, name=name, kind="enterprise", founded_on=founded, **extra
    )
    for milestone in status_milestones(union=made, before={}, day=founded):
        milestone.save()
    return made


def employer(township, name, employees, **extra):
    return Employer.objects.create(township=township, name=name, employees=employees, **extra)


def member(township, in_union, joined, **extra):
    first17 = f"3302821985061{next(_handmade_serial)}"
    return Member.objects.create(
        township=township,
        name="会员",
        id_number=first17 + id_check_char(first17),
        gender="M",
        birth_date=D(1985, 6, 1),
        union=in_union,
        joined_on=joined,
        **extra,
    )


def case(township, number, received, **extra):
    return Case.objects.create(
        township=township,
        number=number,
        received_on=received,
        petitioner="诉求人",
        category="wages",
        **extra,
    )


def dues(township, payer, period, due, paid):
    record = DuesRecord(
        township=township,
        employer=payer,
        period=period,
        amount_due=Decimal(due),
        amount_paid=Decimal(paid),
    )
    record.derive_period()
    record.save()


def handmade_records(township_a: Township, township_b: Township) -> tuple[Township, Township]:
    """Records in two townships whose figures the reports tests work out by hand (the `data`
    fixture of conftest.py); returns the two townships."""
    a = township_a
    u1 = union(
        a,
        "U1",
        D(2020, 1, 1),
        standardised=True,
        star="one",
        has_congress=True,
        has_affairs_openness=True,
        has_women_committee=True,
        chair_is_migrant=True,
    )
    u2 = union(a, "U2", D(2026, 3, 1), star="two")
    u3 = union(a, "U3", D(2019, 1, 1), dissolved_on=D(2026, 6, 30))
    u4 = union(a, "U4", D(2026, 7, 1))
    union(a, "U5", D(2018, 1, 1), dissolved_on=D(2026, 7, 15))
    e1 = employer(a, "E1", 100, migrant_employees=30, union=u1)
    e2 = employer(a, "E2", 50, union=u3)
    employer(a, "E3", 40)
    e4 = employer(a, "E4", 10, migrant_employees=2, union=u2, should_unionise=False)
    employer(a, "E5", 20, union=u4)

    member(a, u1, D(2020, 1, 1), is_migrant=True)
    member(a, u1, D(2026, 2, 1))
    member(a, u1, D(2021, 1, 1), left_on=D(2026, 6, 30))
    member(a, u1, D(2021, 1, 1), left_on=D(2026, 7, 10), is_migrant=True)
    member(a, u1, D(2026, 7, 1))
    member(a, u1, D(2026, 6, 30), is_migrant=True)

    case(
        a,
        "C1",
        D(2026, 1, 5),
        people_involved=12,
        status=CaseStatus.RESOLVED,
        closed_on=D(2026, 2, 1),
        amount_recovered=Decimal("50000"),
    )
    case(a, "C2", D(2026, 3, 1), people_involved=3, handling=Handling.ARBITRATION)
    case(
        a,
        "C3",
        D(2025, 12, 20),
        status=CaseStatus.RESOLVED,
        closed_on=D(2026, 1, 10),
        amount_recovered=Decimal("8000"),
    )
    case(a, "C4", D(2026, 6, 20), status=CaseStatus.ARBITRATION, closed_on=D(2026, 7, 5))
    case(a, "C5", D(2026, 4, 1), status=CaseStatus.REJECTED, closed_on=D(2026, 4, 2))

    CollectiveContract.objects.create(
        township=a,
        party_name="E1",
        employer=e1,
        kind="general",
        signed_on=D(2026, 3, 1),
        expires_on=D(2029, 2, 28),
        workers_covered=100,
    )
    CollectiveContract.objects.create(
        township=a,
        party_name="E1",
        employer=e1,
        kind="wage",
        signed_on=D(2025, 5, 1),
        expires_on=D(2028, 4, 30),
        workers_covered=90,
    )
    CollectiveContract.objects.create(
        township=a,
        party_name="E4",
        employer=e4,
        kind="general",
        signed_on=D(2026, 5, 1),
        expires_on=D(2029, 4, 30),
        workers_covered=10,
        is_renewal=True,
    )
    CollectiveContract.objects.create(
        township=a,
        party_name="E2",
        employer=e2,
        kind="general",
        signed_on=D(2023, 1, 1),
        expires_on=D(2026, 6, 30),
        workers_covered=50,
    )

    Event.objects.create(
        township=a,
        title="执法检查",
        starts_on=D(2026, 4, 10),
        category=EventCategory.INSPECTION,
        participants=5,
    )
    Event.objects.create(
        township=a,
        title="技能比武",
        starts_on=D(2026, 5, 1),
        category=EventCategory.COMPETITION,
        participants=200,
    )
    Event.objects.create(
        township=a,
        title="报道",
        starts_on=D(2026, 6, 1),
        category=EventCategory.PUBLICITY,
        media="宁波日报",
    )
    Event.objects.create(
        township=a,
        title="运动会",
        starts_on=D(2026, 7, 1),
        category=EventCategory.SPORTS_CULTURE,
        participants=300,
    )

    WelfareVisit.objects.create(
        township=a,
        visited_on=D(2026, 1, 20),
        beneficiary_type="hardship",
        beneficiary_name="甲",
        cash=Decimal("1000"),
        goods_value=Decimal("200"),
        fund_source="higher",
    )
    WelfareVisit.objects.create(
        township=a,
        visited_on=D(2026, 1, 21),
        beneficiary_type="extreme",
        beneficiary_name="乙",
        cash=Decimal("2000"),
        fund_source="own",
    )
    WelfareVisit.objects.create(
        township=a,
        visited_on=D(2025, 12, 31),
        beneficiary_type="hardship",
        beneficiary_name="丙",
        cash=Decimal("500"),
    )

    dues(a, e1, "2026-01", "1000", "1000")
    dues(a, e1, "2026Q2", "3000", "1500")
    dues(a, e1, "2026", "12000", "12000")
    dues(a, e1, "2025-12", "1000", "0")

    b = township_b
    ub = union(b, "UB", D(2015, 1, 1))
    employer(b, "EB", 30, union=ub)
    member(b, ub, D(2016, 1, 1))
    member(b, ub, D(2016, 1, 1))
    return a, b


# ---------------------------------------------------------------------------------------------
# Pages as a reader sees them


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.assets: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        if tag == "script" and found.get("src"):
            self.assets.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.assets.append(found["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.extend(data.split())


def _read(response: HttpResponse) -> _PageReader:
    reader = _PageReader()
    reader.feed(response.content.decode())
    return reader


def page_text(response: HttpResponse) -> str:
    """The page's text as a reader sees it, whitespace collapsed to single spaces, padded by a
    space at each end so `" 会员 5 " in page_text(r)` matches whole figures only."""
    return " " + " ".join(_read(response).words) + " "


def loaded_assets(response: HttpResponse) -> list[str]:
    """Addresses in the page's <script src> and <link href> tags."""
    return _read(response).assets


class _FormReader(HTMLParser):
    """The values a browser would send back from each POST form that posts to the page itself."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            posts_here = found.get("method", "").lower() == "post" and not found.get("action")
            self._form = {} if posts_here else None
            return
        if self._form is None or not found.get("name") or "disabled" in found:
            return
        name = found["name"]
        if tag == "input":
            kind = found.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            if kind not in ("submit", "button", "file"):
                self._form[name] = found.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self._form[self._select] = found.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(response: HttpResponse) -> dict[str, str]:
    """What submitting the page's own form unchanged sends: its named fields' current values
    (hidden ones included), from the first POST form without an action (it posts to the page)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.forms[0]


def table_rows(html: str, table_id: str = "dashboard-table") -> list[list[str]]:
    """The visible text of each row of a table, cell by cell."""
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def row_named(html: str, name: str) -> list[str]:
    return next(r for r in table_rows(html) if r and r[0] == name)


# ---------------------------------------------------------------------------------------------
# Form posts


def member_post(union: GrassrootsUnion, **overrides) -> dict:
    """A valid add-member form post for a member of `union`, with `overrides` on top."""
    data = {
        "name": "张三",
        "id_number": id_number(),
        "union": union.pk,
        "joined_on": "2024-05-01",
        "model_worker": "none",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Database state


APP_LABELS = (
    "unionportal",
    "audit",
    "members",
    "welfare",
    "disputes",
    "events",
    "honours",
    "workbook",
    "reports",
    "portal",
)


def snapshot() -> dict[str, dict]:
    """Every row of every table of the portal's apps (records, history, links, users), by key."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in APP_LABELS:
            columns = [field.attname for field in model._meta.concrete_fields]
            rows = model._default_manager.values_list("pk", *columns)
            state[model._meta.label] = {row[0]: repr(row[1:]) for row in rows}
    return state


def changed_rows(before: dict, after: dict) -> list:
    """The records written between two snapshots (new or changed rows; not history or links)."""
    written = []
    for label, rows in after.items():
        model = apps.get_model(label)
        if model._meta.auto_created or model.__name__.startswith("Historical"):
            continue
        old = before.get(label, {})
        pks = [pk for pk, row in rows.items() if old.get(pk) != row]
        written.extend(model._default_manager.filter(pk__in=pks))
    return written


# ---------------------------------------------------------------------------------------------
# Records behind every URL that takes an id (the URL sweep and the roles matrix)


def _case_attachment(township, user):
    case = make_case(township)
    attachment = CaseAttachment.objects.create(
        case=case,
        file="attachments/caseattachment/sweep.pdf",
        original_name="信访件.pdf",
        content_type="application/pdf",
        size=4,
    )
    return {"pk": case.pk, "attachment_pk": attachment.pk}


def _event_attachment(township, user):
    event = make_event(township)
    attachment = EventAttachment.objects.create(
        event=event,
        file="attachments/eventattachment/sweep.jpg",
        original_name="现场.jpg",
        content_type="image/jpeg",
        size=4,
    )
    return {"pk": event.pk, "attachment_pk": attachment.pk}


def _final_summary(township, user):
    final = FinalSummary.objects.create(
        township=township,
        period="2026",
        title="慈东镇工会2026年工作总结",
        pdf=b"%PDF",
        docx=b"PK",
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=user,
    )
    return {"pk": final.pk, "fmt": "pdf"}


def _submission(township, user):
    from portal.models import Submission, SubmissionState

    final = FinalSummary.objects.create(
        township=township,
        period="2026",
        version=FinalSummary.objects.filter(township=township, period="2026").count() + 1,
        title="慈东镇工会2026年工作总结",
        pdf=b"%PDF",
        docx=b"PK",
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
        finalised_by=user,
    )
    now = datetime.datetime(2026, 7, 5, tzinfo=datetime.UTC)
    submission, _ = Submission.objects.update_or_create(
        township=township,
        period="2026",
        defaults={
            "final": final,
            "state": SubmissionState.SUBMITTED,
            "submitted_at": now,
            "updated_at": now,
        },
    )
    return {"pk": submission.pk}


def _workbook_import(township, user):
    from workbook.models import ImportSource, WorkbookImport

    entry = WorkbookImport.objects.create(
        township=township,
        imported_by=user,
        imported_by_label="张录入",
        source=ImportSource.BROWSER,
        file_name="台账.xlsx",
        sha256="0" * 64,
        size=4,
        file="imports/sweep.xlsx",
    )
    return {"pk": entry.pk}


def _pk(make: Callable) -> Callable:
    return lambda township, user: {"pk": make(township).pk}


_member_pk = _pk(make_member)
_employer_pk = _pk(make_employer)
_union_pk = _pk(make_union)
_contract_pk = _pk(make_contract)
_dues_pk = _pk(make_dues)
_visit_pk = _pk(make_visit)
_hardship_pk = _pk(make_hardship_file)


def _hardship_review(township, user):
    file = make_hardship_file(township, reviewed_on=datetime.date(2026, 3, 1))
    return {"pk": file.pk, "review_pk": file.reviews.get().pk}


_mutual_aid_pk = _pk(make_mutual_aid)
_case_pk = _pk(make_case)
_event_pk = _pk(make_event)
_milestone_pk = _pk(make_milestone)
_remittance_pk = _pk(make_remittance)
_honour_pk = _pk(make_honour)


def _transfer_out(township, user):
    # Out of township A to a third township of its county (not B, whose staff the URL sweep
    # sends as intruders): A's staff are its sending side.
    return {"pk": make_transfer(township, make_township(township.county)).pk}


def _transfer_in(township, user):
    # Into township A from a third township: A's staff are its receiving side.
    return {"pk": make_transfer(make_township(township.county), township).pk}


# URL name → how to build township A's record; returns the URL's kwargs. A new id-taking URL
# fails tests/test_url_sweep.py until it has a line here.
BUILDERS: dict[str, Callable] = {
    **{f"members:employer_{v}": _employer_pk for v in ("detail", "update", "delete")},
    **{f"members:union_{v}": _union_pk for v in ("detail", "update", "delete")},
    **{
        f"members:member_{v}": _member_pk
        for v in ("detail", "update", "delete", "transfer", "transfer_out", "reveal")
    },
    "members:transfer_detail": _transfer_out,
    "members:transfer_cancel": _transfer_out,
    "members:transfer_accept": _transfer_in,
    "members:transfer_return": _transfer_in,
    **{f"members:contract_{v}": _contract_pk for v in ("detail", "update", "delete")},
    **{f"members:dues_{v}": _dues_pk for v in ("detail", "update", "delete")},
    **{f"members:milestone_{v}": _milestone_pk for v in ("detail", "update", "delete")},
    **{f"members:remittance_{v}": _remittance_pk for v in ("detail", "update", "delete")},
    **{f"honours:honour_{v}": _honour_pk for v in ("detail", "update", "delete", "reveal")},
    **{f"welfare:visit_{v}": _visit_pk for v in ("detail", "update", "delete", "reveal")},
    **{
        f"welfare:hardship_{v}": _hardship_pk
        for v in ("detail", "update", "delete", "reveal", "review")
    },
    "welfare:hardship_review_delete": _hardship_review,
    **{f"welfare:mutualaid_{v}": _mutual_aid_pk for v in ("detail", "update", "delete")},
    **{f"disputes:case_{v}": _case_pk for v in ("detail", "update", "delete", "close")},
    "disputes:attachment_upload": _case_pk,
    "disputes:attachment_download": _case_attachment,
    "disputes:attachment_delete": _case_attachment,
    **{f"events:event_{v}": _event_pk for v in ("detail", "update", "delete")},
    "events:attachment_upload": _event_pk,
    "events:attachment_download": _event_attachment,
    "events:attachment_delete": _event_attachment,
    "reports:final_download": _final_summary,
    "submissions:review": _submission,
    "workbook:import_download": _workbook_import,
    "reports:township_dashboard": lambda township, user: {"pk": township.pk},
}


# A plausible change for any form: names, amounts, dates, a union id.
POST_DATA = {
    "name": "被改的名字",
    "title": "被改的标题",
    "employees": "1",
    "amount_due": "1",
    "cash": "1",
    "status": "resolved",
    "closed_on": "2026-03-03",
    "amount_recovered": "1",
    "version": "1",
    "joined_on": "2020-01-01",
}


# ---------------------------------------------------------------------------------------------
# Workbooks


MEMBER_HEADERS = ["姓名", "身份证号", "所属工会", "工作单位", "入会日期"]
UNION_SHEET = [["工会名称", "类型", "成立日期"], ["甲工会", "企业工会", datetime.date(2015, 1, 1)]]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets: each a list of rows, the first row the headers."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def members_workbook(count: int, *, union: str = "甲工会") -> bytes:
    rows = [MEMBER_HEADERS] + [
        [f"会员{i}", id_number(), union, None, datetime.date(2020, 1, 1)] for i in range(count)
    ]
    return xlsx({"基层工会": UNION_SHEET, "会员": rows})


def fill_every_sheet(township: Township) -> None:
    """Records of every kind with every column filled, including awkward text."""
    union = GrassrootsUnion.objects.create(
        township=township,
        name="恒达机械工会",
        kind="enterprise",
        founded_on=datetime.date(2015, 5, 1),
        chair_name="陈建国",
        chair_is_migrant=True,
        standardised=True,
        star="two",
        has_congress=True,
        has_affairs_openness=True,
        has_women_committee=True,
    )
    GrassrootsUnion.objects.create(
        township=township,
        name="老街联合工会",
        kind="joint",
        founded_on=datetime.date(2001, 1, 1),
        dissolved_on=datetime.date(2024, 6, 30),
    )
    employer = Employer.objects.create(
        township=township,
        name="恒达机械有限公司",
        credit_code="91330282MA2AB3CD4" + credit_check_char("91330282MA2AB3CD4"),
        economic_type="private",
        employees=86,
        migrant_employees=30,
        should_unionise=True,
        union=union,
    )
    Employer.objects.create(township=township, name="小作坊", employees=8, should_unionise=False)
    member = Member(
        township=township,
        name="王小红",
        id_number=id_number(birth=datetime.date(1990, 1, 1), male=False),
        union=union,
        employer=employer,
        joined_on=datetime.date(2016, 3, 8),
        mobile="13805741234",
        ethnicity="汉族",
        education="=大专",
        is_migrant=True,
        model_worker="city",
        left_on=datetime.date(2025, 12, 31),
        card_number="-0001",
    )
    member.derive_from_id()
    member.save()
    plain = Member(
        township=township,
        name="@李明",
        id_number=id_number(),
        union=union,
        joined_on=datetime.date(2020, 1, 1),
    )
    plain.derive_from_id()
    plain.save()
    CollectiveContract.objects.create(
        township=township,
        party_name="恒达机械有限公司",
        employer=employer,
        kind="wage",
        signed_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2028, 12, 31),
        workers_covered=86,
        is_renewal=True,
    )
    CollectiveContract.objects.create(
        township=township,
        party_name="老街联合工会",
        union=GrassrootsUnion.objects.get(township=township, name="老街联合工会"),
        kind="general",
        signed_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2022, 12, 31),
    )
    for period, due, paid in (("2026Q1", "4300.50", "4300.50"), ("2026-04", "1200", "0")):
        record = DuesRecord(
            township=township,
            employer=employer,
            period=period,
            amount_due=Decimal(due),
            amount_paid=Decimal(paid),
            paid_on=datetime.date(2026, 4, 10) if paid != "0" else None,
        )
        record.derive_period()
        record.save()
    for _ in range(2):  # two identical visits: both kept, both recognised on re-import
        WelfareVisit.objects.create(
            township=township,
            visited_on=datetime.date(2026, 1, 20),
            beneficiary_type="hardship",
            beneficiary_name="李大明",
            cash=Decimal("500.00"),
        )
    WelfareVisit.objects.create(
        township=township,
        visited_on=datetime.date(2026, 1, 21),
        beneficiary_type="model",
        beneficiary_name="王小红",
        id_number=member.id_number,
        member=member,
        cash=Decimal("800.00"),
        goods_value=Decimal("200.50"),
        fund_source="higher",
        campaign="2026年春节送温暖",
        note="+慰问劳模",
    )
    # 困难职工: a household out of hardship and filed again later; 医疗互助 of the union.
    for filed, extra in (
        (
            datetime.date(2020, 3, 1),
            {
                "category": "deep",
                "causes": "illness,family_illness",
                "household_size": 4,
                "income_per_head": Decimal("612.50"),
                "reviewed_on": datetime.date(2021, 3, 1),
                "out_on": datetime.date(2022, 6, 30),
                "out_reason": "employment",
                "reported_on": datetime.date(2020, 3, 20),
                "note": "=配偶透析",
            },
        ),
        (
            datetime.date(2024, 9, 1),
            {"category": "accident", "causes": "injury", "reviewed_on": datetime.date(2026, 3, 1)},
        ),
    ):
        hardship = HardshipFile.objects.create(
            township=township,
            name="王小红",
            id_number=member.id_number,
            member=member,
            employer=employer,
            union=union,
            filed_on=filed,
            **extra,
        )
        HardshipReview.objects.create(file=hardship, reviewed_on=extra["reviewed_on"])
    MutualAidEnrolment.objects.create(
        township=township,
        union=union,
        year=2026,
        workers=86,
        enrolled=80,
        premiums=Decimal("6400.00"),
        payouts=3,
        paid_out=Decimal("9600.50"),
    )
    # 工会建设 implying the marks above (the union's present status), 荣誉, 经费上缴.
    for kind, day, extra in (
        ("election", datetime.date(2015, 5, 1), {"chair_name": "王建华"}),
        (
            "election",
            datetime.date(2021, 5, 10),
            {"chair_name": "陈建国", "chair_is_migrant": True},
        ),
        ("congress_system", datetime.date(2016, 1, 1), {}),
        ("openness", datetime.date(2016, 1, 1), {}),
        ("women_committee", datetime.date(2017, 3, 8), {"note": "=首届女职工委员会"}),
        ("standardised", datetime.date(2018, 6, 1), {}),
        ("star", datetime.date(2019, 12, 1), {"level": "one"}),
        ("star", datetime.date(2023, 12, 1), {"level": "two"}),
        ("model_home", datetime.date(2022, 5, 1), {"level": "city"}),
        (
            "congress_held",
            datetime.date(2026, 3, 18),
            {"delegates": 45, "note": "审议通过工资集体协议"},
        ),
    ):
        UnionMilestone.objects.create(
            township=township, union=union, kind=kind, happened_on=day, **extra
        )
    UnionMilestone.objects.create(
        township=township,
        union=GrassrootsUnion.objects.get(township=township, name="老街联合工会"),
        kind="dissolved",
        happened_on=datetime.date(2024, 6, 30),
    )
    for honour in (
        Honour(
            township=township,
            recipient="王小红",
            recipient_type="person",
            id_number=member.id_number,
            member=member,
            title="劳动模范",
            level="city",
            granted_by="慈溪市人民政府",
            granted_on=datetime.date(2025, 4, 28),
            workplace="恒达机械有限公司",
        ),
        Honour(
            township=township,
            recipient="恒达机械有限公司装配车间",
            recipient_type="collective",
            title="工人先锋号",
            level="county",
            granted_by="+慈溪市总工会",
            granted_on=datetime.date(2026, 4, 28),
        ),
    ):
        honour.clean_fields()
        honour.save()
    for period, due, paid in (("2026Q1", "43000", "43000"), ("2026-04", "12000.50", "0")):
        remittance = DuesRemittance(
            township=township,
            period=period,
            amount_due=Decimal(due),
            amount_paid=Decimal(paid),
            paid_on=datetime.date(2026, 4, 15) if paid != "0" else None,
        )
        remittance.derive_period()
        remittance.save()
    Case.objects.create(
        township=township,
        number="XF-2026-001",
        received_on=datetime.date(2026, 3, 2),
        channel="visit",
        petitioner="张某等5人",
        people_involved=5,
        employer=employer,
        category="wages",
        amount_involved=Decimal("42000.00"),
        handling="coordination",
        status=CaseStatus.RESOLVED,
        closed_on=datetime.date(2026, 3, 20),
        amount_recovered=Decimal("42000.00"),
        summary="协调企业补发2月工资\n第二行",
    )
    Case.objects.create(
        township=township,
        number="XF-2026-002",
        received_on=datetime.date(2026, 4, 2),
        petitioner="赵某",
        category="injury",
    )
    event = Event.objects.create(
        township=township,
        title="2026年安康杯知识竞赛",
        starts_on=datetime.date(2026, 5, 12),
        ends_on=datetime.date(2026, 5, 13),
        category="safety",
        organiser="镇总工会",
        participants=120,
        participating_units="恒达机械工会、恒达机械有限公司;外地某厂",
        media="江苏工人报",
        description="12家企业参赛",
    )
    event.unions.add(union)
    event.employers.add(employer)


# ---------------------------------------------------------------------------------------------
# A work summary document


def sample_document(*, repeat: int = 1, narrative: str = "") -> Document:
    """A realistic township half-year summary. `repeat` multiplies the body to make long documents
    (repeat=8 gives about 20 pages); `narrative` is put in as staff-written text (tests of escaping
    pass hostile text here)."""
    body = []
    for n in range(repeat):
        suffix = f"（续{n}）" if n else ""
        body.append(
            Section(
                heading=f"一、扎实推进组织建设{suffix}",
                blocks=(
                    Paragraph(
                        "截至2026年6月30日，全镇共有基层工会38家，会员9,214人，其中农民工会员3,105人。"
                        "上半年新建基层工会3家，新发展会员612人，同比增加48人；应建会单位52家，"
                        "已建会单位47家，建会率90.4%，同比提高2.1个百分点。"
                    ),
                    BulletList(
                        items=(
                            "宁波恒达机械有限公司工会（2026年3月12日成立）",
                            "慈东镇北街村工会（2026年4月2日成立）",
                            "浙江嘉禾纺织有限公司工会（2026年5月20日成立）",
                        )
                    ),
                ),
                subsections=(
                    Section(
                        heading="（一）规范化建设",
                        level=2,
                        blocks=(
                            Paragraph(
                                "全镇规范化工会21家，星级工会15家，其中三星级4家、二星级5家、一星级6家。"
                                "建立职代会制度的工会30家，实行厂务公开的32家，建立女职工委员会的27家。"
                            ),
                        ),
                    ),
                ),
            )
        )
        body.append(
            Section(
                heading=f"二、依法维护职工合法权益{suffix}",
                blocks=(
                    Paragraph(
                        "上半年共受理职工信访12件，涉及职工86人，其中集体信访2件；"
                        "协调解决9件，参与仲裁2件，为职工追回工资等款项38.6万元，办结率83.3%。",
                        lead="一是做好信访接待。",
                    ),
                    Table(
                        caption="上半年新签集体合同",
                        header=("签约单位", "合同类型", "覆盖职工（人）", "签订日期"),
                        rows=(
                            ("宁波恒达机械有限公司", "综合", "326", "2026年3月18日"),
                            ("浙江嘉禾纺织有限公司", "工资专项", "214", "2026年4月9日"),
                        ),
                    ),
                ),
            )
        )
    return Document(
        title="慈东镇工会2026年上半年工作总结",
        issuer="慈东镇工会",
        date="2026年7月10日",
        opening=(
            Paragraph(
                "2026年上半年，镇工会在镇党委和县总工会的坚强领导下，紧紧围绕全镇中心工作，"
                "团结动员广大职工建功立业，各项工作取得新进展。现将上半年工作总结如下。"
            ),
        )
        + ((Paragraph(narrative),) if narrative else ()),
        sections=tuple(body)
        + (
            Section(
                heading="三、下一步工作打算",
                blocks=(Paragraph(narrative or "继续推进新就业形态劳动者入会工作。"),),
            ),
        ),
        appendix=(
            Section(
                heading="附件：主要指标",
                blocks=(
                    Table(
                        caption="主要指标一览",
                        header=("指标", "本期", "去年同期"),
                        rows=(
                            ("基层工会数（家）", "38", "35"),
                            ("会员数（人）", "9,214", "8,877"),
                            ("建会率", "90.4%", "88.3%"),
                            ("办结率", "83.3%", "—"),
                        ),
                    ),
                ),
            ),
        ),
    )


# ---------------------------------------------------------------------------------------------
# A scratch portal: a portal of its own for tests that run manage.py as separate processes (and
# kill them): a real database and media folders in a temporary directory, never pytest-django's
# test database (in memory, or inside a transaction another process cannot see).
#
# The database is a SQLite file, or, for the "postgresql" variant, a scratch database created
# beside DATABASE_URL's and dropped afterwards; that variant runs only when DATABASE_URL is
# PostgreSQL (CI runs the suite both ways).

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# One fixed key for every process of a scratch portal: ID numbers are encrypted at rest.
FIELD_KEY = base64.b64encode(b"scratch-portal-test-key-32-bytes").decode()


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "").strip()
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


def require_engine(engine: str) -> None:
    if engine == "postgresql" and postgres_url() is None:
        pytest.skip("DATABASE_URL 不是 PostgreSQL：此情形在 CI 的 PostgreSQL 任务中运行")


@dataclass
class ScratchPortal:
    root: Path
    engine: str
    env: dict[str, str]
    database: str  # the SQLite file, or the PostgreSQL database name

    @property
    def media_root(self) -> Path:
        return Path(self.env["MEDIA_ROOT"])

    @property
    def private_root(self) -> Path:
        return Path(self.env["PRIVATE_MEDIA_ROOT"])

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} → {done.returncode}:\n{done.stderr}")
        return done

    def start(self, *args: str) -> subprocess.Popen:
        """manage.py in the background; its output goes to files (a full pipe would block it)."""
        log = self.root / f"{args[0]}-{uuid.uuid4().hex[:6]}"
        return subprocess.Popen(
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            stdout=(log.with_suffix(".out")).open("wb"),
            stderr=(log.with_suffix(".err")).open("wb"),
        )

    def connect(self) -> Any:
        if self.engine == "sqlite":
            return sqlite_connect(Path(self.database))
        import psycopg

        return psycopg.connect(_with_dbname(postgres_url(), self.database), autocommit=True)

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        db = self.connect()
        try:
            cursor = db.cursor()
            cursor.execute(sql if self.engine == "postgresql" else sql.replace("%s", "?"), params)
            return cursor.fetchall()
        finally:
            db.close()

    def tables(self) -> list[str]:
        if self.engine == "sqlite":
            sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        else:
            sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        return sorted(row[0] for row in self.query(sql))

    def snapshot(self) -> dict[str, list[tuple]]:
        """Every row of every table, to compare the whole database before and after."""
        db = self.connect()
        try:
            cursor = db.cursor()
            state = {}
            for table in self.tables():
                cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the catalogue)
                state[table] = sorted(
                    (
                        tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in cursor.fetchall()
                    ),
                    key=repr,
                )
            return state
        finally:
            db.close()

    def count(self, table: str) -> int:
        return self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0]  # noqa: S608


def _with_dbname(url: str, name: str) -> str:
    import psycopg.conninfo

    return psycopg.conninfo.make_conninfo(url.replace("pgsql://", "postgres://"), dbname=name)


def make_portal(root: Path, engine: str, *, migrate: bool = True) -> ScratchPortal:
    """A portal in `root`, migrated, with the 慈溪县 township 慈东镇 (code cidong)."""
    root.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DEBUG": "0",
        "MEDIA_ROOT": str(root / "media"),
        "PRIVATE_MEDIA_ROOT": str(root / "private"),
        "FIELD_ENCRYPTION_KEY": FIELD_KEY,
    }
    if engine == "sqlite":
        database = str(root / "db.sqlite3")
        env["DATABASE_URL"] = f"sqlite:///{database}"
    else:
        import psycopg

        database = f"scratch_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(_with_dbname(postgres_url(), "postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        base, _, query = postgres_url().partition("?")
        env["DATABASE_URL"] = base[: base.rindex("/") + 1] + database + (f"?{query}" * bool(query))
    portal = ScratchPortal(root=root, engine=engine, env=env, database=database)
    if migrate:
        portal.manage("migrate", "--noinput")
        portal.manage("add_township", "cidong", "慈东镇", "--county", "慈溪县")
    return portal


def drop_portal(portal: ScratchPortal) -> None:
    if portal.engine != "postgresql":
        return
    import psycopg

    with psycopg.connect(_with_dbname(postgres_url(), "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{portal.database}" WITH (FORCE)')


def unique_id_number(i: int) -> str:
    """The i-th of a long run of distinct, valid resident ID numbers."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 400)
    first17 = f"330282{birth:%Y%m%d}{i % 400 * 2 + 1:03d}"
    return first17 + id_check_char(first17)


def numbered_members_workbook(count: int, *, union: str, start: int = 0) -> bytes:
    """A records workbook with one grassroots union and `count` members of it, whose ID numbers
    are the `start`-th onwards of unique_id_number's run (distinct across workbooks)."""
    rows = [MEMBER_HEADERS] + [
        [f"会员{i}", unique_id_number(i), union, None, datetime.date(2020, 1, 1)]
        for i in range(start, start + count)
    ]
    unions = [["工会名称", "类型", "成立日期"], [union, "企业工会", datetime.date(2015, 1, 1)]]
    return xlsx({"基层工会": unions, "会员": rows})


def record_tables_read(queries: list[dict]) -> set[str]:
    """The record tables (those carrying data tokens) named in captured queries' SQL: what a
    result kept under some tables' tokens must be checked against."""
    from unionportal.datastamp import all_tables

    return {table for query in queries for table in all_tables() if f'"{table}"' in query["sql"]}
