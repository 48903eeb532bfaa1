"""Notices (read and unread), watches, mail settings, unsubscribe links and the @mention names."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from drafting.models import Concept, Meeting, Proposal, Section
from notifications import selectors
from notifications.categories import Category
from notifications.forms import MailSettingsForm, PeopleQueryForm, WatchForm
from notifications.services import preferences, visits, watches
from notifications.services.tokens import read_unsubscribe_token

MODELS = {"concept": Concept, "section": Section, "proposal": Proposal, "meeting": Meeting}


@require_safe
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = selectors.notice_list(request.user)
    return render(request, "notifications/notice_list.html", {"notices": notices})


@require_safe
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open what a notice is about; the notice is read from now on."""
    notice = visits.mark_read(request.user, pk)
    if notice is None:
        return redirect("notifications:notices")
    comment = (notice.activity.data or {}).get("comment")
    url = notice.activity.get_absolute_url()
    return redirect(f"{url}#comment-{comment}" if comment else url)


@require_POST
def notices_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = visits.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notices are marked as read."))
    return redirect("notifications:notices")


def _watch_target(form: WatchForm):
    target = form.cleaned_data["target"]
    return target, get_object_or_404(MODELS[target], pk=form.cleaned_data["pk"])


def _back(request: HttpRequest, form: WatchForm, obj) -> HttpResponse:
    next_url = form.cleaned_data.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "notifications:watching")


@require_POST
def watch(request: HttpRequest) -> HttpResponse:
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a section, proposal or meeting to watch."))
    target, obj = _watch_target(form)
    watches.watch_add(user=request.user, **{target: obj})
    messages.success(request, _("You now watch “%(item)s”.") % {"item": obj})
    return _back(request, form, obj)


@require_POST
def unwatch(request: HttpRequest) -> HttpResponse:
    form = WatchForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a section, proposal or meeting to stop watching."))
    target, obj = _watch_target(form)
    watches.watch_remove(user=request.user, **{target: obj})
    messages.success(request, _("You no longer watch “%(item)s”.") % {"item": obj})
    return _back(request, form, obj)


@require_safe
def watching(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/watch_list.html",
        {
            "watches": selectors.watch_list(request.user),
            "translation_watches": selectors.translation_watch_list(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    current = preferences.frequencies_for([request.user.pk])[request.user.pk]
    form = MailSettingsForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            preferences.preferences_set(user=request.user, choices=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Mail settings saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "email": request.user.email},
        status=400 if form.is_bound else 200,
    )


@login_not_required
@csrf_exempt  # RFC 8058: the mail client posts without a session; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm; POST (the button, or the mail client's one-click) turns the categories off."""
    try:
        user_id, categories = read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": True}, status=400)
    except signing.BadSignature:
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": False}, status=400)
    user = selectors.person(user_id)
    categories = [c for c in categories if c in Category.values]
    if user is None or not categories:
        return render(request, "notifications/unsubscribe_invalid.html", {"expired": False}, status=400)
    labels = [Category(c).label for c in categories]
    if request.method == "POST":
        preferences.preferences_turn_off(user=user, categories=categories)
        return render(request, "notifications/unsubscribe_done.html", {"labels": labels})
    return render(request, "notifications/unsubscribe_confirm.html", {"labels": labels, "token": token})


@require_safe
def people(request: HttpRequest) -> JsonResponse:
    """Names for the @mention autocomplete in the comment box (JSON)."""
    form = PeopleQueryForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return JsonResponse({"people": selectors.people_matching(query)})
