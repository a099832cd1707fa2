"""The summary document model: plain strings and numbers, no ORM objects, no HTML.

`reports/summary.py` builds a Document from the indicators and the staff-written parts; the
renderers (`render_pdf`, `render_docx`) and the browser preview draw the same Document, so what a
chair previews is what they download.
"""

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
