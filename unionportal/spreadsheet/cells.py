"""A spreadsheet's sheets and columns as the portal declares them, and turning cells into field
values with a Chinese message for every cell that cannot be one. Each record kind declares its
own Sheet next to its models (e.g. members/sheets.py); the records workbook (workbook/) lists
them in order."""

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from unionportal.fields import MONEY
from unionportal.periods import PeriodError, parse_period
from unionportal.spreadsheet.reading import CellError, Formula, RawWorkbook, fold_name
from unionportal.validators import (
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)

# ---------------------------------------------------------------------------------------------
# Sheets and columns
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet. `kind` says how a cell becomes a value; `field` names the model
    field whose max_length, choices and validators apply (or a reference resolved by name)."""

    header: str
    field: str
    kind: str
    required: bool = False
    choices: type[TextChoices] | None = None
    note: str = ""
    export: str = ""  # values_list path when it is not the field itself


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key_fields: tuple[str, ...]
    order_by: tuple[str, ...]
    # One example row for the template's 示例 sheet, in column order.
    example: tuple[Any, ...] = ()
    # Holds ID numbers or mobiles: an export of it goes into the personal-information log.
    personal: bool = False

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def header_for(self, field_name: str) -> str:
        column = self.column(field_name)
        return column.header if column else ""


YES_NO = "是/否"
TOWNSHIP_COLUMN = "乡镇"


class CellProblem(Exception):
    """A cell that cannot become a value; the message is Chinese."""


_YES = {"是", "Y", "YES", "1", "TRUE", "对", "√"}
_NO = {"否", "N", "NO", "0", "FALSE", "不", "×"}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－／，", "0123456789.-/,")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_EPOCH_1904 = datetime.date(1904, 1, 1)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CENTS = Decimal("0.01")
# The largest amount a money column holds (unionportal.fields.MONEY: 14 digits, 2 after the point);
# a larger one would fail in the database (or, past 28 digits, in rounding) instead of here.
MAX_MONEY = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"]) - _CENTS
# The largest head count an integer column holds (PositiveIntegerField in PostgreSQL).
MAX_COUNT = 2_147_483_647


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number_text(value: Any) -> str:
    return re.sub(r"[\s\u3000,]", "", str(value).translate(_FULLWIDTH_DIGITS))


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellProblem(_("应为不小于0的整数。"))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _number_text(value)
        if not re.fullmatch(r"-?\d+(\.0+)?", text):
            raise CellProblem(_("“{value}”不是整数，应为不小于0的整数。").format(value=value))
        number = int(Decimal(text))
    if number < 0:
        raise CellProblem(_("不能为负数（{number}）。").format(number=number))
    if number > MAX_COUNT:
        raise CellProblem(_("数字过大（不超过 {MAX_COUNT:,}）。").format(MAX_COUNT=MAX_COUNT))
    return number


def parse_money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellProblem(_("应为金额（元），最多两位小数。"))
    try:
        if isinstance(value, float):
            amount = Decimal(repr(value))
        else:
            text = _number_text(value).removesuffix("元").lstrip("¥￥")
            amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise CellProblem(
            _("“{value}”不是金额，应为以元为单位的数字，最多两位小数。").format(value=value)
        ) from None
    if not amount.is_finite():
        raise CellProblem(_("“{value}”不是金额。").format(value=value))
    if amount < -MAX_MONEY:
        raise CellProblem(_("不能为负数（{value}）。").format(value=value))
    if amount > MAX_MONEY:
        integer_digits = MONEY["max_digits"] - MONEY["decimal_places"]
        raise CellProblem(
            _("金额过大，最多{integer_digits}位整数（不超过 {MAX_MONEY:,} 元）。").format(
                integer_digits=integer_digits, MAX_MONEY=MAX_MONEY
            )
        )
    rounded = amount.quantize(_CENTS)
    # Binary floats such as 0.1 + 0.2 carry noise beyond the cents; real third decimals are errors.
    if abs(amount - rounded) > Decimal("0.000001"):
        raise CellProblem(_("金额“{value}”超过两位小数。").format(value=value))
    if rounded < 0:
        raise CellProblem(_("不能为负数（{rounded}）。").format(rounded=rounded))
    return rounded


def parse_date(value: Any, *, date1904: bool = False) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            epoch = _EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH
            return epoch + datetime.timedelta(days=int(value))
        raise CellProblem(
            _("“{value}”不是日期，请写成 2026-03-27 这样的格式。").format(value=value)
        )
    text = str(value).translate(_FULLWIDTH_DIGITS).strip()
    match = _DATE_TEXT.fullmatch(text) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ][\d:.]+", text)
    if not match:
        raise CellProblem(
            _("无法识别日期“{value}”，请写成 2026-03-27 或 2026年3月27日。").format(value=value)
        )
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellProblem(
            _("日期“{value}”不存在（请核对年、月、日）。").format(value=value)
        ) from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold_name(_plain_text(value)).upper()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(_("“{value}”应填“是”或“否”。").format(value=value))


def chinese_labels(choices: type[TextChoices]) -> list[tuple[str, str]]:
    """A closed list's (value, label) pairs in Chinese whatever the page's language: the workbook
    is a data format, and its cells hold the Chinese labels."""
    with translation.override("zh-hans"):
        return [(value, str(label)) for value, label in choices.choices]


@functools.cache
def _labels(choices: type[TextChoices]) -> dict[str, str]:
    return {fold_name(label): value for value, label in chinese_labels(choices)}


def parse_choice(value: Any, choices: type[TextChoices]) -> str:
    found = _labels(choices).get(fold_name(_plain_text(value)))
    if found is None:
        allowed = "、".join(label for _value, label in chinese_labels(choices))
        raise CellProblem(
            _("“{value}”不在可选范围内，可填：{allowed}。").format(value=value, allowed=allowed)
        )
    return found


def parse_choices(value: Any, choices: type[TextChoices]) -> str:
    """Several labels of a closed list, separated by 、 (or , ; and spaces): their values joined
    by commas, in the list's order, each once."""
    parts = [p for p in re.split(r"[、,，;；\s]+", _plain_text(value)) if p]
    labels = _labels(choices)
    unknown = [p for p in parts if fold_name(p) not in labels]
    if unknown or not parts:
        allowed = "、".join(label for _value, label in chinese_labels(choices))
        wrong = "、".join(unknown) or value
        raise CellProblem(
            _("“{wrong}”不在可选范围内，可填一项或多项（用“、”分隔）：{allowed}。").format(
                wrong=wrong, allowed=allowed
            )
        )
    wanted = {labels[fold_name(p)] for p in parts}
    return ",".join(v for v in choices.values if v in wanted)


def _run_validator(validator, value: str) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise CellProblem(" ".join(exc.messages)) from None


@functools.cache
def _max_length(model: type[models.Model], field_name: str) -> int | None:
    try:
        return model._meta.get_field(field_name).max_length
    except Exception:
        return None


def parse_cell(sheet: Sheet, column: Column, value: Any, *, date1904: bool = False) -> Any:
    """The value a non-empty cell stands for, or CellProblem with a Chinese message."""
    if isinstance(value, Formula):
        raise CellProblem(
            _("单元格是公式（{value}），请改为直接填写内容。").format(value=value[:30])
        )
    if isinstance(value, CellError):
        raise CellProblem(_("单元格是错误值（{value}），请改为直接填写内容。").format(value=value))
    kind = column.kind
    if kind == "date":
        return parse_date(value, date1904=date1904)
    if kind == "int":
        return parse_int(value)
    if kind == "money":
        return parse_money(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "choice":
        return parse_choice(value, column.choices)
    if kind == "choices":
        return parse_choices(value, column.choices)
    if kind in ("id", "credit") and isinstance(value, float) and value >= 1e15:
        # Excel keeps 15 significant digits: an ID typed into a number cell has lost its tail.
        raise CellProblem(
            _(
                "“{header}”被Excel存成了数字，后几位已经丢失；请把该列设置为“文本”格式后重新填写。"
            ).format(header=column.header)
        )
    text = _plain_text(value)
    if kind == "id" and "*" in text:
        raise CellProblem(
            _(
                "身份证号已脱敏，不能用于导入，请用含完整身份证号的导出文件"
                "（“导出（含完整身份证号与手机号，用于导回）”）。"
            )
        )
    if kind == "mobile" and "*" in text:
        raise CellProblem(
            _("手机号已脱敏，不能用于导入，请用含完整身份证号与手机号的导出文件，或删去该列。")
        )
    if kind == "id":
        _run_validator(validate_id_number, text)
        return normalize_id_number(text)
    if kind == "credit":
        _run_validator(validate_credit_code, text)
        return normalize_credit_code(text)
    if kind == "mobile":
        _run_validator(validate_mobile, text)
        return normalize_mobile(text)
    if kind == "period":
        try:
            return parse_period(text, allow_range=False).code
        except PeriodError:
            raise CellProblem(
                _("“{value}”不是所属期间，应为 2026-03、2026Q1、2026H1 或 2026。").format(
                    value=value
                )
            ) from None
    if kind in ("union", "employer"):
        return text
    limit = _max_length(sheet.model, column.field)
    if limit is not None and len(text) > limit:
        raise CellProblem(
            _("不能超过{limit}个字（现有{len}个字）。").format(limit=limit, len=len(text))
        )
    return text


# ---------------------------------------------------------------------------------------------
# A workbook's rows as field values
# ---------------------------------------------------------------------------------------------


@dataclass
class Problem:
    """One thing wrong with the upload, shown as 工作表 / 行 / 列 / 问题."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = [self.sheet or _("文件")]
        if self.row:
            where.append(_("第{row}行").format(row=self.row))
        if self.column:
            where.append(_("“{column}”列").format(column=self.column))
        return _("{where}：{problem}").format(where=" ".join(where), problem=self.message)


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]


@dataclass
class ParsedSheet:
    sheet: Sheet
    title: str  # as written in the file
    fields: set[str]  # the columns present
    rows: list[ParsedRow] = field(default_factory=list)


@dataclass
class ParsedWorkbook:
    sheets: dict[str, ParsedSheet]
    problems: list[Problem]
    warnings: list[str]


def parse_workbook(
    raw: RawWorkbook, *, sheet_for_name: Callable[[str], Sheet | None]
) -> ParsedWorkbook:
    """Headers matched to columns and every cell turned into a value; every problem collected.
    `sheet_for_name` says which declared sheet a sheet of the file is (None: not one of ours)."""
    parsed: dict[str, ParsedSheet] = {}
    problems: list[Problem] = []
    warnings: list[str] = []
    for raw_sheet in raw.sheets:
        sheet = sheet_for_name(raw_sheet.name)
        if sheet is None:
            warnings.append(
                _("工作表“{name}”不是数据交换工作簿的工作表，已忽略。").format(name=raw_sheet.name)
            )
            continue
        if sheet.key in parsed:
            problems.append(
                Problem(
                    raw_sheet.name,
                    None,
                    "",
                    _("工作簿中有两个“{name}”工作表。").format(name=sheet.name),
                )
            )
            continue
        rows = raw_sheet.rows
        header = rows[0][1] if rows and rows[0][0] == 1 else {}
        by_header = {c.header: c for c in sheet.columns}
        mapping: dict[int, Column] = {}
        for index, title in sorted(header.items()):
            column = by_header.get(fold_name(_plain_text(title)))
            if column is None:
                if fold_name(_plain_text(title)) != TOWNSHIP_COLUMN:
                    warnings.append(
                        _("工作表“{sheet}”的列“{column}”不是本表的列，已忽略。").format(
                            sheet=raw_sheet.name, column=_plain_text(title)
                        )
                    )
                continue
            if column in mapping.values():
                problems.append(Problem(raw_sheet.name, 1, column.header, _("列名重复。")))
                continue
            mapping[index] = column
        present = {c.field for c in mapping.values()}
        missing = [c for c in sheet.columns if c.required and c.field not in present]
        for column in missing:
            problems.append(
                Problem(
                    raw_sheet.name,
                    1,
                    column.header,
                    _("缺少必填列“{header}”。").format(header=column.header),
                )
            )
        result = ParsedSheet(sheet, raw_sheet.name, present)
        parsed[sheet.key] = result
        if missing:
            continue
        for number, cells in rows[1:] if header else rows:
            values: dict[str, Any] = {}
            for index, column in mapping.items():
                value = cells.get(index)
                if isinstance(value, str) and not value.strip():
                    value = None
                if value is None:
                    if column.required:
                        problems.append(
                            Problem(raw_sheet.name, number, column.header, _("必填，不能为空。"))
                        )
                    values[column.field] = None
                    continue
                try:
                    values[column.field] = parse_cell(sheet, column, value, date1904=raw.date1904)
                except CellProblem as exc:
                    problems.append(Problem(raw_sheet.name, number, column.header, str(exc)))
                    values[column.field] = None
            if any(v is not None for v in values.values()) or any(
                cells.get(i) is not None for i in mapping
            ):
                result.rows.append(ParsedRow(number, values))
    return ParsedWorkbook(parsed, problems, warnings)


# ---------------------------------------------------------------------------------------------
# Writing: exports (streamed XML in a ZIP) and the template (openpyxl)
# ---------------------------------------------------------------------------------------------
