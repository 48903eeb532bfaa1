"""Word XML for a section's text: paragraphs with tracked changes and comment ranges.

A section is flattened into items (a word or space with its formatting, the end of a paragraph
with its kind, or a whole table), and each open proposal is diffed against the current text on
those items. Proposals whose changes do not touch each other are shown together, each with its
own author and date; a proposal that overlaps one already shown is left to the portal (the caller
says so in a comment). Rejecting every change gives the current text, accepting every change gives
the proposed one: the read-back (docx_readback.py) does exactly that.
"""

from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from drafting.text import changed_opcodes, tokenize
from drafting.word.blocks import Block, markdown_to_blocks

PARAGRAPH_STYLES = {
    "p": "Normal",
    "quote": "Quote",
    "code": "KISI Code",
}


def paragraph_style(kind: str, level: int) -> str:
    if kind == "heading":
        return f"KISI Heading {max(1, min(level, 6))}"
    if kind in ("bullet", "number"):
        base = "List Bullet" if kind == "bullet" else "List Number"
        return base if level == 0 else f"{base} {level + 1}"
    return PARAGRAPH_STYLES.get(kind, "Normal")


@dataclass(frozen=True)
class Item:
    text: str = ""
    bold: bool = False
    italic: bool = False
    end: tuple[str, int] | None = None  # the end of a paragraph: its kind and level
    table: tuple[tuple[str, ...], ...] | None = None

    @property
    def visible(self) -> str:
        return "\n\n" if self.end else self.text


@dataclass(frozen=True)
class Stamp:
    """Who made a tracked change and when (w:author, w:date)."""

    author: str
    date: str


def flatten(blocks: list[Block]) -> list[Item]:
    items: list[Item] = []
    for block in blocks:
        if block.kind == "table":
            items.append(Item(table=tuple(tuple(row) for row in block.rows or [])))
            continue
        for segment in block.segments:
            items += [Item(token, segment.bold, segment.italic) for token in tokenize(segment.text)]
        items.append(Item(end=(block.kind, block.level)))
    return items


@dataclass(frozen=True)
class Piece:
    """An item of the current text ("equal" or "delete") or of a proposal ("insert")."""

    op: str
    item: Item
    stamp: Stamp | None
    index: int | None  # position in the current text, for "equal" and "delete"


def tracked_pieces(current: str, proposals: list[tuple[Stamp, str]]) -> tuple[list[Piece], list[int]]:
    """The current text with each proposal's changes, and the indexes of proposals left out.

    `proposals` are (stamp, proposed text) in the order they should be tried; a proposal whose
    changed stretch touches one already taken is left out (its index is returned).
    """
    old = flatten(markdown_to_blocks(current))
    taken: list[tuple[Stamp, list[Item], list[tuple]]] = []
    spans: list[tuple[int, int]] = []
    left_out = []
    for number, (stamp, text) in enumerate(proposals):
        new = flatten(markdown_to_blocks(text))
        codes = changed_opcodes(old, new)
        mine = [(i1, i2) for _op, i1, i2, _j1, _j2 in codes]
        if not codes or any(a <= d and c <= b for a, b in mine for c, d in spans):
            left_out.append(number)
            continue
        spans += mine
        taken.append((stamp, new, codes))
    deleted: dict[int, Stamp] = {}
    inserts: dict[int, list[Piece]] = {}
    for stamp, new, codes in taken:
        for op, i1, i2, j1, j2 in codes:
            for i in range(i1, i2):
                deleted[i] = stamp
            if op in ("insert", "replace"):
                inserts.setdefault(i2, []).extend(Piece("insert", item, stamp, None) for item in new[j1:j2])
    pieces: list[Piece] = []
    for i, item in enumerate(old):
        pieces += inserts.get(i, [])
        pieces.append(Piece("delete", item, deleted[i], i) if i in deleted else Piece("equal", item, None, i))
    pieces += inserts.get(len(old), [])
    return pieces, left_out


def current_text(pieces: list[Piece]) -> str:
    """The visible current text, as comments are located in it."""
    return "".join(p.item.visible for p in pieces if p.op != "insert")


def anchor_span(pieces: list[Piece], start: int, end: int) -> tuple[int, int] | None:
    """The first and last current item covering characters start..end of `current_text`."""
    at, first, last = 0, None, None
    for piece in pieces:
        if piece.op == "insert":
            continue
        size = len(piece.item.visible)
        if at + size > start and at < end and piece.item.end is None and piece.item.table is None:
            first = piece.index if first is None else first
            last = piece.index
        at += size
    return (first, last) if first is not None else None


# --- XML --------------------------------------------------------------------------------------


class Ids:
    """w:id values for revisions, bookmarks and comments in one document."""

    def __init__(self):
        self.value = 1000  # apart from comment ids, which python-docx numbers from 0

    def next(self) -> str:
        self.value += 1
        return str(self.value)


def revision_mark(tag: str, stamp: Stamp, ids: Ids):
    mark = OxmlElement(tag)
    mark.set(qn("w:id"), ids.next())
    mark.set(qn("w:author"), stamp.author)
    mark.set(qn("w:date"), stamp.date)
    return mark


def make_run(text: str, *, bold: bool = False, italic: bool = False, deleted: bool = False):
    run = OxmlElement("w:r")
    if bold or italic:
        props = OxmlElement("w:rPr")
        if bold:
            props.append(OxmlElement("w:b"))
        if italic:
            props.append(OxmlElement("w:i"))
        run.append(props)
    for number, line in enumerate(text.split("\n")):
        if number:
            run.append(OxmlElement("w:br"))
        if line:
            node = OxmlElement("w:delText" if deleted else "w:t")
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            node.text = line
            run.append(node)
    return run


def comment_reference(comment_id: str):
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "CommentReference")
    props.append(style)
    run.append(props)
    reference = OxmlElement("w:commentReference")
    reference.set(qn("w:id"), comment_id)
    run.append(reference)
    return run


def range_mark(tag: str, comment_id: str):
    mark = OxmlElement(tag)
    mark.set(qn("w:id"), comment_id)
    return mark


def set_paragraph_style(paragraph, style_id: str, mark=None) -> None:
    props = paragraph.get_or_add_pPr()
    props.style = style_id
    if mark is not None:
        run_props = OxmlElement("w:rPr")
        run_props.append(mark)
        props.append(run_props)


def write_pieces(document, pieces: list[Piece], *, ids: Ids, comments: dict[int, list[str]]) -> None:
    """Append the pieces to the document body as paragraphs and tables.

    `comments` maps a current item index to the comment ids whose range starts there (positive
    index) or ends there (the same index under key ``-index - 1``). Consecutive pieces with the same
    change and formatting become one run, its text written once.
    """
    body = document.element.body
    style_ids: dict[tuple[str, int], str] = {}
    paragraph = None
    group: list = []  # the pieces of the run being gathered

    def flush():
        if group:
            first = group[0]
            run = make_run(
                "".join(p.item.text for p in group),
                bold=first.item.bold,
                italic=first.item.italic,
                deleted=first.op == "delete",
            )
            if first.op == "equal":
                paragraph.append(run)
            else:
                wrapper = revision_mark("w:ins" if first.op == "insert" else "w:del", first.stamp, ids)
                wrapper.append(run)
                paragraph.append(wrapper)
            group.clear()

    for piece in pieces:
        item = piece.item
        if item.table is not None:
            if piece.op != "insert":
                _write_table(document, item.table)
            continue
        if paragraph is None:
            paragraph = body.add_p()
        if item.end is not None:
            flush()
            if item.end not in style_ids:
                style_ids[item.end] = document.styles[paragraph_style(*item.end)].style_id
            mark = None
            if piece.stamp:
                mark = revision_mark("w:ins" if piece.op == "insert" else "w:del", piece.stamp, ids)
            set_paragraph_style(paragraph, style_ids[item.end], mark)
            paragraph = None
            continue
        starts = comments.get(piece.index, []) if piece.index is not None else []
        ends = comments.get(-piece.index - 1, []) if piece.index is not None else []
        key = (piece.op, piece.stamp, item.bold, item.italic)
        if starts or (group and (group[0].op, group[0].stamp, group[0].item.bold, group[0].item.italic) != key):
            flush()
        for comment_id in starts:
            paragraph.append(range_mark("w:commentRangeStart", comment_id))
        group.append(piece)
        if ends:
            flush()
            for comment_id in ends:
                paragraph.append(range_mark("w:commentRangeEnd", comment_id))
                paragraph.append(comment_reference(comment_id))


def _write_table(document, rows: tuple[tuple[str, ...], ...]) -> None:
    if not rows:
        return
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = document.styles["Table Grid"]
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
            if r == 0:
                for run in table.cell(r, c).paragraphs[0].runs:
                    run.bold = True
