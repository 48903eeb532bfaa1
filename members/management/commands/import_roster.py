from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from members.services import RosterError, roster_import

BUNDLED_ROSTER = Path(__file__).resolve().parents[2] / "data" / "roster.csv"


class Command(BaseCommand):
    help = "Import the Working Group roster from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(BUNDLED_ROSTER), help="CSV file (default: bundled roster)")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
            created, updated = roster_import(text=text, reason=f"Imported from {Path(path).name}")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        except RosterError as error:
            raise CommandError(error.messages[0]) from error
        self.stdout.write(f"Roster: {created} experts added, {updated} updated.")
