"""Signed unsubscribe links: who and which categories, readable without signing in."""

from django.conf import settings
from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(user, categories) -> str:
    return signing.dumps({"u": user.pk, "c": sorted(set(categories))}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, list[str]]:
    """(user id, categories); raises signing.BadSignature (forged) or signing.SignatureExpired (too old)."""
    data = signing.loads(token, salt=SALT, max_age=settings.UNSUBSCRIBE_LINK_DAYS * 24 * 3600)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("c"), list):
        raise signing.BadSignature("unexpected content")
    return data["u"], [str(c) for c in data["c"]]
