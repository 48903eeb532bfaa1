"""Time drafting.markdown.render_markdown on texts built to be as slow as possible, and on ordinary text.

Run from the repository root: ``python bench/bench_markdown.py``. Every text is as long as a section
may be (settings.SECTION_MAX_CHARS, 200,000 characters) and built deterministically. For each one it
prints the time and whether the text was rendered or refused (MarkdownTooComplex); then the worst
time, four of the worst texts rendered at once (four web workers previewing them together), and an
ordinary section, each with its target and their ratio (below 1 is within target).

The target is the render bound (settings.MARKDOWN_RENDER_SECONDS, 2 s by default) plus a margin for
killing the renderer process and starting its replacement. Without the bound, the same texts took
from 13 s ("<" run) to several minutes (nested "["), and deep lists raised RecursionError.
"""

import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAX_CHARS = 200_000
MARGIN_SECONDS = 0.5


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _table(columns: int, size: int) -> str:
    row = "| " + " | ".join("ячейка" for _ in range(columns)) + " |\n"
    head = row + "|" + "---|" * columns + "\n"
    return head + row * max((size - len(head)) // len(row), 1)


def _lines(line, size: int) -> str:
    """Lines line(0), line(1), ... up to size characters."""
    out, total, i = [], 0, 0
    while total < size:
        out.append(line(i))
        total, i = total + len(out[-1]), i + 1
    return "".join(out)[:size]


def pathological_corpus(size: int = MAX_CHARS) -> dict[str, str]:
    """Texts of `size` characters that make python-markdown or bleach slow, or recurse deeply."""
    half = size // 2
    return {
        "open brackets": "[" * size,
        "nested brackets": "[" * half + "]" * half,
        "brackets 32 deep, repeated": _repeat("[" * 32 + "x" + "]" * 32, size),
        "unclosed links": _repeat("[a](", size),
        "link starts": _repeat("[a](b", size),
        "reference links": _repeat("[x]", size),
        "long table": _table(2, size),
        "wide table": _table(size // 20, size),
        "emphasis *_": _repeat("*_", size),
        "emphasis a*": _repeat("a*", size),
        "emphasis ** _": _repeat("**a _b ", size),
        "backticks": _repeat("`a", size),
        "run of <": "<" * size,
        "run of &": "&" * size,
        "mixed < &": _repeat("<&", size),
        "deep list": _lines(lambda i: "    " * i + "- x\n", size),
        "deep numbered list": _lines(lambda i: "    " * i + "1. x\n", size),
        "list 250 levels": "".join("    " * i + "- x\n" for i in range(250)),
        "deep quote": ">" * (size - 2) + " x",
        "quote levels by line": _lines(lambda i: "> " * (i + 1) + "x\n", size),
        "lists 20 deep, repeated": _repeat("".join("    " * i + "- x\n" for i in range(20)) + "\n", size),
    }


WORDS = [
    "концепция",
    "развития",
    "образования",
    "науки",
    "государственной",
    "политики",
    "республики",
    "казахстан",
    "в",
    "на",
    "и",
    "по",
    "для",
    "министерство",
    "правительство",
    "рабочая",
    "группа",
    "эксперт",
    "предложение",
    "срок",
    "решение",
    "обеспечить",
    "качество",
    "финансирование",
    "бюджет",
    "школа",
    "университет",
    "учитель",
    "цифровизация",
    "мониторинг",
    "оценка",
    "білім",
    "ғылым",
    "мектеп",
]


def ordinary_text(size: int = MAX_CHARS) -> str:
    """A long section as people write them: headings, paragraphs, lists, a table, links, quotes."""
    rng = random.Random(1)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        k = rng.randrange(len(words))
        words[k] = rng.choice(("**", "*", "`")).join(("", words[k], ""))
        return " ".join(words).capitalize() + "."

    parts, total, n = [], 0, 0
    while total < size:
        n += 1
        block = [f"## Раздел {n}", " ".join(sentence() for _ in range(5))]
        block.append("\n".join(f"- {sentence()}" for _ in range(4)))
        block.append("\n".join(f"{i}. {sentence()}" for i in range(1, 4)))
        block.append(f"> {sentence()}\n>\n> См. [закон](https://adilet.zan.kz/rus/docs/Z{n:06d}) и https://e.kz/{n}.")
        block.append(
            "| Показатель | 2025 | 2030 |\n|---|---:|---:|\n"
            + "\n".join(f"| {rng.choice(WORDS)} | {i} | {2 * i} |" for i in range(8))
        )
        parts.append("\n\n".join(block))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts)[:size]


def timed(text: str) -> tuple[float, str]:
    from drafting.markdown import MarkdownTooComplex, render_markdown

    started = time.perf_counter()
    try:
        render_markdown(text)
        outcome = "rendered"
    except MarkdownTooComplex:
        outcome = "refused"
    return time.perf_counter() - started, outcome


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kisi_portal.settings")
    import django

    django.setup()
    from django.conf import settings

    bound = float(getattr(settings, "MARKDOWN_RENDER_SECONDS", 2.0))
    target = bound + MARGIN_SECONDS
    timed("warm up the renderer process")

    results = {}
    for name, text in pathological_corpus(settings.SECTION_MAX_CHARS).items():
        results[name] = timed(text)
        seconds, outcome = results[name]
        print(f"  {name}: {seconds:.2f} s, {outcome}")
    worst_name = max(results, key=lambda name: results[name][0])
    worst = results[worst_name][0]
    print(f"worst pathological render ({worst_name}): {worst:.2f} s, target {target:g} s, ratio {worst / target:.2f}")

    slowest = sorted(results, key=lambda name: results[name][0])[-4:]
    corpus = pathological_corpus(settings.SECTION_MAX_CHARS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(timed, [corpus[name] for name in slowest]))
    together = time.perf_counter() - started
    print(f"four slowest at once: {together:.2f} s, target {target:g} s, ratio {together / target:.2f}")

    text = ordinary_text(settings.SECTION_MAX_CHARS)
    seconds, outcome = min((timed(text) for _ in range(3)), key=lambda result: result[0])
    print(
        f"ordinary section ({len(text):,} characters, {outcome}): {seconds:.2f} s, "
        f"target {target:g} s, ratio {seconds / target:.2f}"
    )


if __name__ == "__main__":
    main()
