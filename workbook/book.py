"""The records workbook (docs/spec/workbook.md): every record kind's sheet in the spec's order,
read, parsed and written with the plain helpers of unionportal.spreadsheet. Each kind declares
its own sheet next to its models (members/sheets.py, welfare/sheets.py, …); a new kind's sheet
is added to SHEETS (and IMPORT_ORDER) here."""

from typing import IO

from django.db.models import QuerySet

from disputes.sheets import CASES
from events.sheets import EVENTS
from honours.sheets import HONOURS
from members.sheets import (
    CONTRACTS,
    DUES,
    EMPLOYERS,
    MEMBERS,
    MILESTONES,
    REMITTANCES,
    UNIONS,
)
from unionportal.spreadsheet import cells, reading, writing
from unionportal.spreadsheet.cells import ParsedWorkbook, Sheet
from unionportal.spreadsheet.reading import RawWorkbook, fold_name
from welfare.sheets import HARDSHIP, MUTUAL_AID, VISITS

# The order of the spec; the importer processes them in dependency order (IMPORT_ORDER).
SHEETS: tuple[Sheet, ...] = (
    EMPLOYERS,
    UNIONS,
    MEMBERS,
    VISITS,
    CASES,
    EVENTS,
    CONTRACTS,
    DUES,
    HARDSHIP,
    MUTUAL_AID,
    MILESTONES,
    HONOURS,
    REMITTANCES,
)
SHEETS_BY_KEY = {s.key: s for s in SHEETS}
IMPORT_ORDER = (
    "unions",
    "employers",
    "members",
    "contracts",
    "dues",
    "visits",
    "cases",
    "events",
    "hardship",
    "mutual_aid",
    "milestones",
    "honours",
    "remittances",
)
# Sheets of the template that carry help, not records: skipped on import without a warning.
HELP_SHEETS = ("填写说明", "示例")


def sheet_for_name(name: str) -> Sheet | None:
    """The sheet a file's sheet name stands for (spaces, * and Traditional characters folded)."""
    folded = fold_name(name)
    return next((s for s in SHEETS if s.name == folded), None)


def read_workbook(data: bytes) -> RawWorkbook:
    """The records sheets of an uploaded file, read through the bounded reader; other sheets
    (but the template's help sheets) come back empty so the preview can say they were ignored."""
    return reading.read_workbook(
        data,
        wanted=lambda name: sheet_for_name(name) is not None,
        skipped=lambda name: fold_name(name) in HELP_SHEETS,
    )


def parse_workbook(raw: RawWorkbook) -> ParsedWorkbook:
    """Every cell of the records sheets as a field value; every problem collected."""
    return cells.parse_workbook(raw, sheet_for_name=sheet_for_name)


def write_workbook(
    out: IO[bytes],
    *,
    querysets: dict[str, QuerySet],
    with_township: bool = False,
    masked: bool = True,
    chunk_size: int = 5000,
) -> dict[str, int]:
    """The records of `querysets` (sheet key → queryset) streamed in the spec's sheet order."""
    return writing.write_workbook(
        out,
        sheets=SHEETS,
        querysets=querysets,
        with_township=with_township,
        masked=masked,
        chunk_size=chunk_size,
    )


def write_template(out: IO[bytes]) -> None:
    """The blank records workbook with every sheet, notes, drop-downs and examples."""
    writing.write_template(out, SHEETS)
