"""What an import did, per sheet: the report shown after a preview or an import."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from unionportal.spreadsheet.cells import Problem


@dataclass
class SheetCounts:
    sheet: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    key: str = ""
    # Rows of the sheet that hold anything, and how many of them have a problem: what a preview
    # with problems can honestly say (nothing would be created while any row is wrong).
    read: int = 0
    problem_rows: int = 0


@dataclass
class ImportReport:
    """What an import did or would do: counts per sheet, problems, warnings."""

    counts: list[SheetCounts] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts)

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts)

    @property
    def unchanged(self) -> int:
        return sum(c.unchanged for c in self.counts)

    def summary(self) -> str:
        parts = [
            _("{sheet}：新增{created}条，更新{updated}条，未变{unchanged}条").format(
                sheet=c.sheet, created=c.created, updated=c.updated, unchanged=c.unchanged
            )
            for c in self.counts
        ]
        return _("；").join(parts) if parts else _("工作簿中没有可导入的工作表。")
