"""Export a Concept of 100 sections (~500 KB of Russian and Kazakh text) in each format.

Prints each figure, its target and the ratio (figure / target). Not a test: run it with
`make bench` or `python bench/bench_export.py`. It uses a throw-away in-memory SQLite database.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = "sqlite:///:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kisi_portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from drafting import exports, selectors, services  # noqa: E402
from drafting.models import Concept  # noqa: E402

WORDS = [
    "государственная",
    "политика",
    "межэтнических",
    "отношений",
    "общественное",
    "согласие",
    "диалог",
    "гражданское",
    "общество",
    "Ассамблея",
    "народа",
    "Казахстана",
    "культура",
    "язык",
    "единство",
    "развитие",
    "институты",
    "мониторинг",
    "доверие",
    "қоғамдық",
    "келісім",
    "ұлттық",
    "бірлік",
    "тіл",
    "мәдениет",
    "Қазақстан",
    "халқы",
    "әлеуметтік",
    "өзара",
    "түсіністік",
]
TARGETS = {"html": 1.0, "docx": 3.0, "pdf": 15.0}


def paragraph(rng):
    sentences = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def build():
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create(username="bench")
    concept = Concept.objects.create(title="Concept of state policy in interethnic relations")
    rng = random.Random(1)
    parents = []
    for i in range(100):
        body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(4, 8)))
        parent = parents[-1] if parents and i % 4 else None
        section = services.section_create(
            concept=concept, heading=f"Раздел {i + 1}", body=body, parent=parent, user=user
        )
        if parent is None:
            parents.append(section)
    return concept


def main():
    concept = build()
    snapshot = selectors.document_snapshot(concept)
    size = sum(len(e.body.encode()) for e in snapshot.entries)
    print(f"Concept: {len(snapshot.entries)} sections, {size / 1024:.0f} KB of text")
    print(f"{'format':<6} {'median':>9} {'target':>8} {'ratio':>6}")
    for fmt, render, runs in (
        ("html", exports.export_html, 5),
        ("docx", exports.export_docx, 3),
        ("pdf", exports.export_pdf, 2),
    ):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            render(selectors.document_snapshot(concept))
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"{fmt:<6} {median:>8.2f}s {TARGETS[fmt]:>7.1f}s {median / TARGETS[fmt]:>6.2f}")


if __name__ == "__main__":
    main()
