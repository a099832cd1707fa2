"""The records workbook (spec/workbook.md): its sheets and columns, reading an uploaded .xlsx
safely, turning cells into field values, and writing the template and exports.

Reading and exporting do not go through openpyxl: at county scale its read-only reader needs about
3 s per 10,000 members and its write-only writer about 25 s per 100,000, so both would miss the
goals of the workbook issue. The SpreadsheetML subset a workbook needs (shared and inline strings,
numbers, booleans, formulas, error cells) is read with expat, which refuses any DOCTYPE, and
written as plain XML into a streamed ZIP. The template, a small file with comments and drop-down
lists, is made with openpyxl.
"""

import datetime
import functools
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import IO, Any
from xml.parsers import expat

import opencc
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet, TextChoices

from disputes.models import Case, CaseCategory, CaseStatus, Channel, Handling
from events.models import Event, EventCategory
from members.models import (
    MONEY,
    CollectiveContract,
    ContractKind,
    DuesRecord,
    EconomicType,
    Employer,
    GrassrootsUnion,
    Member,
    ModelWorkerLevel,
    StarRating,
    UnionKind,
)
from unionportal.masking import mask_id_number, mask_mobile
from unionportal.periods import PeriodError, parse_period
from unionportal.validators import (
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    validate_credit_code,
    validate_id_number,
    validate_mobile,
)
from welfare.models import BeneficiaryType, FundSource, WelfareVisit

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A 50,000-member sheet is about 30 MB of XML; its ZIP about 3 MB (ratio ~10). Anything far beyond
# is a decompression bomb, refused before a byte of XML is parsed.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_MEMBER_RATIO = 100
# Rows are held in memory until the whole workbook is checked (all or nothing): about 3 KB each,
# so 100,000 rows stay well under 300 MB. A 20 MB file could otherwise hold 300,000.
MAX_ROWS = 100_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOWNSHIP_COLUMN = "乡镇"
# Sheets of the template that carry help, not records: skipped on import without a warning.
HELP_SHEETS = ("填写说明", "示例")


class WorkbookError(Exception):
    """The file as a whole cannot be read as a records workbook; the message is Chinese."""


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

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def header_for(self, field_name: str) -> str:
        column = self.column(field_name)
        return column.header if column else ""


YES_NO = "是/否"

UNIONS = Sheet(
    key="unions",
    name="基层工会",
    model=GrassrootsUnion,
    columns=(
        Column("工会名称", "name", "text", True, note="本乡镇内不重复"),
        Column("类型", "kind", "choice", True, UnionKind),
        Column("成立日期", "founded_on", "date", True),
        Column("工会主席", "chair_name", "text"),
        Column("主席为外来职工", "chair_is_migrant", "bool"),
        Column("规范化", "standardised", "bool", note="是否达到规范化建设要求"),
        Column("星级", "star", "choice", choices=StarRating),
        Column("职代会制度", "has_congress", "bool", note="是否建立职工代表大会制度"),
        Column("厂务公开", "has_affairs_openness", "bool", note="是否实行厂务（政务）公开"),
        Column("女职工委员会", "has_women_committee", "bool"),
        Column("撤销日期", "dissolved_on", "date", note="已撤销的工会填写"),
    ),
    key_fields=("name",),
    order_by=("name", "pk"),
)

EMPLOYERS = Sheet(
    key="employers",
    name="单位",
    model=Employer,
    columns=(
        Column("单位名称", "name", "text", True, note="本乡镇内不重复"),
        Column("统一社会信用代码", "credit_code", "credit", note="18位，校验位按GB 32100-2015核对"),
        Column("经济类型", "economic_type", "choice", choices=EconomicType),
        Column("职工人数", "employees", "int", True),
        Column("外来职工人数", "migrant_employees", "int", note="不超过职工人数"),
        Column("应建会", "should_unionise", "bool", note="不填时：职工人数达到25人为“是”"),
        Column(
            "所属工会", "union", "union", note="填“基层工会”表或系统中已有的工会名称；未建会不填"
        ),
    ),
    key_fields=("name",),
    order_by=("name", "pk"),
)

MEMBERS = Sheet(
    key="members",
    name="会员",
    model=Member,
    columns=(
        Column("姓名", "name", "text", True),
        Column("身份证号", "id_number", "id", True, note="18位，性别和出生日期由号码得出"),
        Column("所属工会", "union", "union", True, note="填“基层工会”表或系统中已有的工会名称"),
        Column("工作单位", "employer", "employer", note="填“单位”表或系统中已有的单位名称"),
        Column("入会日期", "joined_on", "date", True),
        Column("手机号", "mobile", "mobile", note="11位手机号码"),
        Column("民族", "ethnicity", "text"),
        Column("学历", "education", "text"),
        Column("农民工", "is_migrant", "bool"),
        Column("劳模", "model_worker", "choice", choices=ModelWorkerLevel),
        Column("离会日期", "left_on", "date", note="转出、退休、退会的日期"),
        Column("会员证号", "card_number", "text"),
    ),
    key_fields=("id_number",),
    # Not by ID: it is encrypted in the database, so its order there means nothing.
    order_by=("name", "pk"),
)

VISITS = Sheet(
    key="visits",
    name="慰问",
    model=WelfareVisit,
    columns=(
        Column("日期", "visited_on", "date", True),
        Column("对象类型", "beneficiary_type", "choice", True, BeneficiaryType),
        Column("对象姓名", "beneficiary_name", "text", True, note="每行一户或一人"),
        Column("身份证号", "id_number", "id", note="是会员的，据此关联会员"),
        Column("慰问金额", "cash", "money", note="元，最多两位小数"),
        Column("物资折款", "goods_value", "money", note="元，最多两位小数"),
        Column("资金来源", "fund_source", "choice", choices=FundSource),
        Column("活动名称", "campaign", "text", note="如 2026年春节送温暖"),
        Column("备注", "note", "text"),
    ),
    key_fields=("visited_on", "beneficiary_type", "beneficiary_name", "id_number", "cash"),
    order_by=("visited_on", "pk"),
)

CASES = Sheet(
    key="cases",
    name="信访",
    model=Case,
    columns=(
        Column("编号", "number", "text", True, note="本乡镇内不重复"),
        Column("受理日期", "received_on", "date", True),
        Column("方式", "channel", "choice", choices=Channel),
        Column("诉求人", "petitioner", "text", True, note="个人或群体名称"),
        Column("涉及人数", "people_involved", "int", note="不填为1"),
        Column("涉及单位", "employer", "employer", note="填“单位”表或系统中已有的单位名称"),
        Column("类别", "category", "choice", True, CaseCategory),
        Column("涉及金额", "amount_involved", "money", note="元"),
        Column("处理方式", "handling", "choice", choices=Handling),
        Column("状态", "status", "choice", True, CaseStatus),
        Column("结案日期", "closed_on", "date", note="状态不是“处理中”时必填"),
        Column("追回金额", "amount_recovered", "money", note="为职工追回的金额（元）"),
        Column("摘要", "summary", "text"),
    ),
    key_fields=("number",),
    order_by=("number", "pk"),
)

EVENTS = Sheet(
    key="events",
    name="活动",
    model=Event,
    columns=(
        Column("名称", "title", "text", True),
        Column("日期", "starts_on", "date", True, note="开始日期"),
        Column("结束日期", "ends_on", "date"),
        Column("类别", "category", "choice", True, EventCategory),
        Column("主办", "organiser", "text"),
        Column("参与人数", "participants", "int"),
        Column(
            "参与单位",
            "participating_units",
            "text",
            note="以“、”或“;”分隔；与本乡镇工会或单位同名的自动关联",
        ),
        Column("媒体", "media", "text", note="宣传报道的刊发媒体"),
        Column("简述", "description", "text"),
    ),
    key_fields=("title", "starts_on"),
    order_by=("starts_on", "title", "pk"),
)

CONTRACTS = Sheet(
    key="contracts",
    name="集体合同",
    model=CollectiveContract,
    columns=(
        Column(
            "单位名称",
            "party_name",
            "text",
            True,
            note="签约单位；区域性、行业性合同填工会名称",
        ),
        Column("合同类型", "kind", "choice", True, ContractKind),
        Column("签订日期", "signed_on", "date", True),
        Column("期满日期", "expires_on", "date", True),
        Column("覆盖职工人数", "workers_covered", "int"),
        Column("续签", "is_renewal", "bool"),
    ),
    key_fields=("party_name", "kind", "signed_on"),
    order_by=("party_name", "kind", "signed_on", "pk"),
)

DUES = Sheet(
    key="dues",
    name="经费",
    model=DuesRecord,
    columns=(
        Column("单位名称", "employer", "employer", True, note="缴费单位"),
        Column("所属期间", "period", "period", True, note="2026-03、2026Q1、2026H1 或 2026"),
        Column("应缴金额", "amount_due", "money", True, note="元"),
        Column("实缴金额", "amount_paid", "money", True, note="元"),
        Column("缴纳日期", "paid_on", "date"),
    ),
    key_fields=("employer", "period"),
    order_by=("employer__name", "period_start", "pk"),
)

# The order of the spec; the importer processes them in dependency order (IMPORT_ORDER).
SHEETS: tuple[Sheet, ...] = (EMPLOYERS, UNIONS, MEMBERS, VISITS, CASES, EVENTS, CONTRACTS, DUES)
SHEETS_BY_KEY = {s.key: s for s in SHEETS}
IMPORT_ORDER = ("unions", "employers", "members", "contracts", "dues", "visits", "cases", "events")


# ---------------------------------------------------------------------------------------------
# Names: trimmed, Simplified or Traditional
# ---------------------------------------------------------------------------------------------


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


@functools.lru_cache(maxsize=4096)
def fold_name(text: str) -> str:
    """A sheet name, header or vocabulary word as compared: no spaces, no required-mark `*`,
    Simplified characters (基層工會 → 基层工会)."""
    plain = re.sub(r"[\s\u3000*＊]+", "", str(text))
    return _t2s().convert(plain) if plain else ""


def sheet_for_name(name: str) -> Sheet | None:
    folded = fold_name(name)
    return next((s for s in SHEETS if s.name == folded), None)


# ---------------------------------------------------------------------------------------------
# Reading the file safely
# ---------------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class Formula(str):
    """The text of a formula cell: refused in data cells."""


class CellError(str):
    """An error value such as #N/A or #DIV/0!."""


def check_container(data: bytes) -> zipfile.ZipFile:
    """Open the upload as a ZIP after the checks that need no XML parsing: size, format,
    encryption, and every member's declared size and compression ratio."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookError("文件超过20 MB，请删去无关的工作表或分成几个文件导入。")
    if not data:
        raise WorkbookError("文件是空的。")
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_MARK in data:
            raise WorkbookError("文件设置了打开密码，请在Excel中取消密码后另存为 .xlsx 再导入。")
        raise WorkbookError(
            "这是旧版Excel（.xls）文件，请在Excel中“另存为”Excel工作簿（.xlsx）后再导入。"
        )
    if not data.startswith(b"PK"):
        raise WorkbookError("文件不是Excel工作簿（.xlsx），请上传用Excel保存的 .xlsx 文件。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise WorkbookError("文件已损坏或不完整，无法读取，请重新保存后再上传。") from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError("文件不是Excel工作簿（.xlsx），请上传用Excel保存的 .xlsx 文件。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookError("文件设置了密码，请在Excel中取消密码后另存为 .xlsx 再导入。")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (
            info.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO
        ):
            raise WorkbookError("文件解压后异常庞大（疑似压缩炸弹），已拒绝读取。")
    return archive


def _refuse_doctype(*_args: Any) -> None:
    raise WorkbookError("文件中含有不允许的XML声明（DOCTYPE/ENTITY），已拒绝读取。")


def _parser() -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entity declarations (XML entity expansion and
    external entities), as defusedxml does, and reports names as 'namespace}local'."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = _refuse_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    return parser


def _parse(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType) -> None:
    try:
        with archive.open(name) as stream:
            parser.ParseFile(stream)
    except WorkbookError:
        raise
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise WorkbookError(
            f"文件已损坏或不完整，无法读取（{PurePosixPath(name).name}）。请重新保存后再上传。"
        ) from exc


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet name, part path)] in workbook order, and whether dates count from 1904."""
    sheets: list[tuple[str, str]] = []
    state = {"date1904": False}
    parser = _parser()

    def start(name: str, attrs: dict) -> None:
        if name == f"{_NS_MAIN}}}sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{_NS_REL}}}id", "")))
        elif name == f"{_NS_MAIN}}}workbookPr":
            state["date1904"] = attrs.get("date1904") in ("1", "true")

    parser.StartElementHandler = start
    _parse(archive, "xl/workbook.xml", parser)
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():
        parser = _parser()

        def rel(name: str, attrs: dict) -> None:
            if name == f"{_NS_PKG_REL}}}Relationship":
                targets[attrs.get("Id", "")] = attrs.get("Target", "")

        parser.StartElementHandler = rel
        _parse(archive, rels, parser)
    parts = []
    for sheet_name, rid in sheets:
        target = targets.get(rid, "")
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = str(PurePosixPath("xl") / target)
        parts.append((sheet_name, _normalise_path(path)))
    return parts, state["date1904"]


def _normalise_path(path: str) -> str:
    out: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if out:
                out.pop()
        elif part and part != ".":
            out.append(part)
    return "/".join(out)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return []
    strings: list[str] = []
    parts: list[str] = []
    state = {"text": False, "phonetic": 0}
    si, t, rph = f"{_NS_MAIN}}}si", f"{_NS_MAIN}}}t", f"{_NS_MAIN}}}rPh"

    def start(tag: str, _attrs: dict) -> None:
        if tag == t and not state["phonetic"]:
            state["text"] = True
        elif tag == rph:
            state["phonetic"] += 1
        elif tag == si:
            parts.clear()

    def end(tag: str) -> None:
        if tag == t:
            state["text"] = False
        elif tag == rph:
            state["phonetic"] -= 1
        elif tag == si:
            strings.append("".join(parts))

    def chars(data: str) -> None:
        if state["text"]:
            parts.append(data)

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = chars
    _parse(archive, name, parser)
    return strings


@functools.lru_cache(maxsize=512)
def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


def _sheet_rows(
    archive: zipfile.ZipFile, part: str, strings: list[str], limit: int
) -> list[tuple[int, dict[int, Any]]]:
    """Every non-empty row of a worksheet part as (row number, {column index: value}).

    Values: str for text, int/float for numbers, bool, Formula for a formula cell, CellError for
    an error cell. Empty cells are left out.
    """
    rows: list[tuple[int, dict[int, Any]]] = []
    c_tag, v_tag, f_tag = f"{_NS_MAIN}}}c", f"{_NS_MAIN}}}v", f"{_NS_MAIN}}}f"
    t_tag, row_tag, rph_tag = f"{_NS_MAIN}}}t", f"{_NS_MAIN}}}row", f"{_NS_MAIN}}}rPh"
    state: dict[str, Any] = {
        "row": None,
        "rownum": 0,
        "col": -1,
        "type": None,
        "text": None,
        "value": None,
        "formula": None,
        "phonetic": False,
    }
    cells: dict[int, Any] = {}

    def start(tag: str, attrs: dict) -> None:
        if tag == c_tag:
            ref = attrs.get("r")
            state["col"] = _column_index(ref) if ref else state["col"] + 1
            state["type"] = attrs.get("t", "n")
            state["value"] = state["formula"] = None
        elif tag == v_tag or (tag == t_tag and not state["phonetic"]):
            state["text"] = []
        elif tag == f_tag:
            state["formula"] = []
            state["text"] = state["formula"]
        elif tag == row_tag:
            ref = attrs.get("r")
            state["rownum"] = int(ref) if ref and ref.isdecimal() else state["rownum"] + 1
            state["col"] = -1
            cells.clear()
        elif tag == rph_tag:
            state["phonetic"] = True

    def end(tag: str) -> None:
        if tag == v_tag:
            state["value"] = "".join(state["text"])
            state["text"] = None
        elif tag == t_tag and state["text"] is not None and not state["phonetic"]:
            state["value"] = (state["value"] or "") + "".join(state["text"])
            state["text"] = None
        elif tag == f_tag:
            state["text"] = None
        elif tag == rph_tag:
            state["phonetic"] = False
        elif tag == c_tag:
            value = _cell_value(state["type"], state["value"], state["formula"], strings)
            if value is not None and value != "":
                cells[state["col"]] = value
        elif tag == row_tag and cells:
            rows.append((state["rownum"], dict(cells)))
            if len(rows) > limit:
                raise WorkbookError(f"一次最多导入{MAX_ROWS:,}行，请把工作簿分成几个文件分别导入。")

    def chars(data: str) -> None:
        if state["text"] is not None:
            state["text"].append(data)

    parser = _parser()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = chars
    _parse(archive, part, parser)
    return rows


def _cell_value(kind: str, raw: str | None, formula: list[str] | None, strings: list[str]) -> Any:
    if formula is not None:
        return Formula("=" + "".join(formula))
    if raw is None:
        return None
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            return None
    if kind in ("inlineStr", "str"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return CellError(raw)
    if kind == "d":
        return raw.strip()
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


@dataclass
class RawSheet:
    name: str
    rows: list[tuple[int, dict[int, Any]]]


@dataclass
class RawWorkbook:
    sheets: list[RawSheet]
    date1904: bool = False


def read_workbook(data: bytes) -> RawWorkbook:
    """The sheets of an uploaded .xlsx, checked for size, format, encryption, decompression
    bombs and XML entity tricks before any XML is parsed. Raises WorkbookError."""
    archive = check_container(data)
    with archive:
        parts, date1904 = _sheet_parts(archive)
        names = set(archive.namelist())
        wanted = [(n, p) for n, p in parts if sheet_for_name(n) is not None and p in names]
        strings = _shared_strings(archive) if wanted else []
        sheets: list[RawSheet] = []
        left = MAX_ROWS + len(wanted)  # each sheet's header row does not count
        for name, part in wanted:
            sheets.append(RawSheet(name, _sheet_rows(archive, part, strings, left)))
            left -= len(sheets[-1].rows)
        ignored = [
            RawSheet(n, [])
            for n, _p in parts
            if sheet_for_name(n) is None and fold_name(n) not in HELP_SHEETS
        ]
    return RawWorkbook(sheets + ignored, date1904)


# ---------------------------------------------------------------------------------------------
# Cells → values
# ---------------------------------------------------------------------------------------------


class CellProblem(Exception):
    """A cell that cannot become a value; the message is Chinese."""


_YES = {"是", "Y", "YES", "1", "TRUE", "对", "√"}
_NO = {"否", "N", "NO", "0", "FALSE", "不", "×"}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－／，", "0123456789.-/,")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_EXCEL_EPOCH_1904 = datetime.date(1904, 1, 1)
_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_CENTS = Decimal("0.01")
# The largest amount a money column holds (members.models.MONEY: 14 digits, 2 after the point);
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
        raise CellProblem("应为不小于0的整数。")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _number_text(value)
        if not re.fullmatch(r"-?\d+(\.0+)?", text):
            raise CellProblem(f"“{value}”不是整数，应为不小于0的整数。")
        number = int(Decimal(text))
    if number < 0:
        raise CellProblem(f"不能为负数（{number}）。")
    if number > MAX_COUNT:
        raise CellProblem(f"数字过大（不超过 {MAX_COUNT:,}）。")
    return number


def parse_money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellProblem("应为金额（元），最多两位小数。")
    try:
        if isinstance(value, float):
            amount = Decimal(repr(value))
        else:
            text = _number_text(value).removesuffix("元").lstrip("¥￥")
            amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise CellProblem(f"“{value}”不是金额，应为以元为单位的数字，最多两位小数。") from None
    if not amount.is_finite():
        raise CellProblem(f"“{value}”不是金额。")
    if amount < -MAX_MONEY:
        raise CellProblem(f"不能为负数（{value}）。")
    if amount > MAX_MONEY:
        integer_digits = MONEY["max_digits"] - MONEY["decimal_places"]
        raise CellProblem(f"金额过大，最多{integer_digits}位整数（不超过 {MAX_MONEY:,} 元）。")
    rounded = amount.quantize(_CENTS)
    # Binary floats such as 0.1 + 0.2 carry noise beyond the cents; real third decimals are errors.
    if abs(amount - rounded) > Decimal("0.000001"):
        raise CellProblem(f"金额“{value}”超过两位小数。")
    if rounded < 0:
        raise CellProblem(f"不能为负数（{rounded}）。")
    return rounded


def parse_date(value: Any, *, date1904: bool = False) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH
            return epoch + datetime.timedelta(days=int(value))
        raise CellProblem(f"“{value}”不是日期，请写成 2026-03-27 这样的格式。")
    text = str(value).translate(_FULLWIDTH_DIGITS).strip()
    match = _DATE_TEXT.fullmatch(text) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ][\d:.]+", text)
    if not match:
        raise CellProblem(f"无法识别日期“{value}”，请写成 2026-03-27 或 2026年3月27日。")
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellProblem(f"日期“{value}”不存在（请核对年、月、日）。") from None


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = fold_name(_plain_text(value)).upper()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(f"“{value}”应填“是”或“否”。")


@functools.cache
def _labels(choices: type[TextChoices]) -> dict[str, str]:
    return {fold_name(label): value for value, label in choices.choices}


def parse_choice(value: Any, choices: type[TextChoices]) -> str:
    found = _labels(choices).get(fold_name(_plain_text(value)))
    if found is None:
        allowed = "、".join(str(label) for label in choices.labels)
        raise CellProblem(f"“{value}”不在可选范围内，可填：{allowed}。")
    return found


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
        raise CellProblem(f"单元格是公式（{value[:30]}），请改为直接填写内容。")
    if isinstance(value, CellError):
        raise CellProblem(f"单元格是错误值（{value}），请改为直接填写内容。")
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
    if kind in ("id", "credit") and isinstance(value, float) and value >= 1e15:
        # Excel keeps 15 significant digits: an ID typed into a number cell has lost its tail.
        raise CellProblem(
            f"“{column.header}”被Excel存成了数字，后几位已经丢失；"
            "请把该列设置为“文本”格式后重新填写。"
        )
    text = _plain_text(value)
    if kind == "id" and "*" in text:
        raise CellProblem(
            "身份证号已脱敏，不能用于导入，请用含完整身份证号的导出文件"
            "（“导出（含完整身份证号与手机号，用于导回）”）。"
        )
    if kind == "mobile" and "*" in text:
        raise CellProblem(
            "手机号已脱敏，不能用于导入，请用含完整身份证号与手机号的导出文件，或删去该列。"
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
                f"“{value}”不是所属期间，应为 2026-03、2026Q1、2026H1 或 2026。"
            ) from None
    if kind in ("union", "employer"):
        return text
    limit = _max_length(sheet.model, column.field)
    if limit is not None and len(text) > limit:
        raise CellProblem(f"不能超过{limit}个字（现有{len(text)}个字）。")
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
        where = [self.sheet or "文件"]
        if self.row:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        return f"{' '.join(where)}：{self.message}"


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


def parse_workbook(raw: RawWorkbook) -> ParsedWorkbook:
    """Headers matched to columns and every cell turned into a value; every problem collected."""
    parsed: dict[str, ParsedSheet] = {}
    problems: list[Problem] = []
    warnings: list[str] = []
    for raw_sheet in raw.sheets:
        sheet = sheet_for_name(raw_sheet.name)
        if sheet is None:
            warnings.append(f"工作表“{raw_sheet.name}”不是数据交换工作簿的工作表，已忽略。")
            continue
        if sheet.key in parsed:
            problems.append(
                Problem(raw_sheet.name, None, "", f"工作簿中有两个“{sheet.name}”工作表。")
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
                        f"工作表“{raw_sheet.name}”的列“{_plain_text(title)}”不是本表的列，已忽略。"
                    )
                continue
            if column in mapping.values():
                problems.append(Problem(raw_sheet.name, 1, column.header, "列名重复。"))
                continue
            mapping[index] = column
        present = {c.field for c in mapping.values()}
        missing = [c for c in sheet.columns if c.required and c.field not in present]
        for column in missing:
            problems.append(
                Problem(raw_sheet.name, 1, column.header, f"缺少必填列“{column.header}”。")
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
                            Problem(raw_sheet.name, number, column.header, "必填，不能为空。")
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

_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_LOOKING = ("=", "+", "-", "@")
STYLE_DATE, STYLE_TEXT_AS_IS, STYLE_HEADER = 1, 2, 3

_STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS_MAIN}">'
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
            return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'

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
        labels = {value: str(label) for value, label in column.choices.choices}

        def choice_cell(ref: str, value: Any) -> str:
            return _string_cell(ref, labels.get(value, value or ""))

        return choice_cell

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
            f'<worksheet xmlns="{_NS_MAIN}"><sheetViews><sheetView workbookViewId="0">'
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
    querysets: dict[str, QuerySet],
    with_township: bool = False,
    masked: bool = True,
    chunk_size: int = 5000,
) -> dict[str, int]:
    """Write the records of `querysets` (sheet key → queryset of that sheet's model, already
    limited to what the user may see) in the workbook layout; returns the rows per sheet.

    Streams: each queryset is read with values_list().iterator(), each sheet written to the ZIP
    as it goes, so memory does not grow with the number of records. `with_township` adds a first
    column 乡镇 (the county reviewer's export); the importer ignores it. ID numbers and mobiles
    are masked unless `masked` is False (the full export that can be imported back).
    """
    written: dict[str, int] = {}
    titles: list[str] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for sheet in SHEETS:
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
                        days = (value - _EXCEL_EPOCH).days
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
            f'{head}<worksheet xmlns="{_NS_MAIN}"><sheetData/></worksheet>',
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
        f'<Relationship Id="rId{i}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
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
        f'{head}<Relationships xmlns="{_NS_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_NS_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
    )
    archive.writestr(
        "xl/workbook.xml",
        f'{head}<workbook xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">'
        f"<sheets>{sheets}</sheets></workbook>",
    )
    archive.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{head}<Relationships xmlns="{_NS_PKG_REL}">{rels}'
        f'<Relationship Id="rId{styles_id}" Type="{_NS_REL}/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    archive.writestr("xl/styles.xml", _STYLES_XML)


# An example row per sheet, for the template's 示例 sheet.
EXAMPLES: dict[str, list[Any]] = {
    "employers": [
        "慈东镇恒达机械有限公司",
        "91330282MA2AB3CD4E",
        "民营",
        86,
        30,
        "是",
        "恒达机械工会",
    ],
    "unions": [
        "恒达机械工会",
        "企业工会",
        datetime.date(2015, 5, 1),
        "陈建国",
        "否",
        "是",
        "二星",
        "是",
        "是",
        "是",
        None,
    ],
    "members": [
        "王小红",
        "330282199001011220",
        "恒达机械工会",
        "慈东镇恒达机械有限公司",
        datetime.date(2016, 3, 8),
        "13805741234",
        "汉族",
        "大专",
        "是",
        "无",
        None,
        "HD-0001",
    ],
    "visits": [
        datetime.date(2026, 1, 20),
        "困难职工",
        "李大明",
        None,
        500,
        200,
        "本级工会",
        "2026年春节送温暖",
        "大病救助",
    ],
    "cases": [
        "XF-2026-001",
        datetime.date(2026, 3, 2),
        "来访",
        "张某等5人",
        5,
        "慈东镇恒达机械有限公司",
        "拖欠工资",
        42000,
        "协调",
        "已解决",
        datetime.date(2026, 3, 20),
        42000,
        "协调企业补发2月工资",
    ],
    "events": [
        "2026年安康杯知识竞赛",
        datetime.date(2026, 5, 12),
        datetime.date(2026, 5, 12),
        "安全生产",
        "慈东镇总工会",
        120,
        "恒达机械工会、慈东镇恒达机械有限公司",
        None,
        "12家企业参赛",
    ],
    "contracts": [
        "慈东镇恒达机械有限公司",
        "工资专项",
        datetime.date(2026, 1, 1),
        datetime.date(2028, 12, 31),
        86,
        "是",
    ],
    "dues": ["慈东镇恒达机械有限公司", "2026Q1", 4300, 4300, datetime.date(2026, 4, 10)],
}


def write_template(out: IO[bytes]) -> None:
    """The blank workbook offered for download: every sheet and column, required columns marked
    with *, a note on each header, drop-down lists for closed vocabularies and 是/否, date cells
    formatted as dates, a 填写说明 sheet and a 示例 sheet with one example row per sheet."""
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
    for sheet in SHEETS:
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
                labels = [str(x) for x in column.choices.labels] if column.choices else ["是", "否"]
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
                elif column.kind in ("id", "credit", "mobile", "text", "period", "union"):
                    target.number_format = "@"
        ws.freeze_panes = "A2"
    example = book.create_sheet("示例")
    example.append(["以下为各工作表的填写示例（本表不会被导入）。"])
    example["A1"].font = Font(bold=True)
    for sheet in SHEETS:
        example.append([])
        example.append([f"【{sheet.name}】"])
        example.append([c.header + ("*" if c.required else "") for c in sheet.columns])
        for cell in example[example.max_row]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
        example.append(EXAMPLES[sheet.key])
        for cell in example[example.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for index in range(1, 14):
        example.column_dimensions[_letters(index - 1)].width = 18
    book.save(out)


def _column_note(column: Column) -> str:
    parts = ["必填。" if column.required else "选填。"]
    if column.kind == "choice":
        parts.append("可选：" + "、".join(str(x) for x in column.choices.labels) + "。")
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
