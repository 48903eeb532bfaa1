"""Where uploaded Word files live, through Django's storage API (MEDIA_ROOT, outside static/).

An upload waiting for its preview or review is kept under its uploader and its SHA-256
(`word-uploads/<user>/<sha256>.docx`), so a page can carry only the hash and nobody can act on
another person's upload. A file a Concept was imported from is kept for good under the Concept
(`imports/<concept>/<sha256>.docx`); the revisions it created record its name and hash.
"""

import hashlib
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# An upload waits this long for its preview or review (and for a retried confirmation), then goes.
PENDING_KEPT = timedelta(days=2)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(sha256: str) -> str:
    if not SHA256_RE.match(sha256 or ""):
        raise FileNotFoundError(sha256)
    return sha256


def pending_path(user_id: int, sha256: str) -> str:
    return f"word-uploads/{int(user_id)}/{_checked(sha256)}.docx"


def kept_path(concept_id: int, sha256: str) -> str:
    return f"imports/{int(concept_id)}/{_checked(sha256)}.docx"


def _write(path: str, data: bytes) -> None:
    if default_storage.exists(path):
        return  # the same hash: the same bytes
    default_storage.save(path, ContentFile(data))


def save_pending(user_id: int, data: bytes) -> str:
    prune_pending()
    sha256 = sha256_of(data)
    _write(pending_path(user_id, sha256), data)
    return sha256


def prune_pending(now=None) -> int:
    """Delete uploads older than PENDING_KEPT (anyone's): each new upload sweeps, so they never pile up."""
    cutoff = (now or timezone.now()) - PENDING_KEPT
    removed = 0
    if not default_storage.exists("word-uploads"):
        return removed
    folders, _files = default_storage.listdir("word-uploads")
    for folder in folders:
        for name in default_storage.listdir(f"word-uploads/{folder}")[1]:
            path = f"word-uploads/{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    return removed


def read_pending(user_id: int, sha256: str) -> bytes | None:
    """The upload of this person with this hash, or None (unknown, someone else's, or altered)."""
    try:
        path = pending_path(user_id, sha256)
    except FileNotFoundError:
        return None
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as file:
        data = file.read()
    return data if sha256_of(data) == sha256 else None


def keep(concept_id: int, sha256: str, data: bytes) -> None:
    _write(kept_path(concept_id, sha256), data)


def open_kept(concept_id: int, sha256: str):
    path = kept_path(concept_id, sha256)
    if not default_storage.exists(path):
        raise FileNotFoundError(path)
    return default_storage.open(path, "rb")
