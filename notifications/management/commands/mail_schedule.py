from django.core.management.base import BaseCommand

from notifications.tasks import schedule_next_tick


class Command(BaseCommand):
    help = "Queue the daily mail tick (digests, meeting reminders) unless one is already waiting."

    def handle(self, *args, **options):
        if schedule_next_tick():
            self.stdout.write("The daily mail tick is queued.")
        else:
            self.stdout.write("The daily mail tick was already queued.")
