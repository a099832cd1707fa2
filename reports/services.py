"""Writes of the reports app: staff-written summary drafts and finalised summaries, and the
county's annual targets and assessment weights."""

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from reports.convert import to_traditional
from reports.document import Document
from reports.drafts import Drafts, draft_lines
from reports.indicators import Scope, with_last_year
from reports.models import AnnualTarget, AssessmentWeight, FinalSummary, SummaryNarrative
from reports.queries import record_names
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from reports.summary import Narrative, build_document, figures_span
from unionportal import lowpriority
from unionportal.access import (
    can_edit_county_narrative,
    can_edit_narrative,
    can_finalise,
    can_set_targets,
)
from unionportal.models import County, Township, User
from unionportal.periods import Period


def load_narrative(
    *, township: Township | None = None, county: County | None = None, period: Period
) -> Narrative:
    """The draft staff saved for this township (or county) and period, or an empty one."""
    row = SummaryNarrative.objects.filter(
        township=township, county=county, period=period.code
    ).first()
    if row is None:
        return Narrative()
    return Narrative(row.opening, row.practices, row.shortcomings, row.plans)


def summary_document(
    *,
    township: Township | None = None,
    county: County | None = None,
    period: Period,
    narrative: Narrative | None = None,
    language: str = "zh-hans",
) -> Document:
    """The work summary of a township or a county roll-up, with the saved (or given) narrative,
    in Simplified or Traditional characters."""
    if township is not None:
        scope = Scope.for_township(township)
        townships = [township]
        names = None
    else:
        townships = list(county.townships.select_related("county"))
        scope = Scope.for_county(county, townships)
        names = {t.pk: t.name for t in townships}
    if narrative is None:
        narrative = load_narrative(township=township, county=county, period=period)
    document = build_document(scope, period, narrative=narrative, township_names=names)
    if language != "zh-hant":
        return document
    return to_traditional(document, protected=record_names(townships=townships, county=county))


def summary_drafts(
    *, township: Township | None = None, county: County | None = None, period: Period
) -> Drafts:
    """Drafted 存在不足 and 下一步打算 lines from the records (reports/drafts.py), for the span
    the summary states (up to today for an unfinished period)."""
    scope = Scope.for_township(township) if township is not None else Scope.for_county(county)
    span, _end = figures_span(period)
    this, last = with_last_year(scope, span)
    return draft_lines(scope, span, this.total(), last.total())


@transaction.atomic
def save_narrative(
    *,
    user: User,
    township: Township | None = None,
    county: County | None = None,
    period: Period,
    narrative: Narrative,
) -> SummaryNarrative:
    """Save the staff-written parts as the draft for this township and period, or a county
    federation's own parts (做法、不足、打算) of its roll-up."""
    if county is not None:
        if not can_edit_county_narrative(user, county):
            raise PermissionDenied(_("只有本县总工会审阅人员可以填写全县工作总结。"))
    elif not can_edit_narrative(user, township):
        raise PermissionDenied(_("您无权修改该乡镇的工作总结。"))
    row, _created = SummaryNarrative.objects.update_or_create(
        township=None if county is not None else township,
        county=county,
        period=period.code,
        defaults={
            "opening": narrative.opening.strip(),
            "practices": narrative.practices.strip(),
            "shortcomings": narrative.shortcomings.strip(),
            "plans": narrative.plans.strip(),
            "updated_by": user,
        },
    )
    return row


def content_sha256(document: Document) -> str:
    """The SHA-256 of everything a reader sees in the document (the renderers draw nothing
    else), so two documents with the same content have the same digest even where the PDF
    writer's own bytes (its file identifier) differ."""
    seen = (
        document.title,
        document.issuer,
        document.date,
        document.opening,
        document.sections,
        document.appendix,
        document.language,
    )
    return hashlib.sha256(repr(seen).encode()).hexdigest()


@dataclass(frozen=True)
class RenderedSummary:
    title: str
    pdf: bytes
    docx: bytes


def render_both(document: Document) -> RenderedSummary:
    return RenderedSummary(
        document.title,
        lowpriority.run(render_pdf, document),
        lowpriority.run(render_docx, document),
    )


def finalise_summary(*, user: User, township: Township, period: Period) -> FinalSummary:
    """Freeze the township's summary for the period: its PDF and DOCX are stored with their
    SHA-256 and never change afterwards. Finalising again keeps the earlier versions; finalising
    a summary whose content (every string of the document, its date included) is the latest
    version's makes no new version and returns that one."""
    if not can_finalise(user, township):
        raise PermissionDenied(_("只有本乡镇工会主席可以定稿工作总结。"))
    document = summary_document(township=township, period=period)
    content_sha = content_sha256(document)
    with transaction.atomic():
        latest = (
            FinalSummary.objects.filter(township=township, period=period.code)
            .defer("pdf", "docx")
            .order_by("-version")
            .first()
        )
        if latest and latest.content_sha256 == content_sha:
            return latest
        last = latest.version if latest else None
        rendered = render_both(document)
        return FinalSummary.objects.create(
            township=township,
            period=period.code,
            version=(last or 0) + 1,
            title=rendered.title,
            pdf=rendered.pdf,
            docx=rendered.docx,
            pdf_sha256=hashlib.sha256(rendered.pdf).hexdigest(),
            docx_sha256=hashlib.sha256(rendered.docx).hexdigest(),
            content_sha256=content_sha,
            finalised_by=user,
        )


# --- annual targets and assessment weights (dashboards) ---------------------------------------


@transaction.atomic
def save_targets(
    *,
    user: User,
    county: County,
    year: int,
    targets: dict[int, dict[str, Decimal | None]],
    weights: dict[str, int | None] | None = None,
) -> int:
    """Write the year's targets ({township id: {indicator: value or None}}) and, when given, the
    weights of the assessment rules, in one transaction. None (an empty cell) removes a target or
    weight. Townships must belong to the county. Returns how many values were written."""
    if not can_set_targets(user, county):
        raise PermissionDenied(_("只有本县总工会审阅人员和管理员可以设置年度目标和考核权重。"))
    own = set(county.townships.values_list("pk", flat=True))
    if set(targets) - own:
        raise PermissionDenied(_("只能为本县的乡镇设置目标。"))
    written = 0
    for township_id, values in targets.items():
        for indicator, value in values.items():
            if value is None:
                AnnualTarget.objects.filter(
                    township_id=township_id, year=year, indicator=indicator
                ).delete()
                continue
            AnnualTarget.objects.update_or_create(
                township_id=township_id,
                year=year,
                indicator=indicator,
                defaults={"value": value, "updated_by": user},
            )
            written += 1
    for indicator, weight in (weights or {}).items():
        if weight is None:
            AssessmentWeight.objects.filter(county=county, year=year, indicator=indicator).delete()
            continue
        AssessmentWeight.objects.update_or_create(
            county=county,
            year=year,
            indicator=indicator,
            defaults={"weight": weight, "updated_by": user},
        )
        written += 1
    return written
