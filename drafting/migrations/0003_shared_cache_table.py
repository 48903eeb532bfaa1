"""The shared cache lives in a table of the portal's database (settings.CACHES), so `migrate`
creates it: a fresh machine, CI and production need no extra step."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("drafting", "0002_revision_size_and_attribution")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
