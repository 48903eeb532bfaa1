"""PostgreSQL only: the GIN index on the search vector, and pg_trgm with a trigram index for near misses.

SQLite keeps the plain columns of 0001 and searches the casefolded text (search.selectors).
"""

from django.db import migrations


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_searchentry USING gin (vector);
CREATE INDEX IF NOT EXISTS search_entry_folded_trgm ON search_searchentry USING gin (folded gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS search_entry_folded_trgm;
DROP INDEX IF EXISTS search_entry_vector_gin;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False)]
