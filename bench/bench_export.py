"""Export a Concept of 100 sections (~500 KB of Russian and Kazakh text) in each format.

The DOCX carries 34 open proposals as tracked changes and 34 comment threads (a user without a seat, so
no notices); the exported DOCX
is then read back as an expert's upload ("docx-readback": markers, accepted changes, Markdown per
section, compared with the exported revisions) and imported as a Word draft ("docx-import":
mammoth, Markdown, the outline). Every section also has a Kazakh text (one in six out of date, one
in twelve missing); an edition is frozen and exported bilingual ("pdf-bilingual", "docx-bilingual":
Russian and Kazakh side by side, both texts rendered) and in Kazakh alone ("pdf-kk").

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
from drafting.markdown import render_markdown  # noqa: E402
from drafting.models import Concept, ParallelText  # noqa: E402
from drafting.selectors.parallel_exports import export_languages  # noqa: E402

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
TARGETS = {
    "html": 1.0,
    "docx": 3.0,
    "pdf": 15.0,
    "docx-readback": 3.0,
    "docx-import": 5.0,
    # Twice the text of the drafting-language file, so twice its targets.
    "pdf-bilingual": 30.0,
    "docx-bilingual": 6.0,
    "pdf-kk": 15.0,
}


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
        if i % 3 == 0:
            words = section.body.split(" ")
            words[5] = "уточнённая"
            services.proposal_create_amendment(
                section=section, author=user, title="Bench", text=" ".join(words), rationale="R", base_version=1
            )
            quote = " ".join(section.body.split(" ")[:3])
            services.comment_add(author=user, body="Note", section=section, quote=quote)
        if i % 12 != 11:
            kazakh = "\n\n".join(paragraph(rng) for _ in section.body.split("\n\n"))
            ParallelText.objects.create(
                section=section,
                language="kk",
                heading=f"Бөлім {i + 1}",
                body=kazakh,
                body_html=render_markdown(kazakh),
                source_version=section.version - (1 if i % 6 == 5 else 0) or None,
            )
    return concept, user


def main():
    from drafting.selectors.word import word_file_changes
    from drafting.word.docx_import import build_outline, parse_docx

    concept, user = build()
    snapshot = selectors.document_snapshot(concept)
    size = sum(len(e.body.encode()) for e in snapshot.entries)
    print(f"Concept: {len(snapshot.entries)} sections, {size / 1024:.0f} KB of text")
    print(f"{'format':<13} {'median':>9} {'target':>8} {'ratio':>6}")
    for fmt, render, runs in (
        ("html", exports.export_html, 5),
        ("docx", exports.export_docx, 3),
        ("pdf", exports.export_pdf, 2),
    ):
        _measure(fmt, lambda render=render: render(selectors.document_snapshot(concept)), runs)
    docx = exports.export_docx(selectors.document_snapshot(concept))
    print(f"(the DOCX is {len(docx) / 1024:.0f} KB)")
    _measure("docx-readback", lambda: word_file_changes(concept=concept, author=user, data=docx), 3)
    _measure("docx-import", lambda: build_outline(parse_docx(docx), section_level=1, subsection_level=2), 3)

    edition = services.edition_freeze(concept=concept, name="Bench edition", user=user)
    bilingual, kazakh = export_languages(concept, "bilingual"), export_languages(concept, "kk")
    for fmt, render, languages, runs in (
        ("pdf-bilingual", exports.export_pdf, bilingual, 2),
        ("docx-bilingual", exports.export_docx, bilingual, 3),
        ("pdf-kk", exports.export_pdf, kazakh, 2),
    ):
        _measure(
            fmt,
            lambda render=render, languages=languages: render(selectors.document_snapshot(concept, edition, languages)),
            runs,
        )


def _measure(fmt, work, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"{fmt:<13} {median:>8.2f}s {TARGETS[fmt]:>7.1f}s {median / TARGETS[fmt]:>6.2f}")


if __name__ == "__main__":
    main()
