"""The portal's own middleware: refusing input no view can read, answering a database hiccup
without losing what the person typed, keeping signed-in pages out of shared caches, and
ending sessions nobody uses.
"""

import codecs
import logging
import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from kisi_portal.views import database_unavailable_response

logger = logging.getLogger(__name__)


def bad_input_response(request: HttpRequest, reason: str) -> HttpResponse:
    """A 400 page that needs neither the database nor the request body."""
    html = loader.render_to_string("400.html", {"reason": reason})
    response = HttpResponseBadRequest(html)
    patch_cache_control(response, no_store=True)
    return response


class BadInputMiddleware:
    """Answer 400 to a request whose form data or address cannot be read, before any view tries.

    Django raises BadRequest when a form body declares a charset other than UTF-8, and the
    error page itself would read the body again (CSRF checks it) and fail a second time: a
    500. Reading the body here once, and marking it empty when it cannot be read, turns every
    such request into one clear 400. NUL characters have no use in a query string and PostgreSQL
    refuses them in queries, so a query string carrying one is refused here too (in the path,
    the URL patterns and the admin's SafeObjectIdAdminMixin make it a 404). A number too
    large for the database is one more kind of unreadable input (process_exception).

    It reads the body in __call__, which runs before every middleware's process_view (CSRF,
    sign-in), wherever it stands in the list.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or "\x00" in "".join(values) for key, values in request.GET.lists()):
            return bad_input_response(request, _("The address contains a character that cannot be used (NUL)."))
        if request.method == "POST":
            try:
                if request.content_type == "application/x-www-form-urlencoded":
                    # Django ignores an unknown charset and reads bytes that are not UTF-8 as Latin-1,
                    # which would store mojibake: both are refused instead.
                    codecs.lookup(request.content_params.get("charset", "utf-8"))
                    request.body.decode("utf-8")
                request.POST  # noqa: B018 - parse now, while a failure can still be answered cleanly
                request.FILES  # noqa: B018
            except (BadRequest, SuspiciousOperation, MultiPartParserError, UnicodeError, LookupError) as error:
                request._mark_post_parse_error()
                logger.info("Unreadable form data on %s: %s", request.path, error)
                return bad_input_response(
                    request,
                    _(
                        "What your browser sent cannot be read: a form must be sent as UTF-8 and be of a reasonable "
                        "size. Nothing was saved. Go back, copy your text, reload the page and try again."
                    ),
                )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A number too large for a database integer (SQLite raises this for a form's list of ids).
        if isinstance(exception, OverflowError):
            logger.warning("Number out of range on %s", request.path, exc_info=exception)
            return bad_input_response(
                request, _("A number in the request is too large. Nothing was saved. Go back and check the form.")
            )
        return None


class LineEndingsMiddleware:
    """Every text sent in a form is stored with "\n" line endings, whichever page sent it.

    Browsers send a textarea's lines as "\r\n"; stored as they came, one text would differ from
    the same text typed elsewhere, and comparisons would show changes nobody made. Normalising
    here, once, on input, covers the editor, the admin, proposals and comments alike. It stands
    after BadInputMiddleware, which has already parsed (or refused) the form data.

    Control characters go too: Word's manual line break (\v) and a page break (\f), pasted from
    a document, become line breaks, and the rest but NUL are dropped. XML cannot hold them, so a stored
    one would make every DOCX export of the text fail.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            posted = request.POST
            if any(NEEDS_NORMALISING.search(value) for _key, values in posted.lists() for value in values):
                normalised = posted.copy()
                for key, values in posted.lists():
                    normalised.setlist(key, [normalise_line_endings(value) for value in values])
                normalised._mutable = False
                request.POST = normalised
        return self.get_response(request)


FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


# NUL is left for the forms, which refuse it with a message next to the field (the text kept).
NEEDS_NORMALISING = re.compile(r"[\r\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def normalise_line_endings(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return CONTROL.sub("", text)


class DatabaseUnavailableMiddleware:
    """A lost database connection answers 503 with the person's text, instead of a bare 500.

    While PostgreSQL restarts, requests fail with OperationalError or InterfaceError. Nothing
    was saved (each service is one transaction), so the page says so and gives back every
    text the person sent, to copy and send again. Failures before the view (loading the
    session or the user) reach kisi_portal.views.server_error, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("Database unavailable on %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response(request)


class PrivatePagesMiddleware:
    """Signed-in responses (pages and exports) are private: no shared cache may keep a draft.

    Static files never get here (WhiteNoise answers them earlier); anonymous pages keep their
    headers, except the sign-in page, which carries a CSRF token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._is_private(request):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _is_private(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name == "login":
            return True
        user = getattr(request, "user", None)
        if user is None:
            return False
        try:
            return user.is_authenticated
        except DatabaseError:
            return True  # who it is cannot be known now: the safe answer is private


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in: start both clocks in the write that signing in makes anyway."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SessionIdleTimeoutMiddleware.STARTED_KEY] = now
        request.session[SessionIdleTimeoutMiddleware.LAST_SEEN_KEY] = now


class SessionIdleTimeoutMiddleware:
    """End a session after SESSION_IDLE_SECONDS without a request, and SESSION_COOKIE_AGE after sign-in.

    The last-seen time is written at most once a minute, so reading pages does not write the
    session on every request. Each write moves the session's own expiry forward, so the
    absolute limit is kept here, from sign-in (session_started), or for a session signed in
    before this was deployed, from the first request it is seen.
    """

    LAST_SEEN_KEY = "kisi_last_seen"
    STARTED_KEY = "kisi_signed_in_at"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        started = session.get(self.STARTED_KEY)
        last_seen = session.get(self.LAST_SEEN_KEY)
        idle_for = now - last_seen if last_seen is not None else 0
        if idle_for > settings.SESSION_IDLE_SECONDS or (
            started is not None and now - started > settings.SESSION_COOKIE_AGE
        ):
            logout(request)
            messages.info(request, _("You were signed out because your session expired. Please sign in again."))
            return
        if started is None:
            session[self.STARTED_KEY] = now
        if last_seen is None or idle_for >= self.WRITE_EVERY_SECONDS:
            session[self.LAST_SEEN_KEY] = now


def client_ip(request) -> str | None:
    """The address of the person, for django-axes's sign-in limits.

    Behind nginx (BEHIND_PROXY=true) every request comes from nginx, which sets X-Real-IP to the
    client's address and overwrites whatever the client sent in it; without the proxy that
    header could be forged, so only REMOTE_ADDR counts.
    """
    from django.conf import settings

    if settings.BEHIND_PROXY:
        return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
    return request.META.get("REMOTE_ADDR")
