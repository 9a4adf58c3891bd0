"""Checks on an uploaded spreadsheet before anything parses it, and reading it into rows.

The file's type is decided by its content, never by its name alone: an ``.xlsx`` must be
a zip archive holding ``[Content_Types].xml`` and ``xl/workbook.xml``; a ``.csv`` must be
UTF-8 (with or without a byte-order mark) or GB18030 text, the encodings Excel writes on
Chinese Windows. Workbooks are opened only after their archive has been measured, so that
a small upload cannot expand into gigabytes (a "zip bomb"), and their XML is parsed by
openpyxl through defusedxml, which refuses entity declarations ("billion laughs").
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

XLSX, CSV = "xlsx", "csv"
EXTENSIONS = {".xlsx": XLSX, ".csv": CSV}

# Limits on what a workbook may expand to. They are generous for real spreadsheets: a
# 5 MB workbook of text holds well under 100 MB of XML, and sheet XML rarely compresses
# more than 100 to 1, while a zip bomb compresses thousands to one.
MAX_UNCOMPRESSED_BYTES = getattr(settings, "PMO_IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024)
MAX_COMPRESSION_RATIO = getattr(settings, "PMO_IMPORT_MAX_COMPRESSION_RATIO", 100)
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # tiny members compress oddly; only big ones count
MAX_ARCHIVE_MEMBERS = 1000
# Rows that are styled but empty can run to the end of the sheet; stop after this many.
MAX_TRAILING_BLANK_ROWS = 1000

SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),  # OLE2: Excel 97-2003, old Word …
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"%PDF", "pdf"),
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
DANGEROUS_XML = (b"<!DOCTYPE", b"<!ENTITY")


@dataclass
class Table:
    """The first sheet of an upload: header cells and the non-blank data rows.

    ``lines`` holds the spreadsheet line number of each data row, so that errors can
    point at the line the user sees in Excel.
    """

    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


def _max_bytes() -> int:
    return settings.PMO_IMPORT_MAX_BYTES


def _max_rows() -> int:
    return settings.PMO_IMPORT_MAX_ROWS


# --- deciding what a file is -----------------------------------------------------------


def sniff(data: bytes) -> str:
    """What the bytes are: ``zip``, ``xls``, ``image``, ``pdf``, ``text`` or ``binary``."""
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    try:
        decode_text(data)
    except ValidationError:
        return "binary"
    return "text"


def decode_text(data: bytes) -> str:
    """The text of a CSV upload (UTF-8 with or without BOM, else GB18030)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # GB18030 decodes almost any byte string; control characters betray binary data.
        if CONTROL_CHARACTERS.search(text):
            break
        return text
    raise ValidationError(
        _(
            "The file is not readable text. Save it from Excel as “CSV UTF-8” "
            "or upload the .xlsx workbook instead."
        ),
        code="not_text",
    )


def check_workbook_archive(data: bytes) -> None:
    """Refuse an archive that is not a workbook or that would expand too far.

    Every member is decompressed here in chunks and counted, so a header that lies
    about its size does not help a zip bomb through.
    """
    damaged = ValidationError(
        _("The workbook is damaged or not an Excel .xlsx file. Save it again in Excel and retry."),
        code="bad_xlsx",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise damaged from None
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise ValidationError(
                _("The file is a zip archive but not an Excel .xlsx workbook."),
                code="not_xlsx",
            )
        too_big = ValidationError(
            _(
                "The workbook expands to more than %(size)s when opened, which is not "
                "plausible for a spreadsheet. It was refused."
            )
            % {"size": filesizeformat(MAX_UNCOMPRESSED_BYTES)},
            code="zip_bomb",
        )
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise too_big
        declared = sum(member.file_size for member in members)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise too_big
        for member in members:
            if (
                member.file_size >= RATIO_CHECK_FROM_BYTES
                and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
            ):
                raise too_big
        total = 0
        try:
            for member in members:
                is_xml = member.filename.endswith((".xml", ".rels", ".vml"))
                tail = b""
                with archive.open(member) as stream:
                    while chunk := stream.read(64 * 1024):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED_BYTES:
                            raise too_big
                        if is_xml and any(mark in tail + chunk for mark in DANGEROUS_XML):
                            raise _entities_error()
                        tail = chunk[-16:]
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
            raise damaged from None


def check_upload(upload) -> tuple[str, bytes]:
    """Check an upload's name and size; return its type (``xlsx``/``csv``) and bytes.

    The content is checked by :func:`read_table`, which also runs when a stored file
    is read again to commit it.
    """
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension == ".xls":
        raise ValidationError(
            _("Excel 97-2003 (.xls) files are not supported. Save the file as .xlsx and retry."),
            code="xls",
        )
    file_type = EXTENSIONS.get(extension)
    if file_type is None:
        raise ValidationError(
            _("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), code="extension"
        )
    if upload.size is not None and upload.size > _max_bytes():
        raise ValidationError(_too_big_message(upload.size), code="too_big")
    upload.seek(0)
    data = upload.read(_max_bytes() + 1)
    if len(data) > _max_bytes():
        raise ValidationError(_too_big_message(len(data)), code="too_big")
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    return file_type, data


def _too_big_message(size: int) -> str:
    return _("The file is %(size)s; the largest file that can be imported is %(max)s.") % {
        "size": filesizeformat(size),
        "max": filesizeformat(_max_bytes()),
    }


def check_content(data: bytes, file_type: str) -> None:
    """Check that the bytes really are what the file's name says."""
    kind = sniff(data)
    if file_type == XLSX:
        if kind == "zip":
            check_workbook_archive(data)
            return
        if kind == "xls":
            raise ValidationError(
                _(
                    "The file is an Excel 97-2003 workbook renamed to .xlsx. "
                    "Open it in Excel and save it as .xlsx."
                ),
                code="xls",
            )
        raise ValidationError(
            _("The file is named .xlsx but is not an Excel workbook."), code="not_xlsx"
        )
    if kind in ("zip", "xls"):
        raise ValidationError(
            _(
                "The file is named .csv but is an Excel workbook. "
                "Rename it to .xlsx, or save it as CSV."
            ),
            code="not_csv",
        )
    if kind != "text":
        raise ValidationError(_("The file is named .csv but is not a text file."), code="not_csv")


# --- reading rows ------------------------------------------------------------------------


def read_table(data: bytes, file_type: str) -> Table:
    """The header and data rows of the first sheet (checks the content first)."""
    check_content(data, file_type)
    raw_rows = _xlsx_rows(data) if file_type == XLSX else _csv_rows(data)
    table: Table | None = None
    blank_run = 0
    for line, cells in enumerate(raw_rows, start=1):
        values = [_clean_cell(cell) for cell in cells]
        if all(value in (None, "") for value in values):
            blank_run += 1
            if table is not None and blank_run > MAX_TRAILING_BLANK_ROWS:
                break
            continue
        blank_run = 0
        if table is None:
            table = Table(headers=[str(v).strip() if v is not None else "" for v in values])
            continue
        if len(table.rows) >= _max_rows():
            raise ValidationError(
                _(
                    "The file has more than %(max)s data rows. "
                    "Split it into smaller files and import them one after another."
                )
                % {"max": _max_rows()},
                code="too_many_rows",
            )
        table.rows.append(values)
        table.lines.append(line)
    if table is None:
        raise ValidationError(_("The file has no header row and no data."), code="empty")
    width = len(table.headers)
    while width and not table.headers[width - 1]:
        width -= 1
    table.headers = table.headers[:width]
    table.rows = [(row + [None] * width)[:width] for row in table.rows]
    return table


def _clean_cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _entities_error() -> ValidationError:
    return ValidationError(
        _(
            "The workbook contains XML declarations (DOCTYPE or ENTITY) that spreadsheets "
            "never need. It was refused."
        ),
        code="xml_entities",
    )


def _unreadable_error() -> ValidationError:
    return ValidationError(
        _("The workbook could not be read. Save it again in Excel as .xlsx and retry."),
        code="bad_xlsx",
    )


def _workbook_error(error: BaseException) -> ValidationError:
    """The message for a workbook openpyxl could not read (it wraps XML errors)."""
    from defusedxml import DefusedXmlException

    while error is not None:
        if isinstance(error, DefusedXmlException):
            return _entities_error()
        error = error.__cause__ or error.__context__
    return _unreadable_error()


def _xlsx_rows(data: bytes):
    # openpyxl parses with defusedxml whenever it is installed (it is a dependency);
    # refuse to parse workbooks at all if that protection is missing.
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:
        raise ValidationError(
            _("Excel import is switched off on this server (safe XML parsing is missing)."),
            code="no_defusedxml",
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise _workbook_error(error) from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except ValidationError:
        raise
    except Exception as error:
        raise _workbook_error(error) from None
    finally:
        workbook.close()


def _csv_rows(data: bytes):
    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as error:
        raise ValidationError(
            _("The CSV file could not be read (%(error)s).") % {"error": error}, code="bad_csv"
        ) from None


# --- the upload form ---------------------------------------------------------------------


class ImportUploadForm(forms.Form):
    """Choose what the file holds and the file; the content checks run in the service."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        """``kinds`` are the registry's import kinds the user may choose."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.code, kind.label) for kind in kinds]
