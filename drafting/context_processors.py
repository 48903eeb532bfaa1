from django.core.cache import caches
from django.utils.functional import SimpleLazyObject

# The navigation links to the first Concept; it is looked up once a minute per worker, not on
# every page. The first Concept only changes when it is created (the cache never holds "none").
PORTAL_CONCEPT_SECONDS = 60


def portal_concept(request):
    """The Concept the navigation links to (the portal drafts one Concept at a time)."""
    return {"portal_concept": SimpleLazyObject(navigation_concept)}


def navigation_concept():
    from drafting.models import Concept

    local = caches["local"]
    concept = local.get("portal-concept")
    if concept is None:
        concept = Concept.objects.only("pk", "title").first()
        if concept is not None:
            local.set("portal-concept", concept, PORTAL_CONCEPT_SECONDS)
    return concept
