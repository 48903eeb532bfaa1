"""Pure functions on search queries and texts: terms, stems, escaped snippets with marks. No database."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_TERMS = 10
_WORD = re.compile(r"\w+")
# Markdown marks that mean nothing in a snippet.
_MARKUP = re.compile(r"(?m)^[ \t]*(?:#+|>+|[-*+] )|[*`~]+|\[|\]\([^)]*\)")


def fold(text: str) -> str:
    """The form both sides of a match are compared in, on every database."""
    return text.casefold()


def search_terms(query: str) -> list[str]:
    """The words of a query, casefolded, without repeats or single letters, at most MAX_TERMS.

    Everything but letters and digits is dropped, so SQL, LIKE and regular-expression
    metacharacters in a query are never more than separators.
    """
    terms = []
    for word in _WORD.findall(fold(query)):
        word = word.strip("_")
        if len(word) >= 2 and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def stem(term: str) -> str:
    """A crude stem shared by Russian and Kazakh: long words lose up to three final letters.

    "отношения" → "отноше" (finds "отношений"), "қазақстанның" → "қазақстан". PostgreSQL's
    Russian stemmer and trigrams do better; this is the SQLite fallback and the highlighter.
    """
    return term[: max(4, len(term) - 3)] if len(term) > 5 else term


def _matches(word: str, stems: list[str]) -> bool:
    folded = fold(word)
    return any(s in folded for s in stems)


def highlight(text: str, terms: list[str], *, width: int = 240) -> SafeString:
    """An escaped excerpt of `text` around the first matching word, each matching word in <mark>.

    Only the <mark> elements are markup: every character of the text is escaped.
    """
    text = _MARKUP.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    stems = [stem(t) for t in terms]
    words = [m for m in _WORD.finditer(text) if stems and _matches(m.group(), stems)]
    start = 0
    if words and len(text) > width:
        start = max(0, words[0].start() - width // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < words[0].start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    parts = ["…" if start else ""]
    position = start
    for match in words:
        if match.start() < start:
            continue
        if match.end() > end:
            break
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))
