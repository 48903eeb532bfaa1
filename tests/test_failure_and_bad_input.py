"""What a person sees when their input is odd, when the database goes away, and around their session:
a clear answer, never a 500, and their text kept."""

import threading
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.test.signals import template_rendered
from django.urls import path, reverse
from django.utils import timezone

from drafting.admin import SectionAdmin
from drafting.models import Comment, Proposal, Section
from kisi_portal import urls as portal_urls
from kisi_portal import views as site_views
from kisi_portal.admin_safety import SafeObjectIdAdminMixin
from members.admin import OrganisationAdmin
from members.models import Organisation
from tests.factories import make_section

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def section(concept):
    return make_section(concept, heading="Principles", body="Unity in diversity.")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.kz", "a-long-root-password-2026")


def _edit_body(section, **fields) -> dict:
    return {"body": "Unity, and diversity.", "summary": "Tighter", "base_version": section.version} | fields


# Bad input -------------------------------------------------------------------------------------


def test_form_sent_as_latin1_is_a_clear_400_and_saves_nothing(coordinator, section):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get(reverse("drafting:section-edit", args=[section.pk]))
    body = urlencode(
        _edit_body(section, csrfmiddlewaretoken=client.cookies["csrftoken"].value, body="Café"), encoding="latin-1"
    )

    response = client.generic(
        "POST", reverse("drafting:section-edit", args=[section.pk]), body, content_type=FORM + "; charset=latin-1"
    )

    assert response.status_code == 400
    assert "a form must be sent as UTF-8" in response.text
    assert "no-store" in response["Cache-Control"]
    section.refresh_from_db()
    assert section.version == 1


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (FORM + "; charset=no-such-charset", b"username=caf%E9&password=x"),
        (FORM, "username=café&password=x".encode("latin-1")),  # raw bytes that are not UTF-8
        (FORM + "; charset=utf-16", "username=x".encode("utf-16")),
    ],
)
def test_sign_in_form_that_does_not_decode_is_a_400(db, content_type, body):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("login"))

    response = client.generic("POST", reverse("login"), body, content_type=content_type)

    assert response.status_code == 400
    assert "cannot be read" in response.text


def test_nul_byte_in_a_field_is_a_message_next_to_it_with_the_text_kept(coordinator_client, section):
    response = coordinator_client.post(
        reverse("drafting:section-edit", args=[section.pk]), _edit_body(section, body="Unity\x00 in diversity.")
    )

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text
    assert "Unity" in response.text
    section.refresh_from_db()
    assert section.version == 1


def test_nul_byte_in_the_address_is_a_400(coordinator_client, section):
    response = coordinator_client.get(reverse("drafting:section-history", args=[section.pk]) + "?page=%00")

    assert response.status_code == 400
    assert "NUL" in response.text


def test_lone_surrogate_in_a_form_is_replaced_not_a_server_error(coordinator_client, section):
    body = urlencode(_edit_body(section, body="x")).replace("body=x", "body=Unity%ED%A0%80")

    response = coordinator_client.generic("POST", reverse("drafting:section-edit", args=[section.pk]), body, FORM)

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body.startswith("Unity\ufffd")


def test_number_too_large_for_the_database_is_a_400(coordinator_client, concept):
    response = coordinator_client.post(
        reverse("drafting:meeting-create", args=[concept.pk]),
        {"title": "Session", "starts_at": "2030-01-01T10:00", "proposals": "9" * 30, "attendees": "9" * 30},
    )

    assert response.status_code == 400


# The admin: ids the key cannot take ----------------------------------------------------------------


def _safe(admin_class):
    """The portal's own ModelAdmin with the mixin, whether or not it already has it."""
    if issubclass(admin_class, SafeObjectIdAdminMixin):
        return admin_class
    return type(f"Safe{admin_class.__name__}", (SafeObjectIdAdminMixin, admin_class), {})


safe_site = admin.AdminSite(name="safe_admin")
safe_site.register(Section, _safe(SectionAdmin))
safe_site.register(Organisation, _safe(OrganisationAdmin))
# The portal's own URLs, with this admin in front of the real one.
urlpatterns = [path("admin/", safe_site.urls), *portal_urls.urlpatterns]

BAD_ADMIN_IDS = ["abc", "%00", "1.5", "%ED%A0%80", "-1x"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("bad_id", BAD_ADMIN_IDS)
@pytest.mark.parametrize("page", ["history/", "change/", "delete/", "history/1/"])
def test_admin_page_for_an_id_the_key_cannot_take_is_a_404(client, superuser, section, bad_id, page):
    client.force_login(superuser)

    response = client.get(f"/admin/drafting/section/{bad_id}/{page}")

    assert response.status_code == 404


@pytest.mark.urls(__name__)
def test_admin_history_version_the_history_key_cannot_take_is_a_404(client, superuser, section):
    client.force_login(superuser)

    assert client.get(f"/admin/drafting/section/{section.pk}/history/abc/").status_code == 404
    assert client.get("/admin/members/organisation/abc/history/").status_code == 404


@pytest.mark.urls(__name__)
def test_admin_pages_with_good_ids_still_work_with_the_mixin(client, superuser, section):
    client.force_login(superuser)
    history_id = section.history.latest().history_id

    assert client.get(f"/admin/drafting/section/{section.pk}/change/").status_code == 200
    assert client.get(f"/admin/drafting/section/{section.pk}/history/").status_code == 200
    assert client.get(f"/admin/drafting/section/{section.pk}/history/{history_id}/").status_code == 200
    # A well-formed id of a missing object keeps Django's "doesn't exist" answer.
    assert client.get("/admin/drafting/section/999999/change/").status_code == 302


def test_every_admin_of_the_portal_refuses_ids_its_key_cannot_take():
    """Apply kisi_portal.admin_safety.SafeObjectIdAdminMixin first in every ModelAdmin's bases."""
    unsafe = sorted(
        f"{type(model_admin).__module__}.{type(model_admin).__name__}"
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"drafting", "members"} and not isinstance(model_admin, SafeObjectIdAdminMixin)
    )
    assert unsafe == []


# The database goes away ---------------------------------------------------------------------------


def _lose_the_database(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_edit_during_a_database_restart_is_a_503_with_the_text_given_back(monkeypatch, coordinator_client, section):
    monkeypatch.setattr("drafting.services.section_edit", _lose_the_database)

    response = coordinator_client.post(
        reverse("drafting:section-edit", args=[section.pk]),
        _edit_body(section, body="My long careful paragraph.", summary="Rewrote the principle"),
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Nothing was saved." in response.text
    assert "My long careful paragraph." in response.text
    assert "Rewrote the principle" in response.text
    assert "readonly>My long careful paragraph.</textarea>" in response.text
    assert "csrfmiddlewaretoken" not in response.text
    assert f">{section.version}</textarea>" not in response.text  # the hidden revision is no text of theirs
    section.refresh_from_db()
    assert section.version == 1 and section.body == "Unity in diversity."


def test_proposal_during_a_database_restart_is_a_503_with_the_text_given_back(monkeypatch, coordinator_client, section):
    monkeypatch.setattr("drafting.services.proposal_create_amendment", _lose_the_database)

    response = coordinator_client.post(
        reverse("drafting:proposal-create", args=[section.pk]),
        {
            "title": "Say it plainly",
            "text": "Unity & diversity <b>now</b>.",
            "rationale": "Clearer.",
            "base_version": 1,
            "submission": "token-from-the-form",
        },
    )

    assert response.status_code == 503
    assert "Say it plainly" in response.text
    assert "Unity &amp; diversity &lt;b&gt;now&lt;/b&gt;." in response.text  # escaped, never markup
    assert "token-from-the-form" not in response.text
    assert not Proposal.objects.exists()


def test_comment_during_a_database_restart_is_a_503_with_the_text_given_back(monkeypatch, coordinator_client, section):
    monkeypatch.setattr("drafting.services.comment_add", lambda **kwargs: _lose_the_database())

    response = coordinator_client.post(
        reverse("drafting:section-comment-add", args=[section.pk]),
        {"body": "I would add a clause on languages.", "submission": "token-from-the-form"},
    )

    assert response.status_code == 503
    assert "I would add a clause on languages." in response.text
    assert not Comment.objects.exists()


def test_database_lost_before_the_view_is_a_503_too(monkeypatch, coordinator, section):
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    monkeypatch.setattr("members.middleware.saved_language", _lose_the_database)

    response = client.post(reverse("drafting:section-edit", args=[section.pk]), _edit_body(section, body="Kept text."))

    assert response.status_code == 503
    assert "Kept text." in response.text


def test_reading_during_a_database_restart_is_a_503_without_a_form(monkeypatch, coordinator_client, section):
    def lose(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr("drafting.selectors.section_number", lose)

    response = coordinator_client.get(reverse("drafting:section-detail", args=[section.pk]))

    assert response.status_code == 503
    assert "try again" in response.text
    assert "<textarea" not in response.text


def test_persistent_connections_are_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# Headers: nothing private in shared caches ------------------------------------------------------------


def test_signed_in_pages_and_exports_are_private_and_not_stored(coordinator_client, section, concept):
    for url in (
        reverse("drafting:section-detail", args=[section.pk]),
        reverse("drafting:document-export", args=[concept.pk, "md"]),
        reverse("members:directory"),
    ):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control, url


def test_sign_in_page_is_not_stored_and_anonymous_redirects_are_left_alone(client, section):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
    assert "Cache-Control" not in client.get(reverse("drafting:section-detail", args=[section.pk]))


# Password reset: the same work for every address -------------------------------------------------------


def _reset_work(client, django_assert_num_queries, email: str, queries: int) -> list[str]:
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        with django_assert_num_queries(queries):
            response = client.post(reverse("password_reset"), {"email": email})
    finally:
        template_rendered.disconnect(note)
    assert response.status_code == 302
    return rendered


def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    client, expert, monkeypatch, django_assert_num_queries
):
    tokens = []
    original = default_token_generator.make_token
    monkeypatch.setattr(default_token_generator, "make_token", lambda user: tokens.append(user) or original(user))

    known = _reset_work(client, django_assert_num_queries, expert.email, queries=1)
    unknown = _reset_work(client, django_assert_num_queries, "nobody@example.kz", queries=1)

    assert known == unknown
    assert "registration/password_reset_email.html" in unknown
    assert len(tokens) == 2
    assert len(mail.outbox) == 1  # nothing is sent to an address without an account
    assert mail.outbox[0].to == [expert.email]


def test_password_reset_mail_goes_in_the_background_when_asked(rf, expert, settings):
    settings.PASSWORD_RESET_MAIL_IN_BACKGROUND = True
    sent_by = []
    original_send = mail.EmailMessage.send

    def send(message, *args, **kwargs):
        sent_by.append(threading.current_thread().name)
        return original_send(message, *args, **kwargs)

    form = site_views.SameWorkPasswordResetForm({"email": expert.email})
    assert form.is_valid()
    mail.EmailMessage.send = send
    try:
        form.save(request=rf.post("/accounts/password_reset/"))
        for thread in form.deliveries:
            thread.join(timeout=5)
    finally:
        mail.EmailMessage.send = original_send

    assert sent_by == ["password-reset-mail"]
    assert len(mail.outbox) == 1


# Sessions end when nobody uses them -------------------------------------------------------------------


def _page(client, section):
    return client.get(reverse("drafting:section-detail", args=[section.pk]))


def test_session_ends_after_the_idle_period(client, coordinator, section, settings):
    settings.SESSION_IDLE_SECONDS = 8 * 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(coordinator)
        assert _page(client, section).status_code == 200
        clock.shift(8 * 3600 - 60)
        assert _page(client, section).status_code == 200  # active again: the idle clock restarts
        clock.shift(8 * 3600 + 1)
        response = _page(client, section)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_session_ends_at_the_absolute_limit_however_active(client, coordinator, section, settings):
    settings.SESSION_IDLE_SECONDS = 8 * 3600
    settings.SESSION_COOKIE_AGE = 14 * 24 * 3600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(coordinator)
        for _ in range(14 * 24 // 7):  # a page every 7 hours, for 14 days
            assert _page(client, section).status_code == 200
            clock.shift(7 * 3600)
        clock.shift(3600)
        response = _page(client, section)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_last_seen_is_written_at_most_once_a_minute(client, coordinator, section):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(coordinator)
        _page(client, section)
        first = client.session["kisi_last_seen"]
        clock.shift(30)
        _page(client, section)
        assert client.session["kisi_last_seen"] == first
        clock.shift(31)
        _page(client, section)
        assert client.session["kisi_last_seen"] == first + 61


# Health ----------------------------------------------------------------------------------------------


def test_healthz_says_ok_without_sign_in_and_is_not_cached(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok"
    assert "no-store" in response["Cache-Control"]


class _LostConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


def test_healthz_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    monkeypatch.setattr(site_views, "connection", _LostConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.text == "unavailable"
