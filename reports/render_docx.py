"""The work summary as a Word file, laid out as a Chinese official document (GB/T 9704-2012).

Every look lives in the styles (正文 in Normal, 一、 in Heading 1, （一） in Heading 2, table
text in its own style …), never in direct run formatting: a clerk who edits the file in Word or
WPS and presses Enter keeps the official layout, the navigation pane lists the headings, and
nothing of the body's indent or exact line spacing leaks into the table cells.
"""

import copy
import datetime
import functools
import io
import itertools
import math
import re
from dataclasses import dataclass

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt, Twips
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from reports.document import (
    BulletList,
    Document,
    Paragraph,
    Section,
    Table,
    annex_label,
    annex_note,
    appendix_title,
    keeps_on_one_line,
)

# GB/T 9704-2012 §5.2: A4, 版心 156 mm × 225 mm; 3号 (16 pt) 仿宋 body, 22 lines of 28 characters.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
# §7.5: the page number's dashes sit 7 mm below the type area; a 14 pt footer line whose middle is
# 28 mm above the paper's edge has its foot about 25 mm above it.
FOOTER_DISTANCE = Mm(25)
# 225 mm / 22 lines = 28.98 pt; 28.9 pt (578 twips) keeps 22 whole lines on the page, where 29 pt
# would push the 22nd line off it.
LINE_PITCH_TWIPS = 578
# A table row is at least one grid line high; two lines of cell text fit in it with 10 twips to
# spare (LibreOffice made rows of two exact lines of 289 a little taller than 578).
ROW_HEIGHT_TWIPS = LINE_PITCH_TWIPS
CELL_LINE_TWIPS = (LINE_PITCH_TWIPS - 10) // 2
# 156 mm / 28 characters = 15.79 pt a character: set 3号 condensed by 0.25 pt (w:spacing, in
# twentieths of a point) so 28 fit a line. Word's character grid (w:docGrid linesAndChars) would
# do the same in Word and WPS, but LibreOffice lays such a grid out at about half the density.
CONDENSED = "-5"
# Cell padding left and right (4 pt, as in the PDF) and the rules' share of a column, in twips:
# column widths include them, or LibreOffice breaks "100.0%" inside a cell (issue 14).
CELL_PADDING = 80
CELL_RULES = 20

BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
TABLE_SIZE = Pt(12)  # 小四
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LATIN_FONT = "Times New Roman"
BODY_FONT_EAST_ASIA = "仿宋_GB2312"


@dataclass(frozen=True)
class _Faces:
    """The East Asian fonts and language of one script. Word and WPS pick a Chinese run's font
    from w:eastAsia; the GB2312 fonts have no Traditional glyphs, so 繁體 documents name the
    fonts Taiwan's offices use (標楷體 for 公文 text, 新細明體, 微軟正黑體)."""

    title: str
    body: str
    heading_1: str
    heading_2: str
    page_number: str
    language: str


_FACES = {
    "zh-hans": _Faces(
        "方正小标宋简体", BODY_FONT_EAST_ASIA, "黑体", "楷体_GB2312", "宋体", "zh-CN"
    ),
    "zh-hant": _Faces("新細明體", "標楷體", "微軟正黑體", "標楷體", "新細明體", "zh-TW"),
}

STYLE_TABLE_TEXT = "表格文字"
STYLE_CAPTION = "表题"
STYLE_LIST = "列表"
STYLE_SIGNATURE = "落款"
STYLE_LEAD = "要点"
STYLE_ANNEX_LABEL = "附件标识"
STYLE_ANNEX_NOTE = "附件说明"
# Section.level → paragraph style; deeper levels (1. …) fall to Heading 3, set in the body face.
_HEADING_STYLES = {1: "Heading 1", 2: "Heading 2"}

# Characters XML 1.0 cannot carry (C0 controls other than tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF): lxml refuses them, so pasted text containing one would break the download.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")

# Schema order of the children of w:pPr and w:rPr; Word rejects out-of-order elements.
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
    "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr "
    "sectPr pPrChange"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
_TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
_MARGIN_ORDER = ["top", "left", "start", "bottom", "right", "end"]
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render_docx(document: Document) -> bytes:
    """Render a work summary as DOCX bytes in the GB/T 9704-2012 layout.

    A4 with the standard margins; title in 2号 方正小标宋简体; body in 3号 仿宋_GB2312 at 22 lines
    of 28 characters; 一、 headings in 黑体 (Heading 1), （一） in 楷体_GB2312 (Heading 2); tables
    with single black rules, a repeating header row and 小四 cell text; the issuer and date
    right-aligned; the appendix from a new page; page numbers "— 1 —" in 4号 宋体, odd pages right
    and even pages left. Staff-written text goes in as plain text (characters XML cannot carry
    are dropped). Pure: reads nothing but its argument.
    """
    faces = _FACES.get(document.language, _FACES["zh-hans"])
    template, styles = _styled_template(faces)
    word = docx.Document(io.BytesIO(template))
    _set_properties(word, document, faces)
    body = _Body(word, styles)

    body.paragraph(document.title, "Title")
    body.paragraph("")  # GB/T 9704 §7.3.3: one blank line between title and body
    for paragraph in document.opening:
        body.paragraph(paragraph.text, lead=paragraph.lead)
    for section in document.sections:
        body.section(section)

    # §7.3.5: the 附件说明 and the signature never stand on a page without body text: the last
    # body paragraph and the blank lines keep with what follows.
    end = body.word.element.body[-2]  # the last block before the section properties
    if end.tag == qn("w:p"):
        DocxParagraph(end, body.word._body).paragraph_format.keep_with_next = True
    if document.appendix:
        # §7.3.4 附件说明: one line under the body, 左空二字, later names aligned under the first.
        body.paragraph("").paragraph_format.keep_with_next = True
        for line in annex_note(document.appendix):
            body.paragraph(line, STYLE_ANNEX_NOTE)

    # §7.3.5.2: the signature stands one line below the body (or the 附件说明).
    body.paragraph("").paragraph_format.keep_with_next = True
    issuer_right, date_right = _signature_indents(document.issuer, document.date)
    _right_indent(body.paragraph(document.issuer, STYLE_SIGNATURE), issuer_right)
    _right_indent(body.paragraph(document.date, STYLE_SIGNATURE), date_right)

    for index, section in enumerate(document.appendix):
        body.appendix(document, index, section)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


@functools.cache
def _styled_template(faces: _Faces) -> tuple[bytes, dict[str, str]]:
    """An empty document with the page and styles set up, and the style ids by name.

    Built once per process and script: restyling python-docx's template (whose style lookups
    scan every style) took a quarter of each rendering."""
    word = docx.Document()
    styles = _set_up_styles(word, faces)
    _set_up_page(word, faces)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue(), styles


# --- content -------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


class _Body:
    """Appends blocks to the Word body. Styles are set by id on the XML: python-docx's
    `paragraph.style = …` scans every style of the document on each call, which dominated the
    rendering time."""

    def __init__(self, word, styles: dict[str, str]) -> None:
        self.word = word
        self.styles = styles

    def paragraph(self, text: str, style: str = "Normal", *, lead: str = "") -> DocxParagraph:
        p = self.word.add_paragraph()
        if style != "Normal":
            p._p.style = self.styles[style]
        if lead:
            p.add_run(_clean(lead))._r.style = self.styles[STYLE_LEAD]
        if text:
            p.add_run(_clean(text))
        return p

    def section(self, section: Section, *, new_page: bool = False) -> None:
        heading = self.paragraph(section.heading, _HEADING_STYLES.get(section.level, "Heading 3"))
        if new_page:
            heading.paragraph_format.page_break_before = True
        for block in section.blocks:
            if isinstance(block, Paragraph):
                self.paragraph(block.text, lead=block.lead)
            elif isinstance(block, BulletList):
                for number, item in enumerate(block.items, start=1):
                    # GB/T 9704 §7.3.3's third level numbers items "1．" as text, which also
                    # survives copy-and-paste where Word's list numbering would not.
                    self.paragraph(f"{number}．{item}", STYLE_LIST)
            elif isinstance(block, Table):
                self.table(block)
        for sub in section.subsections:
            self.section(sub)

    def appendix(self, document: Document, index: int, section: Section) -> None:
        """§7.4: a new page; "附件" (numbered when there are several) in 3号黑体 顶格 on the
        first line, the title centred on the third, as the 附件说明 names it."""
        label = self.paragraph(annex_label(document.appendix, index), STYLE_ANNEX_LABEL)
        label.paragraph_format.page_break_before = True
        self.paragraph("")
        title = appendix_title(section)
        self.paragraph(title, "Title")
        self.paragraph("")
        for block in section.blocks:
            if isinstance(block, Table):
                # A table that gives the appendix its title is not captioned again.
                self.table(block, caption=block.caption != title)
            elif isinstance(block, Paragraph):
                self.paragraph(block.text, lead=block.lead)
            elif isinstance(block, BulletList):
                for number, item in enumerate(block.items, start=1):
                    self.paragraph(f"{number}．{item}", STYLE_LIST)
        for sub in section.subsections:
            self.section(sub)

    def table(self, table: Table, *, caption: bool = True) -> None:
        if caption:
            self.paragraph(table.caption, STYLE_CAPTION)
        lines = (table.header, *table.rows)
        columns = max(len(line) for line in lines) or 1
        widths = _column_widths(lines, columns)
        grid = self.word.add_table(rows=0, cols=columns)
        grid._tbl.tblStyle_val = self.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        tbl_pr = grid._tbl.tblPr
        # Fixed layout at the computed widths (Word and LibreOffice would otherwise re-share
        # them), and the cell padding the widths were computed with.
        total = str(sum(width.twips for width in widths))
        _child(tbl_pr, "tblW", _TBLPR_ORDER, w=total, type="dxa")
        _child(tbl_pr, "tblLayout", _TBLPR_ORDER, type="fixed")
        margins = _child(tbl_pr, "tblCellMar", _TBLPR_ORDER)
        for side in ("left", "right"):
            _child(margins, side, _MARGIN_ORDER, w=str(CELL_PADDING), type="dxa")
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = width
        # One row built as XML and copied per row: adding the same elements one by one through
        # python-docx took half of the rendering time. A row is at least one line of the
        # body's grid high and its text lines are half of one, so a row of one or two lines
        # keeps the text after the table on the 22-line grid.
        cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width.twips}" w:type="dxa"/><w:vAlign w:val="center"/>'
            f'</w:tcPr><w:p><w:pPr><w:pStyle w:val="{self.styles[STYLE_TABLE_TEXT]}"/></w:pPr>'
            "</w:p></w:tc>"
            for width in widths
        )
        template = parse_xml(
            f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/>"
            f'<w:trHeight w:val="{ROW_HEIGHT_TWIPS}" w:hRule="atLeast"/></w:trPr>{cells}</w:tr>'
        )
        last = len(lines) - 1
        for index, texts in enumerate(lines):
            tr = copy.deepcopy(template)
            if index == 0:
                # Repeats the header row at the top of every page the table runs onto.
                tr.trPr.append(OxmlElement("w:tblHeader"))
            # Keep-with-next on the header, the first row and the last row but one: a table
            # split across pages leaves at least two rows on each page (Word and LibreOffice
            # keep rows together through their paragraphs).
            keep = index in (0, 1) or index == last - 1
            for tc, text in zip(tr.tc_lst, texts, strict=False):
                if keeps_on_one_line(text):
                    # w:noWrap comes before w:vAlign in the schema.
                    tc.tcPr.vAlign.addprevious(OxmlElement("w:noWrap"))
                p = DocxParagraph(tc.p_lst[0], grid)
                if keep and index < last:
                    p.paragraph_format.keep_with_next = True
                if text:
                    run = p.add_run(_clean(text))
                    if index == 0:
                        run._r.style = self.styles[STYLE_LEAD]
            grid._tbl.append(tr)


def _text_width(text: str) -> float:
    """Width in twips of 小四 (12 pt) text: a Chinese character and "%" are 12 pt; digits and
    other ASCII are half-width in Times New Roman but counted wide (0.65 em), as where Word or
    LibreOffice substitutes a font with wider figures (DejaVu Sans); and a quarter em at each
    change between the two, in case a reader spaces them after all."""
    changes = sum((a < "\x80") != (b < "\x80") for a, b in itertools.pairwise(text))
    em = TABLE_SIZE.twips
    narrow = sum(ch < "\x80" and ch != "%" for ch in text)
    return em * (len(text) - narrow + 0.65 * narrow + changes / 4)


def _column_widths(lines: tuple[tuple[str, ...], ...], columns: int) -> list[Length]:
    """Column widths that fill the type area, padding and rules included, as a browser's
    automatic table layout does: each column at least as wide as its cells that must stay on
    one line (numbers, dates, short headers; keeps_on_one_line) or half of a longer header,
    the rest shared by how much each column's longest text still lacks."""
    usable = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT).twips
    extra = 2 * CELL_PADDING + CELL_RULES
    least = [2 * TABLE_SIZE.twips + extra] * columns
    most = list(least)
    for row, line in enumerate(lines):
        for position, text in enumerate(line):
            width = _text_width(text) + extra
            most[position] = max(most[position], width)
            if keeps_on_one_line(text):
                least[position] = max(least[position], width)
            elif row == 0:
                least[position] = max(least[position], math.ceil(width / 2) + extra / 2)
    if sum(least) >= usable:
        widths = [usable * w / sum(least) for w in least]
    elif sum(most) <= usable:
        # Everything fits on one line: the spare width goes to each column by its text.
        widths = [w + (usable - sum(most)) * w / sum(most) for w in most]
    else:
        spare = (usable - sum(least)) / (sum(most) - sum(least))
        widths = [lo + (hi - lo) * spare for lo, hi in zip(least, most, strict=True)]
    return [Twips(int(w)) for w in widths]


def _signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """Right indents, in characters, of the 发文机关署名 and the 成文日期 without a seal
    (GB/T 9704 §7.3.5.2): the 署名 右空二字 and the date's first character two characters right
    of the 署名's; when the date is the longer, it keeps 右空二字 and the 署名 moves left."""

    def chars(text: str) -> float:
        # Digits are half-width; Word and LibreOffice put a quarter em between digits and
        # Chinese ("2026 年 7 月 1 日").
        changes = sum((a < "\x80") != (b < "\x80") for a, b in itertools.pairwise(text))
        return sum(0.5 if ch < "\x80" else 1.0 for ch in text) + changes / 4

    issuer_width, date_width = chars(issuer), chars(date)
    if date_width + 2 >= issuer_width:
        return 2 + date_width + 2 - issuer_width, 2
    return 2, issuer_width - date_width


def _right_indent(p: DocxParagraph, chars: float) -> None:
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:right"), str(round(chars * BODY_SIZE.twips)))
    ind.set(qn("w:rightChars"), str(round(chars * 100)))


# --- page, properties ----------------------------------------------------------------------------


def _set_up_page(word, faces: _Faces) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), FOOTER_DISTANCE
    section.gutter = 0

    # §7.5: odd page numbers right, even ones left, each one character in from the edge.
    word.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)

    theme_lang = word.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), faces.language)


def _page_number(p: DocxParagraph, alignment: WD_ALIGN_PARAGRAPH) -> None:
    """Fill a footer paragraph (style Footer) with "— PAGE —"; the dashes are 一字线 (U+2014)."""
    p.alignment = alignment
    side = "right" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    ind = p._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn(f"w:{side}"), str(PAGE_NUMBER_SIZE.twips))
    ind.set(qn(f"w:{side}Chars"), "100")

    p.add_run("— ")
    for kind in ("begin", "instr", "separate"):
        run = p.add_run()._r
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run.append(instr)
        else:
            run.append(_field_char(kind))
    p.add_run("1")
    p.add_run()._r.append(_field_char("end"))
    p.add_run(" —")


def _field_char(kind: str):
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), kind)
    return fld


def _set_properties(word, document: Document, faces: _Faces) -> None:
    props = word.core_properties
    props.title = _clean(document.title)
    props.author = props.last_modified_by = _clean(document.issuer)
    # Document.language ("zh-hans", "zh-hant") is the HTML form; Word wants zh-CN / zh-TW.
    props.language = faces.language
    props.comments = props.keywords = props.subject = props.category = ""
    props.revision = 1
    # The 成文日期 stands in for the creation time, instead of the template's date of 2013 or
    # a clock reading.
    match = _CHINESE_DATE.search(document.date)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            when = datetime.datetime(year, month, day, tzinfo=datetime.UTC)
        except ValueError:
            return
        props.created = props.modified = when


# --- styles --------------------------------------------------------------------------------------


def _set_up_styles(word, faces: _Faces) -> dict[str, str]:
    """Restyle the built-in styles and add ours; returns their style ids by name."""
    styles = word.styles
    root = styles.element

    # Theme fonts (minorEastAsia …) would override the named fonts below, and the template's
    # theme language is Japanese: clear them everywhere.
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(qn(attr), None)

    defaults = root.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(r_pr, faces.body, LATIN_FONT)
    _size(r_pr, BODY_SIZE)
    _child(r_pr, "lang", _RPR_ORDER, val="en-US", eastAsia=faces.language, bidi="ar-SA")
    p_pr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    _child(p_pr, "spacing", _PPR_ORDER, before="0", after="0", line="240", lineRule="auto")

    normal = styles["Normal"]
    _reset(normal)
    _fonts(normal.element.get_or_add_rPr(), faces.body, LATIN_FONT)
    normal.font.size = BODY_SIZE
    _child(normal.element.rPr, "spacing", _RPR_ORDER, val=CONDENSED)
    pf = normal.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(LINE_PITCH_TWIPS)
    pf.space_before = pf.space_after = 0
    pf.widow_control = True
    _indent_chars(normal, first_line=2, size=BODY_SIZE)

    title = styles["Title"]
    _restyle(title, faces.title, TITLE_SIZE, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    _indent_chars(title, first_line=0, size=TITLE_SIZE)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.keep_with_next = True
    _not_condensed(title)

    # GB/T 9704 §7.3.3: 一、 in 黑体, （一） in 楷体, 1. and (1) in the body face; none bold.
    headings = []
    for name, font, level in (
        ("Heading 1", faces.heading_1, 0),
        ("Heading 2", faces.heading_2, 1),
        ("Heading 3", faces.body, 2),
    ):
        heading = styles[name]
        headings.append(heading)
        _restyle(heading, font, BODY_SIZE)
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True
        heading.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(level))

    for name in ("Title Char", "Heading 1 Char", "Heading 2 Char", "Heading 3 Char"):
        linked = styles[name]
        # A linked character style is what Word applies to part of a paragraph; keep it equal.
        paragraph_style = styles[name.removesuffix(" Char")]
        linked.element._remove_rPr()
        linked.element.append(copy.deepcopy(paragraph_style.element.rPr))

    footer = styles["Footer"]
    _reset(footer)
    _fonts(footer.element.get_or_add_rPr(), faces.page_number, faces.page_number)
    footer.font.size = PAGE_NUMBER_SIZE
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _indent_chars(footer, first_line=0, size=PAGE_NUMBER_SIZE)
    _not_condensed(footer)

    lead = styles.add_style(STYLE_LEAD, WD_STYLE_TYPE.CHARACTER)
    lead.base_style = styles["Default Paragraph Font"]
    lead.font.bold = True
    lead.font.cs_bold = True

    listing = _paragraph_style(styles, STYLE_LIST, base=normal)
    _indent_chars(listing, first_line=0, left=2, size=BODY_SIZE)

    caption = _paragraph_style(styles, STYLE_CAPTION, base=normal)
    _restyle(caption, faces.heading_1, BODY_SIZE, alignment=WD_ALIGN_PARAGRAPH.CENTER)
    _indent_chars(caption, first_line=0, size=BODY_SIZE)
    caption.paragraph_format.keep_with_next = True

    cell = _paragraph_style(styles, STYLE_TABLE_TEXT, base=normal)
    cell.font.size = TABLE_SIZE
    cpf = cell.paragraph_format
    cpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # Two lines of cell text fill one line of the body's grid (see _Body.table).
    cpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    cpf.line_spacing = Twips(CELL_LINE_TWIPS)
    cpf.space_before = cpf.space_after = 0
    # No extra space between digits and Chinese ("5 月 27 日"): the column widths are computed
    # without it, and the PDF sets none.
    _child(cell.element.get_or_add_pPr(), "autoSpaceDE", _PPR_ORDER, val="0")
    _child(cell.element.get_or_add_pPr(), "autoSpaceDN", _PPR_ORDER, val="0")
    _indent_chars(cell, first_line=0, size=TABLE_SIZE)
    _not_condensed(cell)

    signature = _paragraph_style(styles, STYLE_SIGNATURE, base=normal)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.keep_with_next = True
    # Each paragraph sets its own right indent (§7.3.5.2, _signature_indents).
    _indent_chars(signature, first_line=0, right=2, size=BODY_SIZE)

    # 附件说明: "附件：" 左空二字, a wrapped line or a second name under the first name.
    note = _paragraph_style(styles, STYLE_ANNEX_NOTE, base=normal)
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    note.paragraph_format.keep_with_next = True
    _indent_chars(note, first_line=0, left=5, size=BODY_SIZE)
    ind = note.element.pPr.ind
    for attr in ("firstLine", "firstLineChars"):
        ind.attrib.pop(qn(f"w:{attr}"))
    ind.set(qn("w:hanging"), str(3 * BODY_SIZE.twips))
    ind.set(qn("w:hangingChars"), "300")

    # "附件1" on an appendix's first page: 3号黑体, 顶格.
    annex = _paragraph_style(styles, STYLE_ANNEX_LABEL, base=normal)
    _restyle(annex, faces.heading_1, BODY_SIZE, alignment=WD_ALIGN_PARAGRAPH.LEFT)
    _indent_chars(annex, first_line=0, size=BODY_SIZE)
    annex.paragraph_format.keep_with_next = True

    grid = styles["Table Grid"]
    for border in grid.element.iter(qn("w:tblBorders")):
        for edge in border:
            edge.set(qn("w:color"), "000000")

    used = (normal, title, *headings, grid, lead, listing, caption, cell, signature, note, annex)
    return {style.name: style.style_id for style in used}


def _paragraph_style(styles, name: str, *, base: ParagraphStyle) -> ParagraphStyle:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base
    style.next_paragraph_style = base
    style.quick_style = True
    return style


def _reset(style: BaseStyle) -> None:
    """Drop a built-in style's paragraph and run properties (colours, borders, theme fonts)."""
    style.element._remove_pPr()
    style.element._remove_rPr()


def _restyle(
    style: ParagraphStyle,
    east_asia: str,
    size: Pt,
    *,
    alignment: WD_ALIGN_PARAGRAPH | None = None,
) -> None:
    latin = LATIN_FONT if east_asia in (BODY_FONT_EAST_ASIA, "標楷體") else east_asia
    if style.builtin:
        _reset(style)
    _fonts(style.element.get_or_add_rPr(), east_asia, latin)
    style.font.size = size
    style.font.bold = False
    style.font.cs_bold = False
    if alignment is not None:
        style.paragraph_format.alignment = alignment


def _fonts(r_pr, east_asia: str, latin: str) -> None:
    # style.font.name sets only w:ascii/w:hAnsi; Word and WPS pick Chinese text's font from
    # w:eastAsia.
    rfonts = r_pr.get_or_add_rFonts()
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def _size(r_pr, size: Pt) -> None:
    half_points = str(int(size.pt * 2))
    _child(r_pr, "sz", _RPR_ORDER, val=half_points)
    _child(r_pr, "szCs", _RPR_ORDER, val=half_points)


def _indent_chars(
    style: ParagraphStyle, *, size: Pt, first_line: int, left: int = 0, right: int = 0
) -> None:
    """Indents in characters (w:*Chars, in hundredths) with twips as the fallback for readers
    that ignore them. Every attribute is written so nothing is inherited from the base style."""
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    char = size.twips
    for attr, chars in (("firstLine", first_line), ("left", left), ("right", right)):
        ind.set(qn(f"w:{attr}"), str(chars * char))
        ind.set(qn(f"w:{attr}Chars"), str(chars * 100))


def _not_condensed(style: ParagraphStyle) -> None:
    # The 0.25 pt the body is condensed by only serves to fit 28 characters of 3号 on a line.
    _child(style.element.get_or_add_rPr(), "spacing", _RPR_ORDER, val="0")


def _child(parent, tag: str, order: list[str], **attrs: str):
    """Get or insert `w:<tag>` at its schema position under `parent` and set its attributes."""
    element = parent.find(qn(f"w:{tag}"))
    if element is None:
        element = OxmlElement(f"w:{tag}")
        later = {qn(f"w:{name}") for name in order[order.index(tag) + 1 :]}
        for position, existing in enumerate(parent):
            if existing.tag in later:
                parent.insert(position, element)
                break
        else:
            parent.append(element)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element
