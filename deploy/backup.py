"""Back up the portal's database, and restore a backup into an empty database.

    python deploy/backup.py backup [--dir backups] [--keep-days N]
    python deploy/backup.py restore FILE [--force]

(`make backup` and `make restore FILE=... [FORCE=1]` call these.) The database is the portal's own:
DATABASE_URL read the way kisi_portal/settings.py reads it (empty or unset: the SQLite file
db.sqlite3 next to manage.py).

- PostgreSQL: `pg_dump -Fc` (custom format: compressed, restorable table by table), restored with
  `pg_restore --no-owner` in one transaction, so a failed restore leaves the database as it was.
- SQLite: SQLite's online backup API (`sqlite3.Connection.backup`), a consistent copy even while
  the portal writes; never a file copy, which can catch a write half done.

The file name says the kind and the local date and time (TIME_ZONE, default Asia/Almaty):
backups/kisi-postgresql-2026-06-12-023000.dump, backups/kisi-sqlite-2026-06-12-023000.sqlite3.

A restore goes into an empty database (create it first: `createdb kisi`, or a missing SQLite
file) and refuses one that already has tables, unless --force: then PostgreSQL drops and recreates
the objects the backup holds (`pg_restore --clean --if-exists`), and SQLite's file is overwritten.
Stop the portal (gunicorn and the worker) before a restore, and start it after.

Uploaded files (MEDIA_ROOT: the Word drafts a coordinator imported) go beside the database, in
kisi-media-<the same date and time>.tar.gz, when there are any; a restore puts them back into
MEDIA_ROOT when that archive lies next to the database backup it restores.

History is part of the data: every table is dumped, the django-simple-history tables included,
with their ids and the sequences behind them. `manage.py dumpdata` is not a backup (see README).
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dj_database_url

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "kisi"
KINDS = {"postgresql": ".dump", "sqlite": ".sqlite3"}
MEDIA = ("media", ".tar.gz")  # the uploaded files' archive, named like the database backup beside it
PG_MAGIC = b"PGDMP"  # pg_dump's custom format
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A problem the person running the command can act on; printed without a traceback."""


def database_from_env() -> dict:
    """The portal's database settings, parsed as kisi_portal/settings.py parses them."""
    return dj_database_url.parse(os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'db.sqlite3'}")


def media_root() -> Path:
    """Where uploaded files live, read as kisi_portal/settings.py reads MEDIA_ROOT."""
    return Path(os.environ.get("MEDIA_ROOT") or ROOT / "media")


def media_archive_for(backup_file: Path) -> Path:
    """The uploaded files' archive that belongs to a database backup (the same date and time)."""
    for kind, suffix in KINDS.items():
        prefix = f"{PREFIX}-{kind}-"
        if backup_file.name.startswith(prefix) and backup_file.name.endswith(suffix):
            stamp = backup_file.name[len(prefix) : -len(suffix)]
            return backup_file.with_name(f"{PREFIX}-{MEDIA[0]}-{stamp}{MEDIA[1]}")
    return backup_file.with_name(backup_file.name + MEDIA[1])


def media_backup(target: Path) -> Path | None:
    media = media_root()
    if not media.is_dir() or not any(path.name != "word-uploads" for path in media.iterdir()):
        return None
    archive = media_archive_for(target)
    partial = archive.with_name(archive.name + ".partial")
    try:
        with tarfile.open(partial, "w:gz") as tar:
            # Uploads waiting for their preview are not worth keeping: only what was imported is.
            tar.add(media, arcname=".", filter=lambda info: None if info.name.startswith("./word-uploads") else info)
        partial.rename(archive)
    finally:
        partial.unlink(missing_ok=True)
    return archive


def media_restore(source: Path) -> Path | None:
    archive = media_archive_for(source)
    if not archive.is_file():
        return None
    media = media_root()
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(media, filter="data")  # no absolute paths, no way out of MEDIA_ROOT
    return archive


def kind_of(db: dict) -> str:
    engine = db.get("ENGINE", "")
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine or 'this DATABASE_URL'}.")


def backup_name(kind: str, now: datetime | None = None) -> str:
    zone = ZoneInfo(os.environ.get("TIME_ZONE") or "Asia/Almaty")
    local = (now or datetime.now(zone)).astimezone(zone)
    return f"{PREFIX}-{kind}-{local:%Y-%m-%d-%H%M%S}{KINDS[kind]}"


# -- PostgreSQL ---------------------------------------------------------------------------------


def pg_env(db: dict) -> dict:
    """libpq's environment for this database, so no password appears on a command line."""
    env = dict(os.environ)
    for key, var in (("NAME", "PGDATABASE"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def pg_connect(db: dict):
    import psycopg2

    params = {"dbname": db["NAME"], "user": db.get("USER") or None, "password": db.get("PASSWORD") or None}
    params |= {"host": db.get("HOST") or None, "port": db.get("PORT") or None}
    params |= {k: v for k, v in (db.get("OPTIONS") or {}).items() if k == "sslmode"}
    try:
        return psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    except psycopg2.OperationalError as error:
        raise BackupError(
            f"Cannot connect to PostgreSQL database {db['NAME']!r}: {str(error).strip()}\n"
            f"(A restore needs the database to exist: createdb {db['NAME']})"
        ) from error


def pg_tables(db: dict) -> list[str]:
    connection = pg_connect(db)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()


def pg_backup(db: dict, target: Path) -> None:
    run(["pg_dump", "--format=custom", "--file", str(target)], pg_env(db))


def pg_restore(db: dict, source: Path, force: bool) -> None:
    command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", "--dbname", db["NAME"]]
    if force:
        command[1:1] = ["--clean", "--if-exists"]
    run([*command, str(source)], pg_env(db))
    # A restored database has no planner statistics; without them PostgreSQL can choose slow plans
    # until autovacuum (if it runs at all) gets to the tables.
    connection = pg_connect(db)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        connection.close()


def run(command: list[str], env: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed (exit {result.returncode}):\n{result.stderr.strip()}")


# -- SQLite -------------------------------------------------------------------------------------


def sqlite_path(db: dict) -> Path:
    name = str(db.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database must be a file, not {name or 'empty'}.")
    return Path(name)


def sqlite_tables(path: Path) -> list[str]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
        return [row[0] for row in rows]
    finally:
        connection.close()


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API, and check the copy."""
    if not source.exists():
        raise BackupError(f"There is no SQLite database at {source}.")
    src = sqlite3.connect(source)  # only read; opened read-write so a WAL-mode database opens too
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        (check,) = dst.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise BackupError(f"The copy at {target} failed SQLite's integrity check: {check}")
    finally:
        dst.close()
        src.close()


# -- commands -----------------------------------------------------------------------------------


def backup(db: dict, directory: Path, keep_days: int | None = None) -> Path:
    """Write a timestamped backup of `db` into `directory` and return its path.

    The dump is written under a temporary name and renamed when complete, so a file with a
    backup's name is always a whole backup.
    """
    kind = kind_of(db)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / backup_name(kind)
    while target.exists():  # two backups in the same second
        time.sleep(1)
        target = directory / backup_name(kind)
    partial = target.with_name(target.name + ".partial")
    try:
        if kind == "postgresql":
            pg_backup(db, partial)
        else:
            sqlite_copy(sqlite_path(db), partial)
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    media_backup(target)
    if keep_days is not None:
        prune(directory, keep_days, keep=target)
    return target


def prune(directory: Path, keep_days: int, keep: Path) -> list[Path]:
    """Delete this command's backups older than `keep_days` days (never `keep`, the newest)."""
    cutoff = time.time() - keep_days * 86400
    removed = []
    kept = {keep, media_archive_for(keep)}
    for kind, suffix in [*KINDS.items(), MEDIA]:
        for path in directory.glob(f"{PREFIX}-{kind}-*{suffix}"):
            if path not in kept and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
    return removed


def restore(db: dict, source: Path, force: bool = False) -> None:
    """Restore the backup at `source` into `db`, which must be empty unless `force`."""
    kind = kind_of(db)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    found = "postgresql" if head.startswith(PG_MAGIC) else "sqlite" if head == SQLITE_MAGIC else None
    if found is None:
        raise BackupError(f"{source} is neither a pg_dump custom-format file nor a SQLite database.")
    if found != kind:
        raise BackupError(f"{source} is a {found} backup, but DATABASE_URL names a {kind} database.")
    if kind == "postgresql":
        tables = pg_tables(db)
        where = f"PostgreSQL database {db['NAME']!r}"
    else:
        tables = sqlite_tables(sqlite_path(db))
        where = f"SQLite database {sqlite_path(db)}"
    if tables and not force:
        raise BackupError(
            f"Refusing to restore: the {where} already has {len(tables)} tables ({', '.join(tables[:3])}, ...).\n"
            "Restore into an empty database, or pass --force (make restore FORCE=1) to replace what the backup holds."
        )
    if kind == "postgresql":
        pg_restore(db, source, force)
    else:
        sqlite_copy(source, sqlite_path(db))
    media_restore(source)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a timestamped backup of DATABASE_URL's database")
    make.add_argument("--dir", type=Path, default=ROOT / "backups", help="where to write it (default: backups/)")
    make.add_argument("--keep-days", type=int, help="then delete this command's backups older than N days")
    back = commands.add_parser("restore", help="restore a backup into DATABASE_URL's (empty) database")
    back.add_argument("file", type=Path)
    back.add_argument("--force", action="store_true", help="restore into a database that already has tables")
    args = parser.parse_args(argv)

    db = database_from_env()
    started = time.perf_counter()
    try:
        if args.command == "backup":
            path = backup(db, args.dir, args.keep_days)
            size = path.stat().st_size
            print(f"Backed up to {path} ({size / 1024:.0f} KB, {time.perf_counter() - started:.1f} s)")
            if (media := media_archive_for(path)).is_file():
                print(f"Uploaded files: {media} ({media.stat().st_size / 1024:.0f} KB)")
        else:
            restore(db, args.file, args.force)
            print(f"Restored {args.file} into {db['NAME']} ({time.perf_counter() - started:.1f} s)")
    except BackupError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
