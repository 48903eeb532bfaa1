"""Views that belong to the site rather than to an app: the health check, the error pages that
must work without the database, and a password reset that answers alike for every address.
"""

import logging
import re
import sys
import threading

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import PasswordResetForm, _unicode_ci_compare
from django.contrib.auth.hashers import make_password
from django.contrib.auth.views import PasswordResetView
from django.core.mail import EmailMultiAlternatives
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from members.services import saved_language

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

# Names of the portal's form fields, so the 503 page can say which text is which.
FIELD_LABELS = {
    "body": gettext_lazy("Text"),
    "summary": gettext_lazy("Summary of your change"),
    "title": gettext_lazy("Title"),
    "heading": gettext_lazy("Heading"),
    "text": gettext_lazy("Proposed text"),
    "rationale": gettext_lazy("Rationale"),
    "reason": gettext_lazy("Reason"),
    "quote": gettext_lazy("Quoted passage"),
    "minutes": gettext_lazy("Minutes"),
    "agenda_note": gettext_lazy("Agenda note"),
    "note": gettext_lazy("Note"),
    "name": gettext_lazy("Name"),
}
# Not typed by the person: the CSRF token, the one-time submission token, the return address,
# and (AN_ID) the ids and revision numbers the form carries.
NOT_TYPED = {"csrfmiddlewaretoken", "submission", "next"}
AN_ID = re.compile(r"\A\s*-?\d+\s*\Z")


def typed_text(request: HttpRequest) -> list[dict]:
    """Every non-empty value the person sent, labelled, for them to copy; ids and tokens left out."""
    if request.method != "POST":
        return []
    try:
        items = list(request.POST.lists())
    except Exception:  # an unreadable body has nothing to give back
        return []
    fields = []
    for name, values in items:
        for value in values:
            if name in NOT_TYPED or not value.strip() or AN_ID.match(value):
                continue
            fields.append({"name": name, "label": FIELD_LABELS.get(name, name), "value": value})
    return fields


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with the person's text. Rendered without the request, so no context processor queries."""
    html = loader.render_to_string(
        "503.html", {"fields": typed_text(request), "retry_after": RETRY_AFTER_SECONDS, "method": request.method}
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, private=True, no_store=True)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400. Unlike Django's, it never reads the request body again (it may be the problem)."""
    html = loader.render_to_string("400.html", {"reason": ""})
    return HttpResponseBadRequest(html)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500. A database that went away gets the 503 page, with the person's text."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        return database_unavailable_response(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers, 503 when it does not; nothing else is revealed."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return HttpResponse("unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def deliver_in_background(message: EmailMultiAlternatives) -> threading.Thread:
    def send():
        try:
            message.send()
        except Exception:
            logger.exception("Failed to send a password reset email")

    thread = threading.Thread(target=send, name="password-reset-mail", daemon=True)
    thread.start()
    return thread


class SameWorkPasswordResetForm(PasswordResetForm):
    """A reset request costs the same whether the address is known or not.

    Django's form does nothing for an unknown address and renders and sends a mail for a known
    one, so the answer's timing told which addresses have accounts. Here an unknown address gets
    a stand-in account: its token is made and its mail rendered, then dropped, so nothing is sent
    to it, as before. A real mail is handed to a thread when PASSWORD_RESET_MAIL_IN_BACKGROUND is
    on (the default with SMTP), so the answer never waits on the mail server.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliveries: list[threading.Thread] = []

    def get_users(self, email):
        # Django's own selection, with each person's settings in the same query: the mail is
        # written in their language at no extra cost, so both paths stay one query.
        field = get_user_model().get_email_field_name()
        candidates = get_user_model()._default_manager.select_related("account_settings")
        candidates = candidates.filter(**{f"{field}__iexact": email, "is_active": True})
        users = [u for u in candidates if u.has_usable_password() and _unicode_ci_compare(email, getattr(u, field))]
        if users:
            return users
        stand_in = get_user_model()(email=email, password=make_password(None))
        stand_in.is_stand_in = True
        return [stand_in]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        # In the language the person chose for the portal; else the one the request was made in.
        with translation.override(saved_language(context["user"]) or translation.get_language()):
            subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
            body = loader.render_to_string(email_template_name, context)
            message = EmailMultiAlternatives(subject, body, from_email, [to_email])
            if html_email_template_name is not None:
                message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        if getattr(context["user"], "is_stand_in", False):
            return
        if settings.PASSWORD_RESET_MAIL_IN_BACKGROUND:
            self.deliveries.append(deliver_in_background(message))
            return
        try:
            message.send()
        except Exception:
            logger.exception("Failed to send password reset email to %s", context["user"].pk)


password_reset = PasswordResetView.as_view(form_class=SameWorkPasswordResetForm)
