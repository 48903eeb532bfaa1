"""Two-factor sign-in: who needs it, the one middleware that holds a session until it is passed,
and the counter that limits wrong codes.

A person signs in with their password as before (django.contrib.auth); django-otp's OTPMiddleware
then says whether this session has also passed a second factor (`request.user.is_verified()`).
A session that has not, and needs one, reaches only the code step, the setup page, sign-out,
the language switch, static files and /healthz:

- a person with a confirmed device (anyone who set one up) is asked for a code;
- a coordinator, staff member or superuser without one is sent to set one up first.

Experts without a device sign in with their password alone. TWO_FACTOR_REQUIRED=false (the test
suite only) switches all of this off; OTP_EXEMPT_USERNAMES_PREFIX (the demo accounts, DEBUG only)
exempts some usernames.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp import user_has_device

# The pages a session that owes its second factor may still open (URL names).
ALLOWED_URL_NAMES = frozenset(
    {
        "two-factor-setup",
        "two-factor-verify",
        "members:language-switch",
        "logout",
        "healthz",
    }
)


def two_factor_enforced(user) -> bool:
    """Whether the second factor applies to this account at all (the setting and the demo exemption)."""
    if not getattr(settings, "TWO_FACTOR_REQUIRED", True):
        return False
    prefix = getattr(settings, "OTP_EXEMPT_USERNAMES_PREFIX", "")
    # Never with DEBUG off, whatever the setting says.
    return not (prefix and settings.DEBUG and user.get_username().startswith(prefix))


def two_factor_required(user) -> bool:
    """Coordinators, staff and superusers must have a device; experts may."""
    if user.is_staff or user.is_superuser:
        return True
    try:
        return user.expert.is_coordinator
    except ObjectDoesNotExist:
        return False


def has_confirmed_device(user) -> bool:
    return user_has_device(user, confirmed=True)


def _allowed(request) -> bool:
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in ALLOWED_URL_NAMES


class TwoFactorMiddleware:
    """Hold a signed-in session that owes its second factor at the code step or the setup page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and two_factor_enforced(user)
            and not user.is_verified()
            and not _allowed(request)
        ):
            if has_confirmed_device(user):
                return _redirect_with_next("two-factor-verify", request)
            if two_factor_required(user):
                return _redirect_with_next("two-factor-setup", request)
        return self.get_response(request)


def _redirect_with_next(url_name: str, request):
    url = reverse(url_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


# Wrong codes: the same limit and cool-off as django-axes gives passwords, counted per account.
# Axes forgets a username's failures when its password is right again (AXES_RESET_ON_SUCCESS),
# so it cannot be the only count here: signing in again would reset the codes' count too.


def _failures_key(user) -> str:
    return f"two-factor-failures:{user.pk}"


def _cooloff_seconds() -> int:
    return int(float(settings.AXES_COOLOFF_TIME) * 3600)


def code_failures(user) -> int:
    return cache.get(_failures_key(user), 0)


def code_failed(user) -> int:
    """Count one wrong code; the cool-off runs from the latest one."""
    failures = code_failures(user) + 1
    cache.set(_failures_key(user), failures, _cooloff_seconds())
    return failures


def code_failures_reset(user) -> None:
    cache.delete(_failures_key(user))


def code_step_locked(user) -> bool:
    return code_failures(user) >= settings.AXES_FAILURE_LIMIT


def pending_totp_device(user):
    """The authenticator being set up: the unconfirmed one already started, else a new one.

    Reloading the setup page keeps the same secret, so a code from an app that already
    scanned it still works.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_code_svg(text: str) -> str:
    """The QR code for `text` as SVG markup, drawn here (no external service, no script, no style)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


def totp_device_confirm(device) -> list[str]:
    """Confirm the authenticator and issue fresh recovery codes (returned once, to show once).

    The person's other authenticators and earlier recovery codes go: one device, one set of codes.
    """
    from django.db import transaction
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=device.user).delete()
        static = StaticDevice.objects.create(user=device.user, name="recovery codes", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def code_verify(user, code: str):
    """The confirmed device (authenticator or recovery codes) that accepts `code`, or None.

    A recovery code is used up by the check that accepts it.
    """
    from django.db import transaction
    from django_otp import devices_for_user

    code = "".join(code.split())
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None
