"""The home page (where the draft stands) and the activity feed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from drafting import selectors, services


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    concept = selectors.home_concept()
    if concept is None:
        return render(request, "drafting/concept_none.html")
    return render(
        request, "drafting/dashboard.html", {"concept": concept, "board": selectors.dashboard(concept, request.user)}
    )


@require_safe
def activity(request: HttpRequest) -> HttpResponse:
    """What changed since my last visit: everyone's activity, newest first, and my notices."""
    previous_visit = services.last_visit_touch(user=request.user)
    activities, notices = selectors.activity_feed(request.user)
    return render(
        request,
        "drafting/activity.html",
        {"activities": activities, "notices": notices, "previous_visit": previous_visit},
    )
