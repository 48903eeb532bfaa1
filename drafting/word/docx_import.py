"""A Word draft as the portal's outline: mammoth turns the DOCX into HTML, this module turns that into Markdown.

`parse_docx` reads the file once into headings (with their Word level) and the Markdown of the
text under each, and lists what cannot be carried over (comments, tracked changes, images;
footnotes become text at the end of their section). `build_outline` then makes sections for the
levels the coordinator picked: one level starts a section, one (optional) a sub-section; deeper
headings stay inside the text as Markdown headings. Numbers typed into headings ("1.", "2.3",
"IV.") are dropped, because the portal numbers sections itself.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import mammoth
from lxml import etree

from drafting.word.docx_readback import PARSER

TYPED_NUMBER_RE = re.compile(r"^\s*((?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.)|(?:\d{1,3}\)))\s+(?=\S)")
MAX_HEADING_CHARS = 300
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Part:
    """A heading of the Word file (level 0: the text before the first heading) and the Markdown under it."""

    level: int
    heading: str
    typed_number: str = ""
    blocks: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        text = "\n\n".join(self.blocks)
        if self.footnotes:
            text = (text + "\n\n" if text else "") + "\n".join(self.footnotes)
        return text.strip()


@dataclass
class ParsedDocx:
    parts: list[Part]
    comments: int = 0
    insertions: int = 0
    deletions: int = 0
    images: int = 0
    footnotes: int = 0
    other: list[str] = field(default_factory=list)  # mammoth's own warnings
    title: str = ""  # the Title paragraph, if any

    @property
    def levels(self) -> list[int]:
        return sorted({p.level for p in self.parts if p.level})


@dataclass
class ImportedSection:
    heading: str
    body: str
    depth: int  # 0: section, 1: sub-section
    number: str = ""
    typed_number: str = ""
    shortened: bool = False


def parse_docx(data: bytes) -> ParsedDocx:
    images = []

    def drop_image(image):
        images.append(image.content_type)
        return {}

    result = mammoth.convert_to_html(
        io.BytesIO(data),
        convert_image=mammoth.images.img_element(drop_image),
        style_map="p[style-name='Title'] => p.document-title:fresh\np[style-name='Subtitle'] => p.document-title:fresh",
    )
    builder = _MarkdownBuilder()
    builder.feed(result.value)
    builder.close()
    parsed = ParsedDocx(builder.finish(), images=len(images), footnotes=builder.footnote_count, title=builder.title)
    parsed.other = sorted({m.message for m in result.messages if not re.search(r"image|style", m.message, re.I)})[:10]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if "word/comments.xml" in names:
            parsed.comments = len(etree.fromstring(archive.read("word/comments.xml"), PARSER).findall(f"{W}comment"))
        document = etree.fromstring(archive.read("word/document.xml"), PARSER)
        parsed.insertions = sum(1 for _ in document.iter(f"{W}ins"))
        parsed.deletions = sum(1 for _ in document.iter(f"{W}del"))
    return parsed


def drop_typed_number(heading: str) -> tuple[str, str]:
    match = TYPED_NUMBER_RE.match(heading)
    if not match:
        return heading.strip(), ""
    return heading[match.end() :].strip(), match.group(1)


def build_outline(parsed: ParsedDocx, *, section_level: int, subsection_level: int | None) -> list[ImportedSection]:
    """Sections and sub-sections for the chosen heading levels, numbered as the portal will number them."""
    sections: list[ImportedSection] = []
    pending: list[str] = []  # text before the first section, and headings of other levels
    for part in parsed.parts:
        if part.level == section_level or (part.level == subsection_level and part.level):
            depth = 0 if part.level == section_level or not sections else 1
            heading, typed = drop_typed_number(part.heading)
            shortened = len(heading) > MAX_HEADING_CHARS
            heading = heading[: MAX_HEADING_CHARS - 1] + "…" if shortened else heading
            sections.append(ImportedSection(heading, part.body, depth, typed_number=typed, shortened=shortened))
            continue
        text = part.body
        if part.level:
            level = min(max(part.level - section_level + 1, 2), 6)
            title, _typed = drop_typed_number(part.heading)
            text = f"{'#' * level} {title}" + (f"\n\n{text}" if text else "")
        if not text:
            continue
        if sections:
            sections[-1].body = (sections[-1].body + "\n\n" + text).strip()
        else:
            pending.append(text)
    if pending:
        intro = "\n\n".join(pending)
        if sections:
            sections[0].body = (intro + "\n\n" + sections[0].body).strip()
        else:
            sections.append(ImportedSection("", intro, 0))
    top = sub = 0
    for section in sections:
        if section.depth == 0:
            top, sub = top + 1, 0
            section.number = f"{top}"
        else:
            sub += 1
            section.number = f"{top}.{sub}"
    return sections


# --- HTML -> Markdown ---------------------------------------------------------------------------

ESCAPE_RE = re.compile(r"([\\`*])")
LINE_START_RE = re.compile(r"^(\s*)([#>+-]|\d+[.)])(\s)")


class _MarkdownBuilder(HTMLParser):
    """Walks mammoth's HTML (a small set of tags) into parts of Markdown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = [Part(0, "")]
        self.text: list[str] = []
        self.lists: list[list] = []  # [kind, counter]
        self.heading_level = 0
        self.table: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.footnote: str | None = None
        self.footnote_texts: dict[str, str] = {}
        self.footnote_refs: dict[str, Part] = {}
        self.footnote_count = 0
        self.link: str | None = None
        self.skip = 0
        self.list_open = False
        self.in_title = False
        self.title = ""

    def _flush_block(self, prefix: str = "") -> None:
        text = "".join(self.text).strip()
        self.text = []
        if not text:
            return
        if self.footnote is not None:
            self.footnote_texts[self.footnote] = (self.footnote_texts.get(self.footnote, "") + " " + text).strip()
            return
        if not prefix:
            text = LINE_START_RE.sub(r"\1\\\2\3", text)
        self.parts[-1].blocks.append(prefix + text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush_block()
            self.heading_level = int(tag[1])
        elif tag in ("ul", "ol"):
            if self.lists:
                self._flush_list_item()
            else:
                self._flush_block()
                self.list_open = False
            self.lists.append([tag, 0])
        elif tag == "li":
            if attrs.get("id", "").startswith(("footnote-", "endnote-")):
                self.footnote = attrs["id"].split("-", 1)[1]
                return
            self._flush_list_item()
        elif tag in ("strong", "b"):
            self._write("**")
        elif tag in ("em", "i"):
            self._write("*")
        elif tag == "br":
            self._write("\n")
        elif tag == "table":
            self._flush_block()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = []
        elif tag == "a":
            href = attrs.get("href", "")
            if re.match(r"^#(footnote|endnote)-ref-", href):
                self.skip += 1
            elif href.startswith(("#footnote-", "#endnote-")):
                key = href.split("-", 1)[1]
                self.footnote_refs[key] = self.parts[-1]
                self._write(f"[{key}]")
                self.skip += 1
            elif href.startswith(("http://", "https://", "mailto:")):
                self.link = href
                self._write("[")
        elif tag == "p" and not self.lists:
            self._flush_block()
            self.in_title = attrs.get("class") == "document-title"

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            heading = " ".join("".join(self.text).replace("*", "").split())
            self.text = []
            self.parts.append(Part(self.heading_level, heading))
            self.heading_level = 0
        elif tag in ("ul", "ol"):
            self._flush_list_item()
            if self.lists:
                self.lists.pop()
        elif tag == "li" and self.footnote is not None:
            self._flush_block()
            self.footnote = None
        elif tag in ("strong", "b"):
            self._write("**")
        elif tag in ("em", "i"):
            self._write("*")
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            self.table[-1].append(" ".join("".join(self.cell).split()).replace("|", "\\|"))
            self.cell = None
        elif tag == "table" and self.table is not None:
            rows, self.table = self.table, None
            if rows:
                width = max(len(r) for r in rows)
                rows = [r + [""] * (width - len(r)) for r in rows]
                lines = ["| " + " | ".join(rows[0]) + " |", "| " + " | ".join(["---"] * width) + " |"]
                lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
                self.parts[-1].blocks.append("\n".join(lines))
        elif tag == "a":
            if self.skip:
                self.skip -= 1
            elif self.link:
                self._write(f"]({self.link})")
                self.link = None
        elif tag == "p" and self.in_title:
            title = " ".join("".join(self.text).replace("\\", "").split())
            self.title = self.title or title[:MAX_HEADING_CHARS]
            self.text, self.in_title = [], False
        elif tag == "p" and not self.lists:
            self._flush_block()

    def _flush_list_item(self):
        if not self.lists:
            return
        text = " ".join("".join(self.text).split())
        self.text = []
        if text:
            depth = len(self.lists) - 1
            kind = self.lists[-1]
            kind[1] += 1 if kind[0] == "ol" else 0
            marker = f"{kind[1]}." if kind[0] == "ol" else "-"
            line = f"{'    ' * depth}{marker} {text}"
            blocks = self.parts[-1].blocks
            if self.list_open and blocks:
                blocks[-1] += "\n" + line
            else:
                blocks.append(line)
            self.list_open = True

    def _write(self, text: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(text)
        else:
            self.text.append(text)

    def handle_data(self, data):
        if self.skip:
            return
        if self.heading_level:
            self.text.append(data)
            return
        self._write(ESCAPE_RE.sub(r"\\\1", data))

    def finish(self) -> list[Part]:
        self._flush_block()
        self._flush_list_item()
        for key, text in self.footnote_texts.items():
            text = re.sub(r"^\s*↑\s*|\s*↑\s*$", "", text).strip()
            part = self.footnote_refs.get(key, self.parts[-1])
            part.footnotes.append(f"[{key}] {text}")
            self.footnote_count += 1
        return [p for p in self.parts if p.level or p.blocks or p.footnotes]
