"""The one way text becomes HTML in the drafting portal.

A revision's HTML is produced once, when the revision is saved, and stored
next to its Markdown source; pages only ever display the stored HTML and never
render on read.  That makes this module the single place where user text is
turned into markup, so it is strict:

* python-markdown ("tables", "sane_lists") converts the text, with its raw-HTML
  handling switched off, so anything typed as ``<tag>`` shows up as text;
* headings are shifted down one level ("#" -> h2, "##" -> h3, deeper -> h4)
  because the document page owns h1/h2 for its own structure;
* bleach then keeps only an explicit allow-list of tags, attributes and URL
  schemes (dropping table alignment styles), strips everything else, links
  bare http(s) URLs and gives every link ``rel="nofollow noopener"``.

Both python-markdown's ``Markdown`` and bleach's ``Cleaner`` keep parser state
and are not thread-safe, so each call builds its own pair; that costs about
0.5 ms, a few per cent of a typical render, and rendering happens only on save.
The output is deterministic.

Bounded work (DESIGN.md, "Bounded work per request"): both libraries have inputs
whose cost explodes (measured at 200,000 characters: nested "[" took minutes, a
long table over a minute, runs of "<" or "*_" tens of seconds; 250 nested list
levels raise RecursionError).  No set of input checks provably bounds two
regex-driven parsers, so the guarantee is a separate process: every render is
sent to a small persistent renderer process and, if it has not answered within
``settings.MARKDOWN_RENDER_SECONDS`` (2 s by default), that process is killed
and replaced and the text is refused with ``MarkdownTooComplex``.  (Starting a
process, about 0.2 s once per web process and after each kill, does not depend
on the text and is not counted.)  Two O(n)
checks run first (nesting depth of lists and quotations, open "[" in a
paragraph), so the commonest pathologies are refused at once with a message
that says what to simplify.  bench/bench_markdown.py measures the worst case.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from functools import partial
from multiprocessing.connection import Connection
from xml.etree.ElementTree import Element

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"

_HEADING_SHIFT = {"h1": "h2", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}


class _ShiftHeadings(Treeprocessor):
    """Move Markdown headings below the page's own h1/h2."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            element.tag = _HEADING_SHIFT.get(element.tag, element.tag)


def _set_rel(attrs: dict, new: bool) -> dict | None:
    """bleach linkify callback: only link bare URLs that carry an http(s)
    scheme (not every "name.kz"), and mark every link nofollow/noopener."""
    if new and not attrs["_text"].lower().startswith(("http://", "https://")):
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


_linkify = partial(LinkifyFilter, callbacks=[_set_rel], skip_tags={"pre", "code"}, parse_email=False)


def _new_markdown() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)
    return md


def _new_cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_linkify],
    )


def _render(text: str) -> str:
    """The pipeline itself, unbounded: run only inside a renderer process (and by tests)."""
    return _new_cleaner().clean(_new_markdown().convert(text))


# --- refusing texts that cost too much ---------------------------------------------------

# Real documents nest lists and quotations a few levels deep; python-markdown recurses once
# per level and fails at about 250.
NESTING_LIMIT = 20
# "[" still open at once in one paragraph; each one makes python-markdown scan the rest.
BRACKET_LIMIT = 32
# Above this many table rows in one text, a refusal for time names the tables.
_MANY_TABLE_ROWS = 1_000
# The characters whose long runs make the parsers slow, and the share of a text that names them.
_COSTLY_MARKS = "*_`<&["
_MANY_MARKS_SHARE = 0.2


class MarkdownTooComplex(ValidationError):
    """A text whose rendering would take longer than the bound, refused before or during rendering.

    A ValidationError, so every service and view that turns one into a form error keeps the
    person's text and saves nothing.
    """

    def __init__(self, message, params=None):
        super().__init__(message, code="markdown_too_complex", params=params)


_NESTING_MESSAGE = _(
    "This text is too complex to display: lists or quotations are nested %(depth)s levels deep at line "
    "%(line)s. Use at most %(limit)s levels."
)
_RECURSION_MESSAGE = _(
    "This text is too complex to display: it is nested too deeply. Reduce the nesting of lists and quotations."
)
_BRACKETS_MESSAGE = _(
    "This text is too complex to display: %(depth)s square brackets “[” are open at once at line %(line)s. "
    "Close or remove them so that at most %(limit)s are open in a paragraph."
)
_TABLES_MESSAGE = _(
    "This text is too complex to display: its tables have %(rows)s rows in all and could not be prepared within "
    "%(seconds)s seconds. Split them into smaller tables or over several sections."
)
_MARKS_MESSAGE = _(
    "This text is too complex to display: it has %(count)s of the characters * _ ` < & [ and could not be prepared "
    "within %(seconds)s seconds. Remove long runs of these characters."
)
_TIME_MESSAGE = _(
    "This text is too complex to display: it could not be prepared within %(seconds)s seconds. Shorten it, or "
    "split long paragraphs, lists and tables."
)

# A line's leading run of indentation and ">" long enough to pass the nesting limit (one level
# takes at least one character: a ">", a tab, or four spaces), followed by content.
_DEEP_PREFIX = re.compile(rf"^[ \t>]{{{NESTING_LIMIT + 1},}}(?=[^ \t>\n])", re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)
_TABLE_ROW = re.compile(r"^[ \t>]*\|", re.MULTILINE)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _check_nesting(text: str) -> None:
    for match in _DEEP_PREFIX.finditer(text):
        prefix = match.group()
        depth = prefix.count(">") + len(prefix.replace(">", "").expandtabs(4)) // 4
        if depth > NESTING_LIMIT:
            raise MarkdownTooComplex(
                _NESTING_MESSAGE, {"depth": depth, "line": _line_of(text, match.start()), "limit": NESTING_LIMIT}
            )


def _check_brackets(text: str) -> None:
    start = 0
    for end in [match.start() for match in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]:
        if text.count("[", start, end) > BRACKET_LIMIT:
            depth = 0
            for match in _BRACKET.finditer(text, start, end):
                depth = depth + 1 if match.group() == "[" else max(depth - 1, 0) if match.group() == "]" else depth
                if depth > BRACKET_LIMIT:
                    line = _line_of(text, match.start())
                    raise MarkdownTooComplex(_BRACKETS_MESSAGE, {"depth": depth, "line": line, "limit": BRACKET_LIMIT})
        start = end


def _too_slow(text: str, seconds: float) -> MarkdownTooComplex:
    """The refusal for a render that ran out of time, naming the likely cause where one stands out."""
    shown = f"{seconds:g}"
    rows = len(_TABLE_ROW.findall(text))
    if rows > _MANY_TABLE_ROWS:
        return MarkdownTooComplex(_TABLES_MESSAGE, {"rows": rows, "seconds": shown})
    marks = sum(text.count(mark) for mark in _COSTLY_MARKS)
    if marks > _MANY_MARKS_SHARE * len(text):
        return MarkdownTooComplex(_MARKS_MESSAGE, {"count": marks, "seconds": shown})
    return MarkdownTooComplex(_TIME_MESSAGE, {"seconds": shown})


# --- renderer processes ------------------------------------------------------------------

# A fresh interpreter that shares nothing with the web process (gunicorn forks its workers, and
# forking a threaded process is unsafe). Not multiprocessing's "spawn": that re-imports the web
# process's main script and adds a resource-tracker process. It starts in about 0.2 s, then stays.
_READY = "ready"
_IDLE_RENDERERS = 2
_START_SECONDS = 30
_START = "import sys; from drafting.markdown import _serve; _serve(int(sys.argv[1]))"


def _serve(fd: int) -> None:
    """A renderer process: render each text received until the web process goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the web process, which ends this one
    conn = Connection(fd)
    try:
        conn.send(_READY)
        while True:
            text = conn.recv()
            try:
                reply = ("ok", _render(text))
            except RecursionError:
                reply = ("too-deep", "")
            except Exception:
                reply = ("error", traceback.format_exc())
            conn.send(reply)
    except (EOFError, OSError):
        return  # the web process closed its end or went away


class _RendererDied(Exception):
    pass


class _Renderer:
    """One renderer process and the pipe to it."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        env = os.environ | {"PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        with theirs:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _START, str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                pass_fds=[theirs.fileno()],
                env=env,
            )
        self.conn = Connection(ours.detach())
        self.ready = False

    def wait_until_ready(self) -> None:
        """Wait for a new process to finish importing; this cost does not depend on the text."""
        if self.ready:
            return
        try:
            if not self.conn.poll(_START_SECONDS):
                raise RuntimeError(f"The Markdown renderer process did not start within {_START_SECONDS} s.")
            self.conn.recv()
        except (EOFError, OSError):
            raise RuntimeError("The Markdown renderer process failed to start.") from None
        self.ready = True

    def render(self, text: str, deadline: float) -> tuple[str, str] | None:
        """("ok", html), ("too-deep", ""), ("error", traceback), or None when out of time."""
        try:
            self.conn.send(text)
            if not self.conn.poll(max(deadline - time.monotonic(), 0)):
                return None
            return self.conn.recv()
        except (EOFError, OSError):
            raise _RendererDied from None

    def close(self) -> None:
        """Stop the process at once: it may be in the middle of a runaway render."""
        self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class _Pool:
    """Idle renderer processes of this web process; a render takes one, or starts one.

    One render at a time per process; concurrent renders (threads) each get their own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Renderer] = []
        self._pid = os.getpid()

    def take(self) -> _Renderer:
        with self._lock:
            while self._idle:
                renderer = self._idle.pop()
                if renderer.process.poll() is None:
                    return renderer
                renderer.close()
        return _Renderer()

    def give_back(self, renderer: _Renderer) -> None:
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < _IDLE_RENDERERS:
                self._idle.append(renderer)
                return
        renderer.close()

    def replace(self, renderer: _Renderer) -> None:
        """Kill a renderer stuck on a text and start its successor now, so it is ready for the next text."""
        renderer.close()
        with self._lock:
            room = len(self._idle) < _IDLE_RENDERERS
        if room:
            self.give_back(_Renderer())

    def forget_after_fork(self) -> None:
        """In a forked child (a gunicorn worker) the renderers are the parent's: drop our copies."""
        for renderer in self._idle:
            renderer.conn.close()
        self._idle = []
        self._lock = threading.Lock()
        self._pid = os.getpid()


_pool = _Pool()
os.register_at_fork(after_in_child=_pool.forget_after_fork)


def render_markdown(text: str) -> str:
    """Render user Markdown to sanitised HTML; blank input gives "".

    Raises MarkdownTooComplex when the text cannot be rendered within
    ``settings.MARKDOWN_RENDER_SECONDS``: the text's cost never holds the caller longer (a new
    renderer's start, once per process and after each kill, comes on top).
    """
    if not text.strip():
        return ""
    _check_nesting(text)
    _check_brackets(text)
    seconds = float(getattr(settings, "MARKDOWN_RENDER_SECONDS", 2.0))
    renderer = _pool.take()
    try:
        renderer.wait_until_ready()
        reply = renderer.render(text, time.monotonic() + seconds)
    except _RendererDied:
        # Gone while rendering (memory or the C stack): the text is what killed it.
        _pool.replace(renderer)
        raise _too_slow(text, seconds) from None
    except BaseException:
        renderer.close()
        raise
    if reply is None:
        _pool.replace(renderer)
        raise _too_slow(text, seconds)
    _pool.give_back(renderer)
    kind, payload = reply
    if kind == "too-deep":
        raise MarkdownTooComplex(_RECURSION_MESSAGE)
    if kind == "error":
        raise RuntimeError(f"Rendering Markdown failed in the renderer process:\n{payload}")
    return payload
