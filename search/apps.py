from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(index_existing_records, sender=self)


def index_existing_records(sender, using="default", **kwargs):
    """After `migrate`: a database that has sections but an empty index (one that existed before
    search did, or was restored from a backup without it) is indexed once. Two queries otherwise."""
    from drafting.models import Section
    from search.models import SearchEntry
    from search.services.index import reindex_all

    if SearchEntry.objects.using(using).exists() or not Section.objects.using(using).exists():
        return
    reindex_all()
