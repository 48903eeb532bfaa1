from django.core.management.base import BaseCommand
from django.db import transaction

from search.services.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from every section, proposal, comment and meeting."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = reindex_all()
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {summary}."))
