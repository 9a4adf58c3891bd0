"""Builders of small import files, and a few fixed files, for the import and export tests."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

DATA_DIR = Path(__file__).parent


def xlsx_bytes(rows: list[list], *, title: str = "data") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def table_file(rows: list[list], fmt: str, name: str = "data") -> SimpleUploadedFile:
    content = xlsx_bytes(rows) if fmt == "xlsx" else csv_bytes(rows)
    return upload(f"{name}.{fmt}", content)


def zip_bomb_xlsx(uncompressed_bytes: int) -> bytes:
    """A workbook-shaped archive whose sheet expands to ``uncompressed_bytes`` of spaces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(uncompressed_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    ' <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n'
    "]>\n"
)


def entity_bomb_xlsx(base: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A real workbook whose sheet declares and uses nested entities ("billion laughs")."""
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                body = data.decode("utf-8")
                if body.startswith("<?xml"):
                    body = body.split("?>", 1)[1]
                body = body.replace("<t>", "<t>&lol4;", 1)
                data = (BILLION_LAUGHS + body).encode("utf-8")
            target.writestr(info, data)
    return buffer.getvalue()
