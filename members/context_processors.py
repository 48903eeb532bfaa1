from django.conf import settings


def current_expert(request):
    """The signed-in person's Working Group profile, for the header (None for staff-only accounts)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_expert": getattr(user, "expert", None)}


def portal_languages(request):
    """The languages the switcher offers, each named in itself.

    Django's own {% get_available_languages %} would translate the names ("English" reads
    "Ағылшын" on a Kazakh page); a reader looking for their language must find it written in it.
    """
    return {"portal_languages": settings.LANGUAGES}
