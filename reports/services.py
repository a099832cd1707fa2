"""Writes of the reports app: staff-written summary drafts and finalised summaries."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from reports.convert import to_traditional
from reports.document import Document
from reports.indicators import Scope
from reports.models import FinalSummary, SummaryNarrative
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from reports.summary import Narrative, build_document
from unionportal.access import can_write
from unionportal.models import County, Role, Township, User
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
        names = None
    else:
        townships = list(county.townships.all())
        scope = Scope.for_county(county, townships)
        names = {t.pk: t.name for t in townships}
    if narrative is None:
        narrative = load_narrative(township=township, county=county, period=period)
    document = build_document(scope, period, narrative=narrative, township_names=names)
    return to_traditional(document) if language == "zh-hant" else document


def can_edit_narrative(user: User, township: Township) -> bool:
    return can_write(user, township)


def can_finalise(user: User, township: Township) -> bool:
    """Chairs finalise their township's summaries (administrators may too); staff and reviewers
    cannot."""
    if user.is_administrator:
        return True
    return user.role == Role.CHAIR and user.township_id == township.pk


@transaction.atomic
def save_narrative(
    *, user: User, township: Township, period: Period, narrative: Narrative
) -> SummaryNarrative:
    """Save the staff-written parts as the draft for this township and period."""
    if not can_edit_narrative(user, township):
        raise PermissionDenied("您无权修改该乡镇的工作总结。")
    row, _ = SummaryNarrative.objects.update_or_create(
        township=township,
        county=None,
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


@dataclass(frozen=True)
class RenderedSummary:
    title: str
    pdf: bytes
    docx: bytes


def render_both(document: Document) -> RenderedSummary:
    return RenderedSummary(document.title, render_pdf(document), render_docx(document))


def finalise_summary(*, user: User, township: Township, period: Period) -> FinalSummary:
    """Freeze the township's summary for the period: its PDF and DOCX are stored with their
    SHA-256 and never change afterwards. Finalising again keeps the earlier versions."""
    if not can_finalise(user, township):
        raise PermissionDenied("只有本乡镇工会主席可以定稿工作总结。")
    rendered = render_both(summary_document(township=township, period=period))
    with transaction.atomic():
        last = FinalSummary.objects.filter(township=township, period=period.code).aggregate(
            v=Max("version")
        )["v"]
        return FinalSummary.objects.create(
            township=township,
            period=period.code,
            version=(last or 0) + 1,
            title=rendered.title,
            pdf=rendered.pdf,
            docx=rendered.docx,
            pdf_sha256=hashlib.sha256(rendered.pdf).hexdigest(),
            docx_sha256=hashlib.sha256(rendered.docx).hexdigest(),
            finalised_by=user,
        )
