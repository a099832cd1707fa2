"""Excel files of the dashboards: the county table export, and the targets template and its upload.

The export writes the same figures as the page (reports/dashboards.py builds both); rates are
written as percentages with one decimal (the header says （%）) so that the sheet reads as the page
does, counts as whole numbers and amounts in 元. It is a report, written in the language of the
page it was downloaded from; the targets template is a data format read back, so it stays Chinese.
"""

import datetime
import io
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.dashboards import (
    BEHIND,
    GOOD,
    HEADLINES,
    NEAR,
    RATE,
    TARGETED,
    Cell,
    Dashboard,
)
from reports.models import RATE_TARGETS
from unionportal.models import County, Township
from unionportal.spreadsheet.reading import Formula, WorkbookError, read_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILLS = {
    GOOD: PatternFill("solid", fgColor="C6EFCE"),
    NEAR: PatternFill("solid", fgColor="FFEB9C"),
    BEHIND: PatternFill("solid", fgColor="FFC7CE"),
}
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"


def _legend() -> str:
    return _(
        "说明：有目标的单元格按完成情况着色——绿色为达标（≥目标），黄色为接近目标（≥目标的80%），"
        "红色为未达标；比率类和有效集体合同覆盖职工数与年度目标直接比较，其余按期间折算（半年½、季度¼、"
        "月1/12、自定义区间按天数）。“—”表示分母为0。"
        "考核得分 = Σ(权重 × min(实际÷目标, 1)) ÷ Σ权重 × 100。"
    )


def _header_text(label: str, unit: str) -> str:
    return _("{label}（{unit}）").format(label=label, unit=unit)


def _is_money(cell: Cell) -> bool:
    # The unit is translated with the page; 元 is compared in the language it is written in.
    return str(cell.headline.unit) == _("元")


def _cell_value(cell: Cell):
    if cell.number is None:
        return "—"
    if cell.headline.kind == RATE or _is_money(cell):
        return float(cell.number)
    return int(cell.number)


def _number_format(cell: Cell) -> str:
    if cell.headline.kind == RATE:
        return "0.0"
    if _is_money(cell):
        return "#,##0.00"
    return "#,##0"


# Text that Excel would take for a formula when the cell is typed in or edited.
_FORMULA_LOOKING = ("=", "+", "-", "@")


def _keep_text_as_text(workbook: Workbook) -> None:
    """openpyxl writes any string starting with "=" as a formula, and a township or county name
    is data, not a formula (`=HYPERLINK(...)` must not become a link): store such strings as
    text, with Excel's quote prefix so that editing the cell does not evaluate it either. The
    sheets hold no formulas of their own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_LOOKING):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def _save(workbook: Workbook) -> bytes:
    _keep_text_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_workbook(dashboard: Dashboard, generated_at: datetime.datetime) -> bytes:
    """The dashboard table as a formatted workbook: title, period, generation time, one row per
    township in the page's order, the county total, colours against targets, and the scores.
    Its words are in the active language, as on the page; names are the records'."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("各乡镇主要指标")
    period = dashboard.period
    columns = [_("乡镇"), *(_header_text(h.label, h.unit) for h in HEADLINES), _("考核得分")]
    width = len(columns)
    ws.cell(
        1,
        1,
        _("{federation}各乡镇主要指标（{period}）").format(
            federation=dashboard.county.federation_name, period=period.display
        ),
    )
    ws.cell(1, 1).font = Font(name=FONT, size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(
        2,
        1,
        _("统计期间：{period}（{start}至{end}）").format(
            period=period.display,
            start=date_format(period.start, "DATE_FORMAT"),
            end=date_format(period.end, "DATE_FORMAT"),
        ),
    )
    ws.cell(3, 1, _("生成时间：{time}").format(time=f"{generated_at:%Y-%m-%d %H:%M}"))
    for r in (2, 3):
        ws.cell(r, 1).font = Font(name=FONT, size=10)
    header_row = 5
    for c, text in enumerate(columns, start=1):
        cell = ws.cell(header_row, c, str(text))
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[header_row].height = 36

    def write_row(r: int, name: str, cells, score: str, bold: bool = False) -> None:
        first = ws.cell(r, 1, str(name))
        first.font = Font(name=FONT, bold=bold)
        first.border = BOX
        for c, cell in enumerate(cells, start=2):
            out = ws.cell(r, c, _cell_value(cell))
            out.number_format = _number_format(cell)
            out.font = Font(name=FONT, bold=bold)
            out.border = BOX
            out.alignment = Alignment(horizontal="right")
            if cell.status:
                out.fill = FILLS[cell.status]
        last = ws.cell(r, width, str(score))
        last.font = Font(name=FONT, bold=bold)
        last.border = BOX
        last.alignment = Alignment(horizontal="right")

    r = header_row + 1
    for row in dashboard.rows:
        score = row.score.value if row.score else None
        write_row(r, row.name, row.cells, float(score) if score is not None else "—")
        r += 1
    write_row(r, dashboard.total.name, dashboard.total.cells, "", bold=True)
    r += 2
    ws.cell(r, 1, _legend()).font = Font(name=FONT, size=9)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[r].height = 48
    ws.column_dimensions["A"].width = 14
    for c in range(2, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    scores = wb.create_sheet(_("考核得分"))
    head = [
        _("乡镇"),
        _("指标"),
        _("权重（分）"),
        _("实际"),
        _("目标（按期间折算）"),
        _("完成度（%）"),
        _("得分"),
    ]
    for c, text in enumerate(head, start=1):
        cell = scores.cell(1, c, text)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
    r = 2
    for row in dashboard.rows:
        for item in row.score.items if row.score else ():
            values = [
                str(row.name),
                str(item.headline.label),
                item.weight,
                item.actual,
                item.target or _("未设目标"),
                float(item.completion * 100) if item.scored else _("不计分"),
                float(item.points) if item.scored else "",
            ]
            for c, value in enumerate(values, start=1):
                scores.cell(r, c, value).font = Font(name=FONT)
            r += 1
        scores.cell(r, 1, str(row.name)).font = Font(name=FONT, bold=True)
        scores.cell(r, 2, _("考核得分")).font = Font(name=FONT, bold=True)
        total = row.score.value if row.score else None
        scores.cell(r, 7, float(total) if total is not None else "—").font = Font(
            name=FONT, bold=True
        )
        r += 1
    for c, w in enumerate((14, 22, 10, 14, 18, 12, 10), start=1):
        scores.column_dimensions[get_column_letter(c)].width = w
    return _save(wb)


# --- targets template and upload --------------------------------------------------------------

TARGETS_SHEET = "年度目标"
WEIGHTS_SHEET = "考核权重"
CODE_HEADER = "乡镇代码"
TARGET_LABELS = {h.target.value: h.label for h in TARGETED}


def _target_header(indicator: str, label: str) -> str:
    unit = "%" if indicator in {i.value for i in RATE_TARGETS} else _unit_of(indicator)
    return _header_text(label, unit)


def _unit_of(indicator: str) -> str:
    return next(h.unit for h in TARGETED if h.target == indicator)


@translation.override("zh-hans")
def targets_template(
    county: County,
    townships: list[Township],
    year: int,
    targets: dict[int, dict[str, Decimal]],
    weights: dict[str, int],
) -> bytes:
    """The targets sheet for a county and year, filled with the values already set."""
    wb = Workbook()
    ws = wb.active
    ws.title = TARGETS_SHEET
    ws.cell(1, 1, f"{county.federation_name}{year}年度各乡镇工作目标").font = Font(
        name=FONT, size=14, bold=True
    )
    ws.cell(2, 1, "年度")
    ws.cell(2, 2, year)
    ws.cell(3, 1, "比率类目标填百分数（如90表示90%），数量类填全年目标；空白表示不设目标。")
    header = [CODE_HEADER, "乡镇", *(_target_header(h.target, h.label) for h in TARGETED)]
    for c, text in enumerate(header, start=1):
        cell = ws.cell(5, c, str(text))
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for r, township in enumerate(townships, start=6):
        ws.cell(r, 1, township.code)
        ws.cell(r, 2, township.name)
        for c, h in enumerate(TARGETED, start=3):
            value = targets.get(township.pk, {}).get(h.target)
            if value is not None:
                ws.cell(r, c, float(value))
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 12
    for c in range(3, len(header) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = "C6"

    ww = wb.create_sheet(WEIGHTS_SHEET)
    for c, text in enumerate(("指标", "权重（分）"), start=1):
        ww.cell(1, c, text).font = Font(name=FONT, bold=True)
    for r, h in enumerate(TARGETED, start=2):
        ww.cell(r, 1, str(h.label))
        if h.target in weights:
            ww.cell(r, 2, weights[h.target])
    ww.column_dimensions["A"].width = 24
    ww.column_dimensions["B"].width = 12
    return _save(wb)


class TargetsFileError(ValueError):
    """The uploaded sheet cannot be read; the message says where, in Chinese."""


# The largest target AnnualTarget.value holds (14 digits, 2 after the point).
MAX_TARGET = Decimal("999999999999.99")
# A filled template is tens of KB; its upload is refused past this (the page, and the request size).
MAX_TARGETS_BYTES = 2 * 1024 * 1024


def _decimal(value, where: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Formula):
        raise TargetsFileError(f"{where}是公式（{value}），请填写数值。")
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        raise TargetsFileError(f"{where}不是数字：{value}") from None
    if not number.is_finite():
        raise TargetsFileError(f"{where}不是数字：{value}")
    if number < 0:
        raise TargetsFileError(f"{where}不能为负数：{value}")
    if number > MAX_TARGET:
        raise TargetsFileError(f"{where}过大：{value}（不能超过 {MAX_TARGET:,}）。")
    return number


@translation.override("zh-hans")
def read_targets(
    data: bytes, townships: list[Township], year: int
) -> tuple[dict[int, dict[str, Decimal | None]], dict[str, int | None]]:
    """Targets and weights from an uploaded template. Townships are matched by 乡镇代码 (or name),
    indicators by their column heading; a township of another county is an error.

    Read by the portal's one bounded reader (unionportal/spreadsheet/reading.py): size,
    compression ratio and XML entities are checked before any XML is parsed; openpyxl read a
    156 KB file holding a 150 MB cell in 21 s and 2 GB. Rows are (row number, {column: value})
    with empty rows and cells left out; a formula is refused (its cached value may be stale)."""
    try:
        book = read_workbook(
            data, wanted=lambda name: name in (TARGETS_SHEET, WEIGHTS_SHEET), skipped=lambda n: True
        )
    except WorkbookError as exc:
        raise TargetsFileError(str(exc)) from None
    sheets = {sheet.name: sheet.rows for sheet in book.sheets}
    if TARGETS_SHEET not in sheets:
        raise TargetsFileError(f"文件中没有“{TARGETS_SHEET}”工作表，请使用下载的模板。")
    rows = sheets[TARGETS_SHEET]
    for _n, row in (r for r in rows if r[0] <= 4):
        found = row.get(1)
        if row.get(0) == "年度" and found not in (None, "") and str(found) != str(year):
            raise TargetsFileError(f"模板的年度是{found}，与所选年度{year}不符。")
    header_at = next((i for i, (_n, row) in enumerate(rows) if row.get(0) == CODE_HEADER), None)
    if header_at is None:
        raise TargetsFileError(f"没有找到以“{CODE_HEADER}”开头的表头行，请使用下载的模板。")
    header = rows[header_at][1]
    columns = {}
    for h in TARGETED:
        text = _target_header(h.target, h.label)
        found = [c for c, value in sorted(header.items()) if str(value).strip() == text]
        if found:
            columns[h.target] = found[0]
    if not columns:
        raise TargetsFileError("表头中没有可识别的指标列，请使用下载的模板。")
    by_code = {t.code: t for t in townships}
    by_name = {t.name: t for t in townships}
    targets: dict[int, dict[str, Decimal | None]] = {}
    rate_keys = {i.value for i in RATE_TARGETS}
    for n, row in rows[header_at + 1 :]:
        code = str(row.get(0) or "").strip()
        name = str(row.get(1) or "").strip()
        township = by_code.get(code) or by_name.get(name)
        if township is None:
            raise TargetsFileError(f"第{n}行：本县没有乡镇“{code or name}”。")
        values = {}
        for indicator, c in columns.items():
            label = TARGET_LABELS[indicator]
            value = _decimal(row.get(c), f"第{n}行“{label}”")
            if value is not None and indicator in rate_keys and value > 100:
                raise TargetsFileError(f"第{n}行“{label}”是比率，不能超过100。")
            values[indicator] = value
        targets[township.pk] = values
    weights: dict[str, int | None] = {}
    labels = {str(h.label): h.target for h in TARGETED}
    for n, row in sheets.get(WEIGHTS_SHEET, []):
        if n < 2 or row.get(0) not in labels:
            continue
        value = _decimal(row.get(1), f"考核权重第{n}行")
        if value is not None and (value != value.to_integral_value() or value > 100):
            raise TargetsFileError(f"考核权重第{n}行：权重应为0到100的整数。")
        weights[labels[row[0]]] = None if value is None else int(value)
    return targets, weights
