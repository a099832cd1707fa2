"""The summary document model: plain strings and numbers, no ORM objects, no HTML.

`reports/summary.py` builds a Document from the indicators and the staff-written parts; the
renderers (`render_pdf`, `render_docx`) and the browser preview draw the same Document, so what a
chair previews is what they download.
"""

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (two-character first-line indent). `lead` is an optional run-in phrase
    set in bold before the text, as summaries write 一是…二是…"""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class BulletList:
    """Notable items named one per line (new unions, contracts signed, main events …)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a caption, a header row and body rows of plain text cells."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | BulletList | Table


@dataclass(frozen=True)
class Section:
    """A numbered section. level 1 headings read 一、… (黑体); level 2 read （一）… (楷体).
    `heading` holds the full heading text including its number."""

    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple["Section", ...] = ()
    level: int = 1


@dataclass(frozen=True)
class Document:
    """A work summary (工作总结): title, the issuing body and date, opening, sections, appendix."""

    title: str
    issuer: str  # 落款: e.g. 慈东镇工会
    date: str  # 成文日期, e.g. 2026年7月10日
    opening: tuple[Paragraph, ...] = ()
    sections: tuple[Section, ...] = ()
    appendix: tuple[Section, ...] = ()
    language: str = "zh-hans"
    metadata: dict[str, str] = field(default_factory=dict, compare=False)

    def plain_text(self) -> str:
        """Every visible string in reading order (tests compare it with the rendered files)."""
        lines = [self.title]
        lines += [p.text for p in self.opening]

        def walk(section: Section) -> None:
            lines.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    lines.append(block.lead + block.text)
                elif isinstance(block, BulletList):
                    lines.extend(block.items)
                else:
                    lines.append(block.caption)
                    lines.append(" ".join(block.header))
                    lines.extend(" ".join(row) for row in block.rows)
            for sub in section.subsections:
                walk(sub)

        for section in self.sections + self.appendix:
            walk(section)
        lines += [self.issuer, self.date]
        return "\n".join(lines)


_ANNEX_PREFIX = re.compile(r"^附件\s*\d*\s*[：:]?\s*")


def appendix_title(section: Section) -> str:
    """The 附件标题 of an appendix section, as both the 附件说明 under the body and the appendix's
    own page state it (GB/T 9704 §7.3.4, §7.4: the two must read the same).

    An appendix that is one table is titled by the table's caption, which names the township or
    county; otherwise by the heading without its "附件：" prefix."""
    only_a_table = len(section.blocks) == 1 and not section.subsections
    if only_a_table and isinstance(section.blocks[0], Table):
        return section.blocks[0].caption
    return _ANNEX_PREFIX.sub("", section.heading) or section.heading


def annex_note(appendix: tuple[Section, ...]) -> tuple[str, ...]:
    """The 附件说明 lines: "附件：名称" for one appendix; "附件：1．名称", "2．名称" … for more."""
    titles = [appendix_title(section) for section in appendix]
    if len(titles) == 1:
        return (f"附件：{titles[0]}",)
    return tuple(
        ("附件：" if number == 1 else "") + f"{number}．{title}"
        for number, title in enumerate(titles, start=1)
    )


def annex_label(appendix: tuple[Section, ...], index: int) -> str:
    """ "附件" top-left on an appendix's first page; numbered when there is more than one."""
    return "附件" if len(appendix) == 1 else f"附件{index + 1}"


# A table cell that reads as one number, amount, rate or date ("5月27日", "100.0%", "9,214",
# "38.6万元", "2026年3月18日", "—"), or holds at most four characters ("签订日期").
_ONE_FIGURE = re.compile(r"[\d.,%‰+\-−—/:：年月日万亿元人次件份家个户倍]+")


def keeps_on_one_line(cell: str) -> bool:
    """Whether a table cell is set on one line: both renderers size its column to fit it (issue
    14: "100.0/%", "5月27/日" broke inside cells)."""
    return len(cell) <= 4 or bool(_ONE_FIGURE.fullmatch(cell))
