"""Checks an uploaded Word file passes before anything reads it, each failure a message a person can act on.

Limits (settings, with these defaults): the upload at most WORD_UPLOAD_MAX_BYTES (20 MB); unpacked,
at most WORD_UNPACKED_MAX_BYTES (100 MB) in at most WORD_MAX_PARTS (2,000) parts, word/document.xml at
most WORD_DOCUMENT_MAX_BYTES (40 MB). The sizes a
ZIP declares bound what Python's zipfile will unpack, so checking them stops a zip bomb before
any part is read. XML with a document type declaration (entity expansion) is refused.
"""

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DEFAULT_UPLOAD_MAX = 20 * 1024 * 1024
DEFAULT_UNPACKED_MAX = 100 * 1024 * 1024
# word/document.xml alone: about a hundred times the text of the whole Concept.
DEFAULT_DOCUMENT_MAX = 40 * 1024 * 1024
DEFAULT_MAX_PARTS = 2000


def upload_max_bytes() -> int:
    return getattr(settings, "WORD_UPLOAD_MAX_BYTES", DEFAULT_UPLOAD_MAX)


def document_max_bytes() -> int:
    return getattr(settings, "WORD_DOCUMENT_MAX_BYTES", DEFAULT_DOCUMENT_MAX)


def unpacked_max_bytes() -> int:
    return getattr(settings, "WORD_UNPACKED_MAX_BYTES", DEFAULT_UNPACKED_MAX)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def check_size(size: int) -> None:
    if size > upload_max_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; at most %(limit)s MB can be uploaded. Remove images or split the document.")
            % {"size": _megabytes(size), "limit": _megabytes(upload_max_bytes())}
        )
    if size == 0:
        raise ValidationError(_("The file is empty. Choose the .docx file again."))


def check_docx(data: bytes) -> None:
    """Refuse anything that is not a readable, reasonably sized .docx (ValidationError)."""
    check_size(len(data))
    if data.startswith(OLE_MAGIC):
        raise ValidationError(
            _(
                "This file is password-protected (encrypted) or in the old Word 97-2003 format. Remove the password "
                "in Word (File, Info, Protect Document) or save it as a Word document (.docx), then upload it again."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("This is not a Word document (.docx). Save it from Word as .docx and upload it again."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
            if "word/document.xml" not in names or "[Content_Types].xml" not in names:
                raise ValidationError(
                    _("This is not a Word document (.docx). Save it from Word as .docx and upload it again.")
                )
            # The text itself is read into a tree by mammoth and lxml: a smaller bound for it.
            if archive.getinfo("word/document.xml").file_size > document_max_bytes():
                raise ValidationError(
                    _(
                        "The text of this Word file takes more than %(limit)s MB unpacked, far more than a Concept. "
                        "Split it into parts and import the first one."
                    )
                    % {"limit": _megabytes(document_max_bytes())}
                )
            if (
                len(parts) > getattr(settings, "WORD_MAX_PARTS", DEFAULT_MAX_PARTS)
                or sum(part.file_size for part in parts) > unpacked_max_bytes()
            ):
                raise ValidationError(
                    _(
                        "Unpacked, this file would take more than %(limit)s MB. A Word document of text is far "
                        "smaller: remove large images or embedded files and upload it again."
                    )
                    % {"limit": _megabytes(unpacked_max_bytes())}
                )
            for part in parts:
                if part.flag_bits & 0x1:
                    raise ValidationError(
                        _("This file is encrypted. Remove the password in Word, save it and upload it again.")
                    )
                if not part.filename.lower().endswith((".xml", ".rels")):
                    continue
                with archive.open(part) as stream:  # the head only: never a whole part in memory here
                    head = stream.read(4096)
                if b"<!DOCTYPE" in head.upper():
                    raise ValidationError(_("This Word file contains XML the portal does not read (a DOCTYPE)."))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ValidationError(
            _("This Word file is damaged and cannot be read. Open it in Word, save it again and upload it.")
        ) from error
