from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import digests


class Command(BaseCommand):
    help = (
        "Run the daily mail tick now: tomorrow's meeting reminders, the daily digest (and on the weekly "
        "digest's weekday, the weekly one). Safe to repeat: a period's digest goes out once."
    )

    def handle(self, *args, **options):
        sent = digests.tick(now=timezone.now())
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in sent.items()))
