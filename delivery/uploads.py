"""Checks on evidence documents before they are stored (gate evidence, closeout evidence).

The type is decided by the content, never by the name alone (``pmo.core.uploads.sniff``):
a PDF must start like one, an image like an image, an Office file must be a zip
archive with ``[Content_Types].xml``, text must decode as text.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from pmo.core.uploads import sniff

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# extension → what sniff() must find
ALLOWED = {
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".docx": "zip",
    ".xlsx": "zip",
    ".pptx": "zip",
    ".txt": "text",
    ".csv": "text",
    ".md": "text",
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}


class CheckedFile:
    """An upload that passed the checks: safe name, bytes, digest."""

    def __init__(self, name: str, data: bytes):
        self.name = name
        self.data = data
        self.size = len(data)
        self.checksum = hashlib.sha256(data).hexdigest()

    def content(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


def check_evidence(upload) -> CheckedFile:
    """Check an evidence upload's name, size and content; return it read."""
    name = os.path.basename(upload.name or "").strip() or "evidence"
    extension = os.path.splitext(name)[1].lower()
    expected = ALLOWED.get(extension)
    if expected is None:
        raise ValidationError(
            _("Upload a PDF, an image (PNG, JPEG), a Word, Excel or PowerPoint file, or text."),
            code="extension",
        )
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_too_big(upload.size), code="too_big")
    upload.seek(0)
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError(_too_big(len(data)), code="too_big")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    found = sniff(data)
    if found != expected or (expected == "zip" and not _is_office(data)):
        raise ValidationError(
            _("The file's content does not match its name (%(name)s).") % {"name": name},
            code="mismatch",
        )
    return CheckedFile(name[-200:], data)


def _is_office(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _too_big(size: int) -> str:
    return _("The file is %(size)s; evidence files may be up to %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(MAX_EVIDENCE_BYTES),
    }
