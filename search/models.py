"""The search index: one row per searchable thing, kept up to date by the services (search.services.index)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class TextSearchVectorField(SearchVectorField):
    """A `tsvector` column on PostgreSQL, an unused text column elsewhere (SQLite has no such type).

    The portal does not install `django.contrib.postgres` (it runs on SQLite too); the field needs
    only the lookups its module registers, so that app's check is not asked for here.
    """

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def _check_postgres_installed(self, *args):
        return []


class SearchEntry(models.Model):
    """A section's current text, a proposal, a comment or a meeting, as search reads it.

    `folded` is the title and text casefolded in Python (`str.casefold()`): SQLite's `lower()` and
    `LIKE` ignore case for ASCII letters only, so "Қазақстан" would not match "қазақстан" there.
    On PostgreSQL `vector` holds the text under the `russian` configuration (stems) and the
    `simple` one (Kazakh and any word as written), with a GIN index, and `folded` carries a
    trigram index for near misses (search/migrations/0002). On SQLite `vector` stays empty.
    `url` is where a result lands: the passage's anchor included.
    """

    class Kind(models.TextChoices):
        SECTION = "section", _("Sections")
        PROPOSAL = "proposal", _("Proposals")
        COMMENT = "comment", _("Comments")
        MEETING = "meeting", _("Meetings")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    concept = models.ForeignKey("drafting.Concept", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("drafting.Section", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateTimeField(_("date"))
    title = models.CharField(_("title"), max_length=500, blank=True)
    text = models.TextField(_("text"), blank=True)
    folded = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    vector = TextSearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["kind", "-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_entry_per_object")]
        indexes = [models.Index(fields=["concept", "kind", "date"], name="search_entry_kind_date_idx")]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"
