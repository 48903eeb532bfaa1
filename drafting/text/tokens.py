"""Tokens, lines and paragraphs: how the portal cuts prose into the pieces every other text module works on.

Text is cut into tokens by one regular expression that keeps everything (words, runs of
whitespace, single punctuation marks), so joining the tokens always gives the text back, and
Python's Unicode ``\\w`` keeps Kazakh and Russian words whole. Diffs and merges work on lines
first and on these tokens inside lines; attribution works on paragraphs. See DESIGN.md ("Tokens").
"""

from __future__ import annotations

import re
from itertools import groupby

TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
WORD_RE = re.compile(r"\w+")


def tokenize(text: str) -> list[str]:
    """Split text into words, runs of whitespace and single other characters.

    Nothing is dropped: ``"".join(tokenize(text)) == text`` for every string.
    """
    return TOKEN_RE.findall(text)


def split_paragraphs(text: str) -> list[str]:
    """Return the paragraphs of text: runs of non-blank lines, separated by blank lines.

    Line breaks inside a paragraph become ``"\\n"``; blank lines around paragraphs are dropped,
    so empty or blank text gives ``[]``.
    """
    runs = groupby(text.splitlines(), key=lambda line: bool(line.strip()))
    return ["\n".join(lines) for filled, lines in runs if filled]


def _lines(text: str) -> list[str]:
    """Split text into lines, each with its line break; ``"".join(_lines(text)) == text``."""
    return text.splitlines(keepends=True)
