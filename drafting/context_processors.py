from django.utils.functional import SimpleLazyObject


def portal_concept(request):
    """The Concept the navigation links to (the portal drafts one Concept at a time)."""
    from drafting.models import Concept

    return {"portal_concept": SimpleLazyObject(lambda: Concept.objects.only("pk", "title").first())}
