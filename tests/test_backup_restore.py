"""Backups restore the whole portal, its history included (deploy/backup.py; `make backup`, `make restore`).

On PostgreSQL: data built through the services (sections with several revisions, proposals, a
position, comments, an edition, a meeting with attendance), backed up with pg_dump -Fc, restored with
pg_restore into a second, freshly created database, and compared table by table (every table, the
historical ones included: row counts, sequences, a checksum of every section body and of every
historical one). On SQLite (runs on both suites): the same round trip through the command line.
"""

import hashlib
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from deploy import backup as backups
from drafting import services
from drafting.models import Position, Section
from tests.factories import make_section

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "backup.py"
BODY = (
    "Казахстан — общий дом для всех народов, живущих на его земле. Государственная политика в сфере "
    "межэтнических отношений опирается на единство в многообразии.\n\nQazaqstan — ortaq üi. "
)


def build_portal_data(concept, expert, other_expert, coordinator):
    """A small Concept with real history: every write goes through the services."""
    sections = []
    for i in range(3):
        section = make_section(concept, f"Раздел {i + 1}", BODY * (i + 1), user=coordinator)
        for n in range(4):
            section.refresh_from_db()
            services.section_edit(
                section=section,
                base_version=section.version,
                body=f"{section.body}Правка {n} ({'ә' * n}).",
                user=(expert, other_expert)[n % 2],
                summary=f"правка {n}",
            )
        sections.append(section)
    first = Section.objects.get(pk=sections[0].pk)
    proposal = services.proposal_create_amendment(
        section=first,
        author=other_expert,
        title="Единство",
        text=first.body.replace("единство", "согласие"),
        rationale="Точнее.",
        base_version=first.version,
    )
    services.position_record(proposal=proposal, expert=expert.expert, stance=Position.Stance.SUPPORT)
    services.position_record(
        proposal=proposal, expert=coordinator.expert, stance=Position.Stance.OBJECT, reason="Шире, чем нужно."
    )
    services.comment_add(author=expert, body="**Согласна**, но см. выше.", section=first, quote="общий дом")
    services.comment_add(author=coordinator, body="Обсудим на заседании.", proposal=proposal)
    services.edition_freeze(concept=concept, name="Проект 0.1", user=coordinator)
    meeting = services.meeting_schedule(
        concept=concept, user=coordinator, title="Заседание 1", starts_at=timezone.now(), proposals=[proposal]
    )
    services.meeting_update(
        meeting=meeting, user=coordinator, attendees=[expert.expert, other_expert.expert], minutes="Протокол."
    )
    services.proposal_merge(proposal=proposal, merged_by=coordinator, override_reason="Возражение снято на заседании.")
    return sections


def digest(rows) -> str:
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


# -- PostgreSQL ---------------------------------------------------------------------------------


def pg_snapshot(db: dict) -> dict:
    """Row counts of every table, the sequences, and checksums of every section body, current and historical."""
    section, historical = Section._meta.db_table, Section.history.model._meta.db_table
    conn = backups.pg_connect(db)
    try:
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
            tables = [row[0] for row in cursor.fetchall()]
            counts = {}
            for table in tables:
                cursor.execute(f'SELECT count(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1")
            sequences = dict(cursor.fetchall())
            cursor.execute(f'SELECT id, version, md5(body) FROM "{section}" ORDER BY id')
            bodies = digest(cursor.fetchall())
            cursor.execute(f'SELECT history_id, id, version, md5(body) FROM "{historical}" ORDER BY history_id')
            history = digest(cursor.fetchall())
    finally:
        conn.close()
    return {"counts": counts, "sequences": sequences, "bodies": bodies, "history": history}


@pytest.fixture
def scratch_database(transactional_db):
    """A second, empty PostgreSQL database next to the test database; dropped at the end."""
    db = dict(connection.settings_dict, NAME=f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}")
    admin = backups.pg_connect(connection.settings_dict)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
        yield db
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.close()


@pytest.mark.postgresql
def test_postgresql_backup_restores_every_table_and_every_revision(
    scratch_database, concept, expert, other_expert, coordinator, tmp_path
):
    build_portal_data(concept, expert, other_expert, coordinator)
    source = dict(connection.settings_dict)
    before = pg_snapshot(source)
    historical = Section.history.model._meta.db_table
    assert before["counts"][historical] >= 15  # 3 sections x 5 revisions, and the merge
    assert before["counts"]["drafting_historicalmeeting_attendees"] > 0

    started = time.perf_counter()
    path = backups.backup(source, tmp_path / "backups")
    backed_up = time.perf_counter() - started
    assert re.fullmatch(r"kisi-postgresql-\d{4}-\d\d-\d\d-\d{6}\.dump", path.name), path.name
    assert path.read_bytes().startswith(b"PGDMP")
    assert list(path.parent.iterdir()) == [path]  # no partial file left behind

    with pytest.raises(backups.BackupError, match="Refusing to restore"):
        backups.restore(source, path)  # the source has tables

    started = time.perf_counter()
    backups.restore(scratch_database, path)
    restored = time.perf_counter() - started
    after = pg_snapshot(scratch_database)

    assert after["counts"] == before["counts"]
    assert after["sequences"] == before["sequences"]
    assert after["bodies"] == before["bodies"]
    assert after["history"] == before["history"]
    print(
        f"\nPostgreSQL backup: {len(before['counts'])} tables, {sum(before['counts'].values())} rows "
        f"({before['counts'][historical]} section revisions), {path.stat().st_size / 1024:.0f} KB; "
        f"pg_dump {backed_up:.2f} s, pg_restore {restored:.2f} s"
    )

    # Restoring again over the restored copy needs FORCE, and then gives the same database.
    with pytest.raises(backups.BackupError, match="already has"):
        backups.restore(scratch_database, path)
    backups.restore(scratch_database, path, force=True)
    assert pg_snapshot(scratch_database) == before


# -- SQLite (both suites) -----------------------------------------------------------------------

SQLITE_BUILD = """
from django.core.management import call_command
from django.utils import timezone
from drafting import services
from drafting.models import Section
from members.models import Expert

call_command("seed_portal", verbosity=0)
experts = list(Expert.objects.select_related("user").order_by("pk")[:2])
for n, section in enumerate(Section.objects.order_by("pk")[:4]):
    for k in range(3):
        section.refresh_from_db()
        services.section_edit(
            section=section, base_version=section.version, body=f"{section.body} Правка {k}.",
            user=experts[k % 2].user, summary=f"правка {k}",
        )
coordinator = experts[0].user
meeting = services.meeting_schedule(
    concept=Section.objects.first().concept, user=coordinator, title="Заседание", starts_at=timezone.now()
)
services.meeting_update(meeting=meeting, user=coordinator, attendees=experts, minutes="Протокол.")
"""


def run_portal(args: list[str], db_path: Path, **extra) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", DEBUG="true", LOG_LEVEL="WARNING", **extra)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return result


def sqlite_snapshot(path: Path) -> dict:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        bodies = digest(conn.execute("SELECT id, version, body FROM drafting_section ORDER BY id"))
        history = digest(
            conn.execute("SELECT history_id, id, version, body FROM drafting_historicalsection ORDER BY history_id")
        )
    finally:
        conn.close()
    return {"counts": counts, "bodies": bodies, "history": history}


def migrated(path: Path, *builds: str) -> Path:
    for args in (["manage.py", "migrate", "--noinput", "-v0"], *(["manage.py", "shell", "-c", b] for b in builds)):
        result = run_portal(args, path)
        assert result.returncode == 0, result.stderr[-3000:]
    return path


@pytest.fixture(scope="module")
def sqlite_portal(tmp_path_factory):
    """A SQLite portal database with the starter Concept, revisions and a meeting with attendance."""
    return migrated(tmp_path_factory.mktemp("portal") / "portal.sqlite3", SQLITE_BUILD)


def test_sqlite_backup_round_trip_through_the_command_line(sqlite_portal, tmp_path):
    source = sqlite_portal
    before = sqlite_snapshot(source)
    assert before["counts"]["drafting_historicalsection"] >= before["counts"]["drafting_section"] + 12

    result = run_portal([str(SCRIPT), "backup", "--dir", str(tmp_path / "backups")], source)
    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "backups").iterdir()
    assert re.fullmatch(r"kisi-sqlite-\d{4}-\d\d-\d\d-\d{6}\.sqlite3", path.name), path.name
    assert str(path) in result.stdout

    target = tmp_path / "restored.sqlite3"  # missing: an empty database
    result = run_portal([str(SCRIPT), "restore", str(path)], target)
    assert result.returncode == 0, result.stderr
    assert sqlite_snapshot(target) == before

    # A database with tables is refused with a clear message, unless --force.
    conn = sqlite3.connect(target)
    with conn:
        conn.execute("DELETE FROM drafting_historicalsection")
    conn.close()
    result = run_portal([str(SCRIPT), "restore", str(path)], target)
    assert result.returncode == 1
    assert "Refusing to restore" in result.stderr and "--force" in result.stderr
    result = run_portal([str(SCRIPT), "restore", str(path), "--force"], target)
    assert result.returncode == 0, result.stderr
    assert sqlite_snapshot(target) == before

    # A backup of one kind never goes into a database of the other.
    env = dict(os.environ, DATABASE_URL="postgres:///kisi_never_touched")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "restore", str(path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "is a sqlite backup, but DATABASE_URL names a postgresql database" in result.stderr


def test_uploaded_files_are_backed_up_beside_the_database_and_restored_with_it(sqlite_portal, tmp_path):
    media = tmp_path / "media"
    (media / "imports" / "1").mkdir(parents=True)
    original = media / "imports" / "1" / "draft.docx"
    original.write_bytes(b"PK\x03\x04 the group's Word draft")
    (media / "word-uploads" / "7").mkdir(parents=True)
    (media / "word-uploads" / "7" / "waiting.docx").write_bytes(b"an upload waiting for its preview")

    backups = tmp_path / "backups"
    result = run_portal([str(SCRIPT), "backup", "--dir", str(backups)], sqlite_portal, MEDIA_ROOT=str(media))
    assert result.returncode == 0, result.stderr
    archive, database = sorted(backups.iterdir())  # kisi-media-… sorts before kisi-sqlite-…
    assert archive.name == database.name.replace("kisi-sqlite-", "kisi-media-").replace(".sqlite3", ".tar.gz")
    assert str(archive) in result.stdout

    restored_media = tmp_path / "restored-media"
    result = run_portal(
        [str(SCRIPT), "restore", str(database)], tmp_path / "restored.sqlite3", MEDIA_ROOT=str(restored_media)
    )
    assert result.returncode == 0, result.stderr
    assert (restored_media / "imports" / "1" / "draft.docx").read_bytes() == original.read_bytes()
    assert not (restored_media / "word-uploads").exists()


def test_dumpdata_is_not_a_backup_of_the_history(sqlite_portal, tmp_path):
    """loaddata replays the meeting's attendance, and django-simple-history records it as a new change.

    On SQLite that invents a history row nobody made; on PostgreSQL the invented row takes
    history_id 1 from a sequence loaddata has not moved yet, and the load fails on a duplicate
    history_id (drafting_historicalmeeting_pkey). Either way dumpdata/loaddata is not a backup.
    """
    dump = tmp_path / "dump.json"
    result = run_portal(["manage.py", "dumpdata", "-o", str(dump)], sqlite_portal)
    assert result.returncode == 0, result.stderr[-3000:]
    fresh = migrated(tmp_path / "fresh.sqlite3")
    result = run_portal(["manage.py", "loaddata", str(dump)], fresh)
    assert result.returncode == 0, result.stderr[-3000:]
    table = "drafting_historicalmeeting"
    assert sqlite_snapshot(fresh)["counts"][table] > sqlite_snapshot(sqlite_portal)["counts"][table]
