"""Checks on uploaded documents before they are stored: templates and evidence.

Used by every app that keeps files people upload (standards' templates and deliverable
evidence, delivery's gate and closeout evidence, knowledge's articles and archives).

The type is decided by the content, never by the name alone (``pmo.core.uploads``):
a PDF must start like one and an image like an image; an Excel workbook goes through
the core's workbook check (a real ``.xlsx`` that does not expand into a zip bomb); a
Word or PowerPoint file must be a zip archive with ``[Content_Types].xml`` and its
main part, whose members do not expand beyond the core's limit; text must decode as
text. Sizes are limited before the content is read.
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

from pmo.core.uploads import MAX_UNCOMPRESSED_BYTES, check_workbook_archive, sniff

MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

# extension → (what sniff() must find, the archive member an Office file must hold)
OFFICE_PARTS = {".docx": "word/document.xml", ".pptx": "ppt/presentation.xml"}
TEMPLATE_TYPES = {".docx": "zip", ".xlsx": "zip", ".pptx": "zip", ".pdf": "pdf"}
EVIDENCE_TYPES = {
    **TEMPLATE_TYPES,
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
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
    """An upload that passed the checks: a safe name, its bytes and their digest."""

    def __init__(self, name: str, data: bytes):
        self.name = name
        self.data = data
        self.size = len(data)
        self.checksum = hashlib.sha256(data).hexdigest()

    def content(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)


def content_type_for(name: str) -> str:
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


def check_template(upload) -> CheckedFile:
    """A template must be a Word, Excel or PowerPoint file, or a PDF."""
    return _check(
        upload,
        TEMPLATE_TYPES,
        MAX_TEMPLATE_BYTES,
        _("Upload a Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file, or a PDF."),
    )


def check_evidence(upload) -> CheckedFile:
    """Evidence may also be an image or a text file."""
    return _check(
        upload,
        EVIDENCE_TYPES,
        MAX_EVIDENCE_BYTES,
        _("Upload a PDF, an image (PNG, JPEG), a Word, Excel or PowerPoint file, or text."),
    )


def _check(upload, allowed: dict[str, str], limit: int, wrong_type: str) -> CheckedFile:
    name = os.path.basename(upload.name or "").strip() or "file"
    extension = os.path.splitext(name)[1].lower()
    expected = allowed.get(extension)
    if expected is None:
        raise ValidationError(wrong_type, code="extension")
    if upload.size is not None and upload.size > limit:
        raise ValidationError(_too_big(upload.size, limit), code="too_big")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_too_big(len(data), limit), code="too_big")
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    mismatch = ValidationError(
        _("The file's content does not match its name (%(name)s).") % {"name": name},
        code="mismatch",
    )
    if sniff(data) != expected:
        raise mismatch
    if extension == ".xlsx":
        check_workbook_archive(data)
    elif extension in OFFICE_PARTS and not _is_office(data, OFFICE_PARTS[extension]):
        raise mismatch
    return CheckedFile(name[-200:], data)


def _is_office(data: bytes, main_part: str) -> bool:
    """A Word or PowerPoint archive with its main part that does not expand too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            declared = sum(member.file_size for member in members)
            return (
                "[Content_Types].xml" in names
                and main_part in names
                and declared <= MAX_UNCOMPRESSED_BYTES
            )
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _too_big(size: int, limit: int) -> str:
    return _("The file is %(size)s; files may be up to %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(limit),
    }
