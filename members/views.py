from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from members import two_factor
from members.forms import LanguageForm, TwoFactorCodeForm, TwoFactorSetupForm
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


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return next_url


def _axes_locked(request: HttpRequest) -> bool:
    if not getattr(settings, "AXES_ENABLED", True):
        return False
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, credentials={"username": request.user.get_username()})


@never_cache
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code.

    A wrong code counts as a failed sign-in (django-axes hears of it, and the portal's own count
    per account has the same limit and cool-off); while the account is locked, no code is tried.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    user = request.user
    if user.is_verified() or not two_factor.has_confirmed_device(user):
        return redirect(_safe_next(request))
    form = TwoFactorCodeForm(request.POST or None)
    locked = two_factor.code_step_locked(user) or _axes_locked(request)
    status = 200
    if request.method == "POST" and locked:
        status = 429
    elif request.method == "POST" and form.is_valid():
        device = two_factor.code_verify(user, form.cleaned_data["code"])
        if device is not None:
            from django_otp import login as otp_login

            otp_login(request, device)
            two_factor.code_failures_reset(user)
            request.session.cycle_key()  # a verified session gets a new key
            return redirect(_safe_next(request))
        two_factor.code_failed(user)
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        locked = two_factor.code_step_locked(user) or _axes_locked(request)
        if locked:
            status = 429
        else:
            form.add_error(
                "code", _("That code is not right, or it has been used already. Try the code the app shows now.")
            )
    if locked:
        form = None
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "locked": locked, "next": _safe_next(request)},
        status=status,
    )


@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code, confirm with its first code, keep the recovery codes.

    Required for coordinators and staff before anything else; any member may do it. The recovery
    codes appear once, on the page that confirms the device, and are never shown again.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    user = request.user
    has_device = two_factor.has_confirmed_device(user)
    if has_device and not user.is_verified() and two_factor.two_factor_enforced(user):
        # Replacing a device needs the current one first.
        return redirect("two-factor-verify")
    if has_device and request.method != "POST" and request.GET.get("replace") != "1":
        return render(request, "members/two_factor_done.html", {"codes": None})
    device = two_factor.pending_totp_device(user)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        if device.verify_token(code):
            codes = two_factor.totp_device_confirm(device)
            from django_otp import login as otp_login

            otp_login(request, device)
            return render(request, "members/two_factor_done.html", {"codes": codes, "next": _safe_next(request)})
        form.add_error(
            "code", _("That code is not right. Check the app shows this account and enter the code it shows now.")
        )
    return render(
        request,
        "members/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device.config_url),
            "secret": _spaced(device.config_url),
            "required": two_factor.two_factor_required(user),
            "replacing": has_device,
            "next": _safe_next(request),
        },
    )


def _spaced(config_url: str) -> str:
    """The base32 secret from the otpauth address, in groups of four, for typing it in by hand."""
    from urllib.parse import parse_qs, urlsplit

    secret = parse_qs(urlsplit(config_url).query).get("secret", [""])[0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
