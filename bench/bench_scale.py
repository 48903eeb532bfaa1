"""How the section pages and the merge queue scale with a section's history and the open proposals.

Builds, through the services (so every history row is real), two sections of about 10 KB
(10,000 characters) of Russian text, one with 40 revisions and one with 400, each revision
changing a few words of one paragraph; and a section with 3, then 30, open proposals, each
amending different words from a different base revision. Then it times, in-process with
django.test.Client as a signed-in coordinator, the median of several views of:

- the history page, the compare page (revision 1 against the latest), cold attribution (the first
  view after an edit, with the cache cleared), the section page and a save (a POST to the edit
  form): 400 revisions against 40, target <= 1.2 (the cost must not grow with the history);
- the merge queue: 30 open proposals against 3, target <= 10 (linear in what it shows).

The two sides of each ratio are timed in turn (40, 400, 40, ...), so other work on the machine
weighs on both alike. The history's edits keep to the same passages (every 20th word), so
revision 1 and the latest differ by about as many words at 40 revisions as at 400, and the compare
figure measures the history's length, not a bigger diff.

Prints each figure, its target and the ratio, and MISSED next to a missed target. Not a test: it
exits 0 either way. Run it with `make bench` or `python bench/bench_scale.py`.

It runs on a throw-away SQLite file in a temporary folder with DEBUG off (as in production), or,
when BENCH_DATABASE_URL is set, on that database, which must be a throw-away one: it is emptied
(flush) at the start. bench/bench_serve.py reuses the helpers below.
"""

import atexit
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORKDIR = Path(tempfile.mkdtemp(prefix="kisi-bench-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)

# The portal reads its settings from the environment; these are the bench process's own, never the
# caller's database. bench_serve.py passes the same environment to gunicorn.
os.environ.update(
    DJANGO_SETTINGS_MODULE="bench.settings",
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORKDIR / 'bench.sqlite3'}",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="127.0.0.1,testserver",
    CSRF_TRUSTED_ORIGINS="http://127.0.0.1",
    SECURE_SSL_REDIRECT="false",  # plain http on loopback
    BENCH_STATIC_ROOT=str(WORKDIR / "static"),
    LOG_LEVEL="WARNING",
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from drafting import services  # noqa: E402
from drafting.models import Concept, Section  # noqa: E402
from members.models import Expert, Organisation  # noqa: E402
from members.services import expert_set_groups  # noqa: E402

SECTION_CHARS = 10_000
HOT_STRIDE = 20  # the history's edits fall on every 20th word: about 60 words of a section
RUNS = 9  # views timed per figure (median), fewer when a figure is slow
MIN_RUNS = 3
BUDGET_S = 6.0  # per figure, once MIN_RUNS are done

WORDS = (  # noqa: SIM905 (prose is easier to read and edit than a list of words)
    "государственная политика межэтнических отношений общественное согласие единство народа "
    "Казахстана гражданская идентичность диалог культур доверие традиции языки этносов "
    "Ассамблея народа Казахстана институты гражданского общества местные исполнительные органы "
    "мониторинг оценка рисков конфликтов профилактика предупреждение молодежь образование "
    "государственный язык русский язык изучение родных языков средства массовой информации "
    "развитие регионов миграция адаптация интеграция права свободы граждан равенство "
    "независимо от происхождения национальности вероисповедания обеспечение меры задачи "
    "принципы направления механизмы реализации концепции в на и по для с при о не также "
    "должны обеспечить поддержку укрепление сохранение взаимопонимания толерантности"
).split()


# --- Data ---------------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.4:
        words[rng.randrange(2, len(words) - 1)] += ","
    return " ".join(words).capitalize() + "."


def russian_text(rng: random.Random, chars: int = SECTION_CHARS) -> str:
    """Paragraphs of 3 to 7 sentences, about `chars` characters in all."""
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < chars:
        paragraphs.append(" ".join(sentence(rng) for _ in range(rng.randint(3, 7))))
    return "\n\n".join(paragraphs)


def change_words(
    text: str,
    rng: random.Random,
    *,
    paragraph: int | None = None,
    part: tuple[int, int] | None = None,
    count: int | None = None,
) -> str:
    """Replace a few words of one paragraph, keeping their punctuation.

    Without `part`, the words are among every HOT_STRIDE-th word (the passages the group keeps
    reworking), so revision 1 and the latest differ by about as many words after 40 revisions as
    after 400, and the compare figure measures the history's length rather than a bigger diff. With
    `part=(k, parts)`, they are other words of the k-th of `parts` slices of the paragraph (proposals).
    """
    paragraphs = text.split("\n\n")
    i = rng.randrange(len(paragraphs)) if paragraph is None else paragraph % len(paragraphs)
    words = paragraphs[i].split(" ")
    if part is None:
        candidates = list(range(HOT_STRIDE // 2, len(words), HOT_STRIDE))
    else:
        k, parts = part
        candidates = [
            j
            for j in range(len(words) * k // parts, len(words) * (k + 1) // parts)
            if j % HOT_STRIDE != HOT_STRIDE // 2
        ]
    for j in rng.sample(candidates, min(count or rng.randint(2, 4), len(candidates))):
        core = words[j].rstrip(".,")
        replacement = rng.choice(WORDS)
        words[j] = (replacement if replacement != core.lower() else replacement + "ы") + words[j][len(core) :]
    paragraphs[i] = " ".join(words)
    return "\n\n".join(paragraphs)


def words_changed(old: str, new: str) -> int:
    """Words replaced between two revisions (the benchmark's edits only ever replace words)."""
    return sum(a != b for a, b in zip(old.split(), new.split(), strict=True))


def prepare_database() -> None:
    """Migrate the throw-away database (emptying a given one) and collect static files (DEBUG is off)."""
    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)  # post_migrate rebuilds the role groups
    call_command("collectstatic", interactive=False, verbosity=0)


def make_members(count: int = 25):
    """A Working Group: the first member is a coordinator, the others experts; returns the users."""
    User = get_user_model()
    organisation = Organisation.objects.create(name="Казахстанский институт стратегических исследований")
    users = []
    for n in range(count):
        user = User.objects.create(username=f"bench-{n}", email=f"bench-{n}@example.kz")
        expert = Expert.objects.create(
            user=user,
            full_name=f"Эксперт {n}",
            organisation=organisation,
            bloc=Expert.Bloc.SCIENTIFIC if n % 2 else Expert.Bloc.PRACTITIONER,
            role=Expert.Role.COORDINATOR if n == 0 else Expert.Role.EXPERT,
        )
        expert_set_groups(expert)
        users.append(user)
    return users


def edit(section: Section, body: str, user, summary: str = "Уточнение формулировок") -> Section:
    outcome = services.section_edit(
        section=section, base_version=section.version, body=body, user=user, summary=summary
    )
    assert outcome.status == "saved", outcome.status
    return outcome.section


def make_section(
    concept: Concept,
    heading: str,
    revisions: int,
    users,
    rng: random.Random,
    *,
    parent: Section | None = None,
    chars: int = SECTION_CHARS,
) -> Section:
    """A section of about `chars` characters whose history has `revisions` revisions, by members in turn."""
    body = russian_text(rng, chars)
    section = services.section_create(concept=concept, heading=heading, body=body, parent=parent, user=users[0])
    for version in range(2, revisions + 1):
        body = change_words(body, rng)
        section = edit(section, body, users[version % len(users)], f"Правка {version}")
    return section


def add_proposals(section: Section, users, count: int) -> None:
    """Open proposals on `section`, each changing its own words, each against a different revision."""
    for n in range(count):
        rng = random.Random(1000 + n)
        base_version = 1 + (n * 7) % section.version
        base = section.history.get(version=base_version).body
        paragraphs = base.count("\n\n") + 1
        text = change_words(base, rng, paragraph=n, part=((n // paragraphs) % 3, 3), count=2)
        services.proposal_create_amendment(
            section=section,
            author=users[1 + n % (len(users) - 1)],
            title=f"Поправка {n + 1}",
            text=text,
            rationale="Точнее отражает позицию рабочей группы.",
            base_version=base_version,
        )


# --- Timing -------------------------------------------------------------------------------

Step = tuple[Callable[[], object], Callable[[], object] | None]  # (view, untimed preparation or None)


def paired_ms(small: Step, large: Step) -> tuple[float, float]:
    """Median times in ms of two views timed in turn (small, large, small, ...), so that other work
    on the machine weighs on both alike; each one's preparation runs untimed before it."""
    times: tuple[list[float], list[float]] = ([], [])
    started = time.perf_counter()
    while len(times[1]) < RUNS and (len(times[1]) < MIN_RUNS or time.perf_counter() - started < BUDGET_S):
        for (view, prepare), series in zip((small, large), times, strict=True):
            if prepare is not None:
                prepare()
            t0 = time.perf_counter()
            view()
            series.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def report(name: str, small_label: str, small: float, large_label: str, large: float, target: float) -> None:
    ratio = large / small
    missed = "  MISSED" if ratio > target else ""
    print(
        f"{name:<22} {small_label}: {small:8.1f} ms  {large_label}: {large:8.1f} ms  "
        f"ratio {ratio:5.2f}  (target <= {target:g}){missed}",
        flush=True,
    )


def signed_in_with_second_factor(client: Client, user) -> None:
    """The session as after the code step: a confirmed authenticator, verified in this session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def get(client: Client, url: str) -> Callable[[], object]:
    def view():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.get("Location"))

    view()  # warm up (and check) once, untimed
    return view


def section_steps(client: Client, section: Section, user, rng: random.Random) -> dict[str, Step]:
    """What is timed on one section, in the order it runs: the read-only pages first."""

    def fresh_edit():
        current = Section.objects.get(pk=section.pk)
        edit(current, change_words(current.body, rng), user)
        cache.clear()

    edit_url = reverse("drafting:section-edit", args=[section.pk])
    form = {}

    def next_form():
        current = Section.objects.get(pk=section.pk)
        form.update(body=change_words(current.body, rng), base_version=current.version, summary="Уточнение")

    def save():
        response = client.post(edit_url, form)
        assert response.status_code == 302, (edit_url, response.status_code)  # saved: back to the section
        assert Section.objects.filter(pk=section.pk, version=form["base_version"] + 1).exists()

    return {
        "history page": (get(client, reverse("drafting:section-history", args=[section.pk])), None),
        "compare page": (
            get(client, reverse("drafting:section-compare", args=[section.pk]) + f"?from=1&to={section.version}"),
            None,
        ),
        "section page": (get(client, reverse("drafting:section-detail", args=[section.pk])), None),
        # The first view after an edit: a new revision, and nothing cached.
        "cold attribution": (get(client, reverse("drafting:section-attribution", args=[section.pk])), fresh_edit),
        "save (edit form POST)": (save, next_form),
    }


def main() -> None:
    started = time.perf_counter()
    prepare_database()
    users = make_members()
    title = "Концепция государственной политики в сфере межэтнических отношений"
    concept = Concept.objects.create(title=title)
    # The same text and edits: the first 40 revisions of the long history are the short one.
    small = make_section(concept, "Раздел 1. Общие положения", 40, users, random.Random(1))
    large = make_section(concept, "Раздел 2. Цели и задачи", 400, users, random.Random(1))
    # One more revision brings the long section to the short one's text, so that "revision 1
    # against the latest" is the same diff on both, and only the length of the history differs.
    large = edit(large, small.body, users[1])
    # Two Concepts with the same section, one with 3 open proposals, one with 30 (their first 3 the same).
    queues = []
    for count in (3, 30):
        queue_concept = Concept.objects.create(title=f"{title} ({count})")
        add_proposals(make_section(queue_concept, "Раздел 1. Принципы", 40, users, random.Random(5)), users, count)
        queues.append(queue_concept)
    first = small.history.get(version=1).body
    print(
        f"sections of {len(small.body):,} characters with {small.version} and {large.version} revisions "
        f"({words_changed(first, small.body)} and {words_changed(first, large.body)} words changed since "
        f"revision 1), and 3 and 30 open proposals: built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    client = Client()
    client.force_login(users[0])  # the coordinator: may edit, and sees the merge queue
    signed_in_with_second_factor(client, users[0])  # coordinators owe a second factor (members.two_factor)
    steps_small = section_steps(client, small, users[1], random.Random(2))
    steps_large = section_steps(client, large, users[1], random.Random(2))
    figures = {name: paired_ms(steps_small[name], steps_large[name]) for name in steps_small}
    for name in ("history page", "compare page", "cold attribution", "section page", "save (edit form POST)"):
        report(name, "40 rev", figures[name][0], "400 rev", figures[name][1], 1.2)

    three, thirty = paired_ms(*((get(client, reverse("drafting:merge-queue", args=[c.pk])), None) for c in queues))
    report("merge queue", " 3 open", three, "30 open", thirty, 10)
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
