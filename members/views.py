from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from members.forms import LanguageForm
from members.models import Expert
from members.selectors import directory_members, working_group_seats
from members.services import account_language_set


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The Working Group: every member with organisation, bloc, council membership, and the open seats."""
    members = list(directory_members())
    seats = working_group_seats()
    return render(
        request,
        "members/expert_list.html",
        {
            "members": members,
            "seats": seats,
            "open_seats": range(seats.open),
            "blocs": [(value, label, seats.by_bloc[value]) for value, label in Expert.Bloc.choices],
            "council_count": sum(1 for m in members if m.on_national_council),
        },
    )


@login_not_required  # the sign-in page offers the choice too
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the language of the person's pages and go back where they were.

    A signed-in person's choice is saved on their account (it follows them to other browsers);
    the language cookie keeps it for this browser, so the sign-in page speaks it too. A language
    the portal does not offer changes nothing, and a `next` that leads off the portal is ignored.
    """
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL if request.user.is_authenticated else settings.LOGIN_URL)
    response = redirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            account_language_set(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
