"""Writing spreadsheets: exports streamed as plain XML into a ZIP (openpyxl's write-only writer
needs about 25 s per 100,000 members), plain tables, and the blank template with comments and
drop-down lists (small, so made with openpyxl)."""

import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet

from unionportal.masking import mask_id_number, mask_mobile
from unionportal.spreadsheet.cells import (
    EXCEL_EPOCH,
    TOWNSHIP_COLUMN,
    YES_NO,
    Column,
    Sheet,
    chinese_labels,
)
from unionportal.spreadsheet.reading import NS_MAIN, NS_PKG_REL, NS_REL

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_LOOKING = ("=", "+", "-", "@")
STYLE_DATE, STYLE_TEXT_AS_IS, STYLE_HEADER = 1, 2, 3

_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{NS_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    # quotePrefix: Excel shows the text as typed and never evaluates it, even on editing.
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"'
    ' quotePrefix="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    text = _ILLEGAL_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _string_cell(ref: str, text: str) -> str:
    if not text:
        return ""
    style = f' s="{STYLE_TEXT_AS_IS}"' if text.startswith(_FORMULA_LOOKING) else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_xml_text(text)}</t></is></c>'


def _export_path(sheet: Sheet, column: Column) -> str:
    if column.export:
        return column.export
    if column.kind in ("union", "employer"):
        return f"{column.field}__name"
    return column.field


def _cell_writer(column: Column, *, masked: bool = False):
    """A function (cell reference, value) → the <c> element, chosen once per column. `masked`
    writes ID numbers and mobiles as 110101********1234 and 138****5678."""
    kind = column.kind
    if masked and kind in ("id", "mobile"):
        mask = mask_id_number if kind == "id" else mask_mobile

        def masked_cell(ref: str, value: Any) -> str:
            return _string_cell(ref, mask(value)) if value else ""

        return masked_cell
    if kind == "date":

        def date_cell(ref: str, value: Any) -> str:
            if value is None:
                return ""
            return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - EXCEL_EPOCH).days}</v></c>'

        return date_cell
    if kind in ("int", "money"):

        def number_cell(ref: str, value: Any) -> str:
            return "" if value is None else f'<c r="{ref}"><v>{value}</v></c>'

        return number_cell
    if kind == "bool":

        def bool_cell(ref: str, value: Any) -> str:
            return _string_cell(ref, "是" if value else "否")

        return bool_cell
    if kind == "choice":
        labels = dict(chinese_labels(column.choices))

        def choice_cell(ref: str, value: Any) -> str:
            return _string_cell(ref, labels.get(value, value or ""))

        return choice_cell
    if kind == "choices":
        labels = dict(chinese_labels(column.choices))

        def choices_cell(ref: str, value: Any) -> str:
            codes = [c for c in (value or "").split(",") if c]
            return _string_cell(ref, "、".join(labels.get(c, c) for c in codes))

        return choices_cell

    def text_cell(ref: str, value: Any) -> str:
        return "" if value is None else _string_cell(ref, str(value))

    return text_cell


def _export_order(sheet: Sheet, with_township: bool) -> list[str]:
    order = list(sheet.order_by)
    return ["township__name", "township_id", *order] if with_township else order


class _SheetStream:
    """A worksheet part written row by row into the ZIP."""

    def __init__(self, archive: zipfile.ZipFile, index: int, widths: list[int]) -> None:
        self.handle = archive.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True)
        self.buffer: list[str] = []
        self.row = 0
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, 1)
        )
        self.buffer.append(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{NS_MAIN}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            f"</sheetView></sheetViews><cols>{cols}</cols><sheetData>"
        )

    def add(self, cells: str) -> None:
        self.row += 1
        self.buffer.append(f'<row r="{self.row}">{cells}</row>')
        if len(self.buffer) >= 2000:
            self.flush()

    def flush(self) -> None:
        self.handle.write("".join(self.buffer).encode("utf-8"))
        self.buffer.clear()

    def close(self) -> None:
        self.buffer.append("</sheetData></worksheet>")
        self.flush()
        self.handle.close()


def write_workbook(
    out: IO[bytes],
    *,
    sheets: Sequence[Sheet],
    querysets: dict[str, QuerySet],
    with_township: bool = False,
    masked: bool = True,
    chunk_size: int = 5000,
) -> dict[str, int]:
    """Write the records of `querysets` (sheet key → queryset of that sheet's model, already
    limited to what the user may see) in the layout of `sheets`, in their order; returns the
    rows per sheet.

    Streams: each queryset is read with values_list().iterator(), each sheet written to the ZIP
    as it goes, so memory does not grow with the number of records. `with_township` adds a first
    column 乡镇 (the county reviewer's export); the importer ignores it. ID numbers and mobiles
    are masked unless `masked` is False (the full export that can be imported back).
    """
    written: dict[str, int] = {}
    titles: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for sheet in sheets:
            if sheet.key not in querysets:
                continue
            columns = sheet.columns
            paths = [_export_path(sheet, c) for c in columns]
            writers = [_cell_writer(c, masked=masked) for c in columns]
            if with_township:
                paths = ["township__name", *paths]
                writers = [_cell_writer(Column(TOWNSHIP_COLUMN, "township", "text")), *writers]
            headers = ([TOWNSHIP_COLUMN] if with_township else []) + [c.header for c in columns]
            refs = [_letters(i) for i in range(len(headers))]
            widths = [max(10, min(40, len(h) * 2 + 4)) for h in headers]
            titles.append(sheet.name)
            stream = _SheetStream(archive, len(titles), widths)
            stream.add(
                "".join(
                    f'<c r="{r}1" s="{STYLE_HEADER}" t="inlineStr"><is><t>{h}</t></is></c>'
                    for r, h in zip(refs, headers, strict=True)
                )
            )
            queryset = (
                querysets[sheet.key]
                .order_by(*_export_order(sheet, with_township))
                .values_list(*paths)
            )
            count = 0
            pairs = list(zip(refs, writers, strict=True))
            for values in queryset.iterator(chunk_size=chunk_size):
                n = stream.row + 1
                stream.add(
                    "".join(
                        write(f"{ref}{n}", value)
                        for (ref, write), value in zip(pairs, values, strict=True)
                    )
                )
                count += 1
            stream.close()
            written[sheet.key] = count
        _write_package(archive, titles)
    return written


def write_rows(out: IO[bytes], sheets: dict[str, tuple[list[str], Iterable[list[Any]]]]) -> None:
    """A plain workbook of the given sheets (name → headers, rows): text, numbers and dates."""
    titles: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, (headers, rows) in sheets.items():
            titles.append(name)
            refs = [_letters(i) for i in range(len(headers))]
            stream = _SheetStream(archive, len(titles), [16] * len(headers))
            stream.add(
                "".join(_string_cell(f"{r}1", h) for r, h in zip(refs, headers, strict=True))
            )
            for row in rows:
                n = stream.row + 1
                cells = []
                for ref, value in zip(refs, row, strict=False):
                    if isinstance(value, datetime.date):
                        days = (value - EXCEL_EPOCH).days
                        cells.append(f'<c r="{ref}{n}" s="{STYLE_DATE}"><v>{days}</v></c>')
                    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                        cells.append(f'<c r="{ref}{n}"><v>{value}</v></c>')
                    elif value is not None:
                        cells.append(_string_cell(f"{ref}{n}", str(value)))
                stream.add("".join(cells))
            stream.close()
        _write_package(archive, titles)


def _write_package(archive: zipfile.ZipFile, titles: list[str]) -> None:
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    if not titles:  # a workbook needs one sheet to open
        titles = ["无记录"]
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'{head}<worksheet xmlns="{NS_MAIN}"><sheetData/></worksheet>',
        )
    numbered = list(enumerate(titles, 1))
    sheets = "".join(
        f'<sheet name="{_xml_text(t)}" sheetId="{i}" r:id="rId{i}"/>' for i, t in numbered
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i, _t in numbered
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i, _t in numbered
    )
    styles_id = len(titles) + 1
    archive.writestr(
        "[Content_Types].xml",
        f"{head}<Types "
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>",
    )
    archive.writestr(
        "_rels/.rels",
        f'{head}<Relationships xmlns="{NS_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
    )
    archive.writestr(
        "xl/workbook.xml",
        f'{head}<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
        f"<sheets>{sheets}</sheets></workbook>",
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{head}<Relationships xmlns="{NS_PKG_REL}">{rels}'
        f'<Relationship Id="rId{styles_id}" Type="{NS_REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    archive.writestr("xl/styles.xml", _STYLES_XML)


# An example row per sheet, for the template's 示例 sheet.


def write_template(out: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """The blank workbook offered for download: every sheet and column of `sheets`, required
    columns marked with *, a note on each header, drop-down lists for closed vocabularies and
    是/否, date cells formatted as dates, a 填写说明 sheet and a 示例 sheet with one example row
    per sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    rows = 500
    book = Workbook()
    guide = book.active
    guide.title = "填写说明"
    guide.append(["数据交换工作簿 填写说明"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        "1. 每个工作表都可以不填；第1行是列名，从第2行起每行一条记录，空行会被跳过。",
        "2. 列名带 * 的为必填列；列的顺序可以调整，列名和表名用简体或繁体均可。",
        "3. 日期填 2026-03-27、2026/3/27 或 2026年3月27日；是/否 列填“是”或“否”。",
        "4. 金额以元为单位，最多两位小数；人数为不小于0的整数。",
        "5. “所属工会”“工作单位”“单位名称”须是本表或系统中已有的工会、单位名称。",
        "6. 已有记录按关键列（如会员的身份证号）更新，其余新增；同一文件重复导入不会改变数据。",
        "7. 只要有一行有错，就一条也不导入；导入前会列出所有问题（工作表、行、列）。",
        "8. 单元格不要填公式，直接填写内容。",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        for index, column in enumerate(sheet.columns, 1):
            letter = _letters(index - 1)
            cell = ws.cell(
                row=1, column=index, value=column.header + ("*" if column.required else "")
            )
            cell.font = Font(bold=True, color="C00000" if column.required else "000000")
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center")
            cell.comment = Comment(_column_note(column), "工作平台", width=260, height=110)
            ws.column_dimensions[letter].width = max(12, len(column.header) * 2 + 6)
            span = f"{letter}2:{letter}{rows + 1}"
            if column.kind in ("choice", "bool"):
                labels = (
                    [label for _value, label in chinese_labels(column.choices)]
                    if column.choices
                    else ["是", "否"]
                )
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(labels) + '"',
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle="不在可选范围内",
                    error="请从下拉列表中选择：" + "、".join(labels),
                )
                validation.add(span)
                ws.add_data_validation(validation)
            elif column.kind == "date":
                validation = DataValidation(
                    type="date",
                    operator="greaterThan",
                    formula1="1",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="日期",
                    error="请填写日期，如 2026-03-27",
                )
                validation.add(span)
                ws.add_data_validation(validation)
            for row in range(2, rows + 2):
                target = ws.cell(row=row, column=index)
                if column.kind == "date":
                    target.number_format = "yyyy-mm-dd"
                elif column.kind in (
                    "id",
                    "credit",
                    "mobile",
                    "text",
                    "period",
                    "union",
                    "choices",
                ):
                    target.number_format = "@"
        ws.freeze_panes = "A2"
    example = book.create_sheet("示例")
    example.append(["以下为各工作表的填写示例（本表不会被导入）。"])
    example["A1"].font = Font(bold=True)
    for sheet in sheets:
        example.append([])
        example.append([f"【{sheet.name}】"])
        example.append([c.header + ("*" if c.required else "") for c in sheet.columns])
        for cell in example[example.max_row]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
        example.append(list(sheet.example))
        for cell in example[example.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for index in range(1, 14):
        example.column_dimensions[_letters(index - 1)].width = 18
    book.save(out)


def _label_list(column: Column) -> list[str]:
    return [label for _value, label in chinese_labels(column.choices)]


def _column_note(column: Column) -> str:
    parts = ["必填。" if column.required else "选填。"]
    if column.kind == "choice":
        parts.append("可选：" + "、".join(_label_list(column)) + "。")
    elif column.kind == "choices":
        parts.append("可选一项或多项，用“、”分隔：" + "、".join(_label_list(column)) + "。")
    elif column.kind == "bool":
        parts.append(f"填“是”或“否”（{YES_NO}）。")
    elif column.kind == "date":
        parts.append("日期，如 2026-03-27。")
    elif column.kind == "money":
        parts.append("金额（元），最多两位小数，不能为负数。")
    elif column.kind == "int":
        parts.append("不小于0的整数。")
    if column.note:
        parts.append(column.note + "。")
    return "".join(parts)
