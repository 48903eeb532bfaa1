"""Two-factor sign-in (django-otp): required for coordinators and staff, optional for experts."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import Expert
from tests.factories import PASSWORD, ExpertFactory

SETUP = reverse("two-factor-setup")
CODE = reverse("two-factor-verify")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_EXEMPT_USERNAMES_PREFIX = ""
    # django-otp's own back-off makes a second try wait a second; these tests test the portal's limit.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    return f"{(int(current_code(device)) + 1) % 1_000_000:06d}"


def confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=static, token="recover01")
    return device


@pytest.mark.django_db
def test_a_coordinator_without_a_device_is_sent_to_set_one_up_and_can_do_nothing_else(client, coordinator):
    client.force_login(coordinator)
    for url in (reverse("drafting:home"), reverse("members:directory"), reverse("password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "<svg" in response.text  # the QR code, drawn on the server
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("members:language-switch"), {"language": "kk"}).status_code == 302
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


@pytest.mark.django_db
def test_setup_with_the_right_code_confirms_the_device_and_shows_ten_recovery_codes(client, coordinator):
    client.force_login(coordinator)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=coordinator)
    assert not device.confirmed

    response = client.post(SETUP, {"code": wrong_code(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    response = client.post(SETUP, {"code": current_code(device)})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    tokens = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert len(tokens) == 10
    shown = set(re.findall(r"<li><code>(\w+)</code></li>", response.text))
    assert shown == tokens
    # The session is verified now, and the codes are not shown again.
    assert client.get(reverse("drafting:home")).status_code == 200
    response = client.get(SETUP)
    assert response.status_code == 200
    assert not shown & set(re.findall(r"\w+", response.text))


@pytest.mark.django_db
def test_sign_in_asks_for_the_code_after_the_password(client, coordinator):
    device = confirmed_device(coordinator)
    response = client.post(reverse("login"), {"username": coordinator.username, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(reverse("members:directory"))
    assert response.status_code == 302
    assert response["Location"].startswith(CODE)
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert 'name="code"' in response.text
    response = client.post(CODE, {"code": current_code(device), "next": reverse("members:directory")})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:directory")
    assert client.get(reverse("members:directory")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("axes_enabled", [True, False])
def test_wrong_codes_are_refused_and_counted_until_even_the_right_one_is_refused(
    client, coordinator, settings, axes_enabled
):
    settings.AXES_ENABLED = axes_enabled
    device = confirmed_device(coordinator)
    client.post(reverse("login"), {"username": coordinator.username, "password": PASSWORD})
    statuses = [client.post(CODE, {"code": wrong_code(device)}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = client.post(CODE, {"code": current_code(device)})
    assert response.status_code == 429
    assert client.get(reverse("drafting:home"))["Location"].startswith(CODE)
    if axes_enabled:
        from axes.models import AccessAttempt

        assert AccessAttempt.objects.filter(username=coordinator.username, failures_since_start__gte=5).exists()

    # Signing in again with the right password does not reset the count of wrong codes.
    client.post(reverse("logout"))
    settings.AXES_ENABLED = False
    client.post(reverse("login"), {"username": coordinator.username, "password": PASSWORD})
    assert client.post(CODE, {"code": current_code(device)}).status_code == 429


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, coordinator):
    confirmed_device(coordinator)
    client.force_login(coordinator)
    response = client.post(CODE, {"code": "recover01"})
    assert response.status_code == 302
    assert client.get(reverse("drafting:home")).status_code == 200
    assert not StaticToken.objects.filter(token="recover01").exists()

    client.post(reverse("logout"))
    client.force_login(coordinator)
    response = client.post(CODE, {"code": "recover01"})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get(reverse("drafting:home")).status_code == 302


@pytest.mark.django_db
def test_an_expert_without_a_device_signs_in_with_the_password_alone(client, expert):
    response = client.post(reverse("login"), {"username": expert.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("drafting:home")).status_code == 200
    # They may set one up, and then sign-in asks them for a code too.
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=expert)
    client.post(SETUP, {"code": current_code(device)})
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": expert.username, "password": PASSWORD})
    assert client.get(reverse("drafting:home"))["Location"].startswith(CODE)


@pytest.mark.django_db
def test_the_admin_needs_the_second_factor(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)

    device = confirmed_device(staff)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(CODE)
    client.post(CODE, {"code": current_code(device)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_demo_accounts_skip_the_second_factor_only_with_debug_on(client, settings, debug):
    settings.DEBUG = debug
    settings.OTP_EXEMPT_USERNAMES_PREFIX = "demo-"
    demo = ExpertFactory(user__username="demo-coordinator", role=Expert.Role.COORDINATOR).user
    client.force_login(demo)
    response = client.get(reverse("drafting:home"))
    if debug:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP)


def test_the_demo_exemption_is_off_when_debug_is_off(monkeypatch):
    import importlib

    import kisi_portal.settings as portal_settings

    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "a-test-secret-that-is-not-the-development-one")
    try:
        assert importlib.reload(portal_settings).OTP_EXEMPT_USERNAMES_PREFIX == ""
        monkeypatch.setenv("DEBUG", "true")
        assert importlib.reload(portal_settings).OTP_EXEMPT_USERNAMES_PREFIX == "demo-"
    finally:
        monkeypatch.undo()
        importlib.reload(portal_settings)
