"""Each section history row records its size, its size change and the origin of each paragraph,
and is found by (section, revision) through an index.

Existing rows are filled in by walking each section's history once, oldest first, with the
same step the services take on every save; no row's own fields are changed.
"""

from django.db import migrations, models

from drafting.text import attribute_step


def fill_in(apps, schema_editor):
    HistoricalSection = apps.get_model("drafting", "HistoricalSection")
    rows = HistoricalSection.objects.order_by("id", "history_id").only("history_id", "id", "version", "body")
    batch, previous_id, previous_size, attributed = [], None, 0, []
    for row in rows.iterator(chunk_size=500):
        if row.id != previous_id:
            previous_id, previous_size, attributed = row.id, 0, []
        attributed = attribute_step(attributed, row.body, row.version)
        row.size = len(row.body)
        row.size_change = row.size - previous_size
        row.paragraph_origins = [origin for _paragraph, origin in attributed]
        previous_size = row.size
        batch.append(row)
        if len(batch) >= 500:
            HistoricalSection.objects.bulk_update(batch, ["size", "size_change", "paragraph_origins"])
            batch = []
    HistoricalSection.objects.bulk_update(batch, ["size", "size_change", "paragraph_origins"])


class Migration(migrations.Migration):
    dependencies = [("drafting", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="historicalsection",
            name="size",
            field=models.PositiveIntegerField(default=0, verbose_name="size in characters"),
        ),
        migrations.AddField(
            model_name="historicalsection",
            name="size_change",
            field=models.IntegerField(default=0, verbose_name="size change"),
        ),
        migrations.AddField(
            model_name="historicalsection",
            name="paragraph_origins",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="origin of each paragraph"),
        ),
        migrations.AddIndex(
            model_name="historicalsection",
            index=models.Index(fields=["id", "version"], name="section_revision_idx"),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
