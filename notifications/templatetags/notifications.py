"""{% watch_button "section" section %}: the watch or stop-watching button for the signed-in person."""

from django import template

from notifications.services.watches import is_watching

register = template.Library()


@register.inclusion_tag("notifications/_watch_button.html", takes_context=True)
def watch_button(context, target: str, obj):
    """One query: whether the person watches `obj` (a section, proposal, meeting or the Concept)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    watching = bool(user and user.is_authenticated and is_watching(user, **{target: obj}))
    return {
        "target": target,
        "obj": obj,
        "watching": watching,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
