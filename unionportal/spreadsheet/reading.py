"""Reading an uploaded .xlsx safely: size, format, encryption, decompression bombs and XML
entity tricks are refused before any XML is parsed (every spreadsheet the portal reads from a
user comes through `check_container`).

Reading does not go through openpyxl: at county scale its read-only reader needs about 3 s per
10,000 members. The SpreadsheetML subset a workbook needs (shared and inline strings, numbers,
booleans, formulas, error cells) is read with expat, which refuses any DOCTYPE.
"""

import functools
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from xml.parsers import expat

import opencc
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A 50,000-member sheet is about 30 MB of XML; its ZIP about 3 MB (ratio ~10). Anything far beyond
# is a decompression bomb, refused before a byte of XML is parsed.
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_MEMBER_RATIO = 100
# Rows are held in memory until the whole workbook is checked (all or nothing): about 3 KB each,
# so 100,000 rows stay well under 300 MB. A 20 MB file could otherwise hold 300,000.
MAX_ROWS = 100_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookError(Exception):
    """The file as a whole cannot be read as a records workbook; the message is Chinese."""


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


# ---------------------------------------------------------------------------------------------
# Reading the file safely
# ---------------------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class Formula(str):
    """The text of a formula cell: refused in data cells."""


class CellError(str):
    """An error value such as #N/A or #DIV/0!."""


def check_container(data: bytes) -> zipfile.ZipFile:
    """Open the upload as a ZIP after the checks that need no XML parsing: size, format,
    encryption, and every member's declared size and compression ratio."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookError(_("文件超过20 MB，请删去无关的工作表或分成几个文件导入。"))
    if not data:
        raise WorkbookError(_("文件是空的。"))
    if data.startswith(_OLE_MAGIC):
        _refuse_encrypted_ole(data)
        raise WorkbookError(
            _("这是旧版Excel（.xls）文件，请在Excel中“另存为”Excel工作簿（.xlsx）后再导入。")
        )
    if not data.startswith(b"PK"):
        raise WorkbookError(_("文件不是Excel工作簿（.xlsx），请上传用Excel保存的 .xlsx 文件。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise WorkbookError(_("文件已损坏或不完整，无法读取，请重新保存后再上传。")) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkbookError(_("文件不是Excel工作簿（.xlsx），请上传用Excel保存的 .xlsx 文件。"))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookError(_("文件设置了密码，请在Excel中取消密码后另存为 .xlsx 再导入。"))
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNCOMPRESSED_BYTES or (
            info.file_size > 1024 * 1024 and ratio > MAX_MEMBER_RATIO
        ):
            raise WorkbookError(_("文件解压后异常庞大（疑似压缩炸弹），已拒绝读取。"))
    return archive


def _refuse_encrypted_ole(data: bytes) -> None:
    # A password-protected .xlsx is an OLE file holding an EncryptionInfo stream.
    if _ENCRYPTED_MARK in data:
        raise WorkbookError(_("文件设置了打开密码，请在Excel中取消密码后另存为 .xlsx 再导入。"))


def _refuse_doctype(*_args: Any) -> None:
    raise WorkbookError(_("文件中含有不允许的XML声明（DOCTYPE/ENTITY），已拒绝读取。"))


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
            _("文件已损坏或不完整，无法读取（{name}）。请重新保存后再上传。").format(
                name=PurePosixPath(name).name
            )
        ) from exc


def _sheet_parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
    """[(sheet name, part path)] in workbook order, and whether dates count from 1904."""
    sheets: list[tuple[str, str]] = []
    state = {"date1904": False}
    parser = _parser()

    def start(name: str, attrs: dict) -> None:
        if name == f"{NS_MAIN}}}sheet":
            sheets.append((attrs.get("name", ""), attrs.get(f"{NS_REL}}}id", "")))
        elif name == f"{NS_MAIN}}}workbookPr":
            state["date1904"] = attrs.get("date1904") in ("1", "true")

    parser.StartElementHandler = start
    _parse(archive, "xl/workbook.xml", parser)
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():
        parser = _parser()

        def rel(name: str, attrs: dict) -> None:
            if name == f"{NS_PKG_REL}}}Relationship":
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
    si, t, rph = f"{NS_MAIN}}}si", f"{NS_MAIN}}}t", f"{NS_MAIN}}}rPh"

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
    c_tag, v_tag, f_tag = f"{NS_MAIN}}}c", f"{NS_MAIN}}}v", f"{NS_MAIN}}}f"
    t_tag, row_tag, rph_tag = f"{NS_MAIN}}}t", f"{NS_MAIN}}}row", f"{NS_MAIN}}}rPh"
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
                raise WorkbookError(
                    _("一次最多导入{MAX_ROWS:,}行，请把工作簿分成几个文件分别导入。").format(
                        MAX_ROWS=MAX_ROWS
                    )
                )

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


def read_workbook(
    data: bytes, *, wanted: Callable[[str], bool], skipped: Callable[[str], bool] = lambda n: False
) -> RawWorkbook:
    """The sheets of an uploaded .xlsx whose names are `wanted`, checked for size, format,
    encryption, decompression bombs and XML entity tricks before any XML is parsed; every other
    sheet that is not `skipped` comes back with no rows (so the caller can say it was ignored).
    Raises WorkbookError. An old Excel (.xls) file is read by `read_xls` instead."""
    if data.startswith(_OLE_MAGIC) and len(data) <= MAX_UPLOAD_BYTES:
        return read_xls(data, wanted=wanted, skipped=skipped)
    archive = check_container(data)
    with archive:
        parts, date1904 = _sheet_parts(archive)
        names = set(archive.namelist())
        chosen = [(n, p) for n, p in parts if wanted(n) and p in names]
        strings = _shared_strings(archive) if chosen else []
        sheets: list[RawSheet] = []
        left = MAX_ROWS + len(chosen)  # each sheet's header row does not count
        for name, part in chosen:
            sheets.append(RawSheet(name, _sheet_rows(archive, part, strings, left)))
            left -= len(sheets[-1].rows)
        ignored = [RawSheet(n, []) for n, _p in parts if not wanted(n) and not skipped(n)]
    return RawWorkbook(sheets + ignored, date1904)


# ---------------------------------------------------------------------------------------------
# Old Excel (.xls, BIFF8): many township offices still save in it (older Excel, WPS)
# ---------------------------------------------------------------------------------------------

_XLS_CORRUPT = gettext_lazy(
    "这个旧版Excel（.xls）文件已损坏或不完整，无法读取。请在Excel或WPS中重新保存后再上传。"
)


def read_xls(
    data: bytes, *, wanted: Callable[[str], bool], skipped: Callable[[str], bool] = lambda n: False
) -> RawWorkbook:
    """The same RawWorkbook as `read_workbook`, from an old Excel (.xls) file, with the same
    bounds: at most MAX_UPLOAD_BYTES, at most MAX_ROWS rows over the wanted sheets.

    xlrd gives a formula cell's last computed value, not its formula, so a formula in a .xls
    data cell is read as its value (the .xlsx path refuses it). Raises WorkbookError."""
    import xlrd  # only the .xls path needs it

    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookError(_("文件超过20 MB，请删去无关的工作表或分成几个文件导入。"))
    _refuse_encrypted_ole(data)
    try:
        book = xlrd.open_workbook(
            file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO()
        )
    except xlrd.XLRDError as exc:
        if "encrypted" in str(exc).lower():
            raise WorkbookError(
                _("文件设置了打开密码，请在Excel中取消密码后另存为 .xlsx 再导入。")
            ) from None
        raise WorkbookError(str(_XLS_CORRUPT)) from None
    except Exception:  # xlrd reports damaged files as assorted struct, index and value errors
        raise WorkbookError(str(_XLS_CORRUPT)) from None
    try:
        names = book.sheet_names()
        chosen = [name for name in names if wanted(name)]
        left = MAX_ROWS + len(chosen)  # each sheet's header row does not count
        sheets: list[RawSheet] = []
        for name in chosen:
            try:
                sheet = book.sheet_by_name(name)
            except Exception:
                raise WorkbookError(str(_XLS_CORRUPT)) from None
            # A .xls sheet holds at most 65,536 rows, so reading one before counting is bounded.
            rows = _xls_rows(sheet, xlrd)
            if len(rows) > left:
                raise WorkbookError(
                    _("一次最多导入{MAX_ROWS:,}行，请把工作簿分成几个文件分别导入。").format(
                        MAX_ROWS=MAX_ROWS
                    )
                )
            left -= len(rows)
            sheets.append(RawSheet(name, rows))
        ignored = [RawSheet(n, []) for n in names if not wanted(n) and not skipped(n)]
        return RawWorkbook(sheets + ignored, bool(book.datemode))
    finally:
        book.release_resources()


def _xls_rows(sheet: Any, xlrd: Any) -> list[tuple[int, dict[int, Any]]]:
    """Rows as `_sheet_rows` gives them: (row number, {column index: value}), empty cells left
    out; dates as serial numbers (the caller knows the 1904 flag), errors as CellError."""
    rows: list[tuple[int, dict[int, Any]]] = []
    for rowx in range(sheet.nrows):
        cells: dict[int, Any] = {}
        for colx, cell in enumerate(sheet.row(rowx)):
            kind, value = cell.ctype, cell.value
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK) or value == "":
                continue
            if kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = CellError(xlrd.error_text_from_code.get(value, "#VALUE!"))
            elif isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
                value = int(value)
            cells[colx] = value
        if cells:
            rows.append((rowx + 1, cells))
    return rows
