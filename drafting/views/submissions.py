"""Carrying out a creating form once per one-time token, for the views that create."""

import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from drafting import services
from drafting.forms import SubmittedOnce


def fingerprint(request: HttpRequest) -> str:
    """What was sent, and where: a repeat matches it, a different form sent with the same token does not."""
    sent = sorted(
        (name, value)
        for name, values in request.POST.lists()
        for value in values
        if name not in ("csrfmiddlewaretoken", "submission")
    )
    return hashlib.sha256(repr((request.path, sent)).encode()).hexdigest()


def submit_once(request: HttpRequest, form: SubmittedOnce, create: Callable[[dict], object]) -> services.Submitted:
    """Create what a valid `form` describes, once for its token; say so when it was already created.

    Raises the service's ValidationError for the caller to put on the form; when the token had been
    used for other content, the form gets a fresh one, so sending it again saves it.
    """
    try:
        sent = services.submission_once(
            user=request.user,
            token=form.cleaned_data["submission"],
            fingerprint=fingerprint(request),
            create=lambda: create(form.service_data()),
        )
    except services.SubmissionReused:
        form.renew_submission()
        raise
    if not sent.created:
        messages.info(request, _("You had already sent this form: it was saved once, and here is the result."))
    return sent
