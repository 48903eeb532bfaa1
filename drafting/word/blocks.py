"""A section's Markdown as Word-shaped blocks, and back: the common ground of export and read-back.

A DOCX carries paragraphs with a style and runs with bold or italic, not Markdown. The export
writes each Markdown block as one Word paragraph (a list item, a quotation, a sub-heading, a
table) with its emphasis as formatting; the read-back turns Word paragraphs into the same blocks
and the blocks into Markdown again. `canonical(text)` is what a section's text becomes after that
journey unchanged, so "did the expert change this section in Word?" is a comparison of canonical
forms, never of Markdown syntax (`__bold__` and `**bold**` are the same in Word).
"""

import re
from dataclasses import dataclass, field

from drafting.text import split_paragraphs

HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET_RE = re.compile(r"^(\s*)[-*+]\s+(.*)$")
NUMBER_RE = re.compile(r"^(\s*)\d{1,9}[.)]\s+(.*)$")
TABLE_SEPARATOR_RE = re.compile(r"^\s*:?-{1,}:?\s*$")
BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
ITALIC_RE = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)", re.S)
MAX_LIST_LEVEL = 2


@dataclass(frozen=True)
class Segment:
    """A stretch of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    """One Word paragraph (or one table): p, heading, bullet, number, quote, code or table."""

    kind: str
    segments: list[Segment] = field(default_factory=list)
    level: int = 0  # heading level (1-6), or list nesting (0-2)
    rows: list[list[str]] | None = None  # table cells, as plain text

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


# --- Markdown -> blocks ---------------------------------------------------------------------------


def parse_inline(text: str) -> list[Segment]:
    """Split text into segments at **bold** and *italic* marks; anything else stays as typed."""
    segments: list[Segment] = []
    for bold_text, bold in _split(BOLD_RE, text):
        for part, italic in _split(ITALIC_RE, bold_text):
            if part:
                segments.append(Segment(part, bold, italic))
    return _joined(segments)


def _split(pattern: re.Pattern, text: str) -> list[tuple[str, bool]]:
    parts, at = [], 0
    for match in pattern.finditer(text):
        parts.append((text[at : match.start()], False))
        parts.append((match.group(match.lastindex), True))
        at = match.end()
    parts.append((text[at:], False))
    return parts


def _joined(segments: list[Segment]) -> list[Segment]:
    joined: list[Segment] = []
    for segment in segments:
        if joined and (joined[-1].bold, joined[-1].italic) == (segment.bold, segment.italic):
            joined[-1] = Segment(joined[-1].text + segment.text, segment.bold, segment.italic)
        elif segment.text:
            joined.append(segment)
    return joined


def _list_level(indent: str) -> int:
    return min((len(indent.expandtabs(4)) + 2) // 4, MAX_LIST_LEVEL)


def _table_rows(lines: list[str]) -> list[list[str]]:
    rows = []
    for line in lines:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if all(TABLE_SEPARATOR_RE.match(c) for c in cells):
            continue
        rows.append([c.replace("\\|", "|") for c in cells])
    return rows


def markdown_to_blocks(text: str) -> list[Block]:
    """The blocks of a section's Markdown, in order (fenced code is kept as it is)."""
    blocks: list[Block] = []
    for paragraph in split_paragraphs(text):
        lines = paragraph.split("\n")
        if lines[0].lstrip().startswith("```"):
            code = "\n".join(lines[1:-1] if len(lines) > 1 and lines[-1].strip().startswith("```") else lines[1:])
            blocks.append(Block("code", [Segment(code)]))
        elif all(line.lstrip().startswith("|") for line in lines):
            blocks.append(Block("table", rows=_table_rows(lines)))
        elif (heading := HEADING_RE.match(lines[0])) and len(lines) == 1:
            blocks.append(Block("heading", parse_inline(heading.group(2).rstrip("# ").strip()), len(heading.group(1))))
        elif BULLET_RE.match(lines[0]) or NUMBER_RE.match(lines[0]):
            blocks += _list_blocks(lines)
        elif all(line.startswith(">") for line in lines):
            quoted = "\n".join(re.sub(r"^>\s?", "", line) for line in lines)
            blocks.append(Block("quote", parse_inline(quoted)))
        else:
            blocks.append(Block("p", parse_inline(paragraph)))
    return blocks


def _list_blocks(lines: list[str]) -> list[Block]:
    items: list[tuple[str, int, list[str]]] = []
    for line in lines:
        bullet, number = BULLET_RE.match(line), NUMBER_RE.match(line)
        match = bullet or number
        if match:
            items.append(("bullet" if bullet else "number", _list_level(match.group(1)), [match.group(2)]))
        else:
            items[-1][2].append(line.strip())
    return [Block(kind, parse_inline(" ".join(parts)), level) for kind, level, parts in items]


# --- blocks -> Markdown ---------------------------------------------------------------------------


def segments_to_markdown(segments: list[Segment]) -> str:
    out = []
    for segment in _joined(segments):
        mark = ("**" if segment.bold else "") + ("*" if segment.italic else "")
        body = segment.text
        core = body.strip()
        if not mark or not core:
            out.append(body)
            continue
        lead = body[: len(body) - len(body.lstrip())]
        trail = body[len(body.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return "".join(out)


def blocks_to_markdown(blocks: list[Block]) -> str:
    """Markdown for the blocks: one paragraph each, consecutive list items kept in one list."""
    parts: list[str] = []
    counters: dict[int, int] = {}
    previous = None
    for block in blocks:
        if block.kind in ("bullet", "number"):
            if previous not in ("bullet", "number"):
                counters = {}
            counters = {k: v for k, v in counters.items() if k <= block.level}
            counters[block.level] = counters.get(block.level, 0) + 1
            marker = "-" if block.kind == "bullet" else f"{counters[block.level]}."
            line = f"{'    ' * block.level}{marker} {segments_to_markdown(block.segments).replace(chr(10), ' ')}"
            if previous in ("bullet", "number"):
                parts[-1] += "\n" + line
            else:
                parts.append(line)
        else:
            text = _block_markdown(block)
            if text.strip():
                parts.append(text)
        previous = block.kind
    return "\n\n".join(part for part in parts if part.strip())


def _block_markdown(block: Block) -> str:
    if block.kind == "heading":
        return f"{'#' * max(1, min(block.level, 6))} {segments_to_markdown(block.segments).replace(chr(10), ' ')}"
    if block.kind == "code":
        return f"```\n{block.text}\n```"
    if block.kind == "quote":
        return "\n".join(f"> {line}" for line in segments_to_markdown(block.segments).split("\n"))
    if block.kind == "table":
        rows = block.rows or []
        if not rows:
            return ""
        width = max(len(row) for row in rows)

        def line(cells):
            cells = [c.replace("|", "\\|").replace("\n", " ") for c in cells] + [""] * (width - len(cells))
            return "| " + " | ".join(cells) + " |"

        return "\n".join([line(rows[0]), line(["---"] * width), *(line(row) for row in rows[1:])])
    return segments_to_markdown(block.segments)


def canonical(text: str) -> str:
    """What `text` reads as after a trip through Word unchanged (see the module docstring)."""
    return blocks_to_markdown(markdown_to_blocks(text))
