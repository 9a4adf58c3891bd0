"""Upload checks: type by content, size and row limits, zip bombs, XML entity bombs."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pmo.core import uploads
from pmo.core.models import ImportJob, OrgUnit, SecurityEvent
from tests.core.data import (
    DATA_DIR,
    csv_bytes,
    entity_bomb_xlsx,
    upload,
    xlsx_bytes,
    zip_bomb_xlsx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media", "english")]

ROWS = [["code", "name"], ["HQ", "集团总部"], ["RD", "研发中心"]]
PNG = (DATA_DIR / "pixel.png").read_bytes()


def refused(client, name: str, content: bytes, message: str):
    """Upload a file that must be refused with ``message``; nothing may be kept."""
    response = client.post(
        reverse("core:import_start"), {"kind": "org_units", "file": upload(name, content)}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert 'data-testid="file-errors"' in page
    assert not ImportJob.objects.exists()
    assert not OrgUnit.objects.filter(code__in=["HQ", "RD", "EVIL"]).exists()
    # The latest import event: the log is append-only, so earlier refusals stay in it.
    event = SecurityEvent.objects.filter(kind="import").latest("id")
    assert not event.success and name in event.detail
    return page


def test_a_text_file_named_xlsx_is_refused(pmo):
    refused(
        pmo,
        "units.xlsx",
        csv_bytes(ROWS),
        "The file is named .xlsx but is not an Excel workbook.",
    )


def test_a_png_named_csv_is_refused(pmo):
    refused(pmo, "units.csv", PNG, "The file is named .csv but is not a text file.")


def test_binary_that_decodes_as_gb18030_is_still_not_text(pmo):
    refused(
        pmo,
        "units.csv",
        bytes(range(0x81, 0xFF)) * 4 + b"\x00\x01",
        "The file is named .csv but is not a text file.",
    )


def test_a_workbook_named_csv_is_refused(pmo):
    refused(pmo, "units.csv", xlsx_bytes(ROWS), "is an Excel workbook")


def test_an_old_xls_workbook_is_refused_with_advice(pmo):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    refused(pmo, "units.xlsx", ole, "Excel 97-2003 workbook renamed to .xlsx")
    refused(pmo, "units.xls", ole, "Excel 97-2003 (.xls) files are not supported")


def test_other_extensions_are_refused(pmo):
    refused(pmo, "units.xlsm", xlsx_bytes(ROWS), "Upload an Excel workbook (.xlsx)")


def test_a_zip_that_is_not_a_workbook_is_refused(pmo):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(pmo, "units.xlsx", buffer.getvalue(), "zip archive but not an Excel")


def test_an_empty_file_is_refused(pmo):
    refused(pmo, "units.csv", b"  \n", "The file is empty.")


def test_a_file_over_the_size_limit_is_refused(pmo, settings):
    settings.PMO_IMPORT_MAX_BYTES = 1000
    content = csv_bytes([["code", "name"], *([f"U{i}", "名称" * 10] for i in range(40))])
    assert len(content) > 1000
    refused(pmo, "units.csv", content, "the largest file that can be imported is")


def test_a_file_over_the_row_limit_is_refused(pmo, settings):
    settings.PMO_IMPORT_MAX_ROWS = 3
    content = csv_bytes([["code", "name"], *([f"U{i}", "名称"] for i in range(4))])
    refused(pmo, "units.csv", content, "The file has more than 3 data rows.")


def test_a_zip_bomb_is_refused_before_it_is_opened(pmo, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 16 * 1024 * 1024)
    monkeypatch.setattr(uploads, "MAX_COMPRESSION_RATIO", 10_000_000)  # test the size alone
    bomb = zip_bomb_xlsx(32 * 1024 * 1024)
    assert len(bomb) < 100 * 1024
    refused(pmo, "units.xlsx", bomb, "which is not plausible for a spreadsheet")


def test_an_archive_member_compressed_too_far_is_refused(pmo):
    bomb = zip_bomb_xlsx(8 * 1024 * 1024)  # small in total, but about 1000 to 1
    refused(pmo, "units.xlsx", bomb, "which is not plausible for a spreadsheet")


def test_an_xml_entity_bomb_is_refused(pmo):
    bomb = entity_bomb_xlsx(xlsx_bytes(ROWS))
    refused(pmo, "units.xlsx", bomb, "XML declarations (DOCTYPE or ENTITY)")


def test_openpyxl_itself_refuses_entities_through_defusedxml():
    """Even without the archive scan, the workbook parser refuses the entity bomb."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    bomb = entity_bomb_xlsx(xlsx_bytes(ROWS))
    with pytest.raises(ValidationError) as caught:
        list(uploads._xlsx_rows(bomb))
    assert caught.value.code == "xml_entities"


def test_a_damaged_workbook_gets_a_clear_error():
    good = xlsx_bytes(ROWS)
    with pytest.raises(ValidationError) as caught:
        uploads.read_table(good[: len(good) // 2], uploads.XLSX)
    assert "Excel" in caught.value.messages[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_the_encodings_excel_writes_is_read(encoding):
    table = uploads.read_table(csv_bytes(ROWS, encoding=encoding), uploads.CSV)
    assert table.headers == ["code", "name"]
    assert table.rows == [["HQ", "集团总部"], ["RD", "研发中心"]]
    assert table.lines == [2, 3]


def test_semicolon_csv_and_blank_rows_are_read():
    content = "code;name\n\nHQ;集团总部\n;\nRD;研发中心\n".encode()
    table = uploads.read_table(content, uploads.CSV)
    assert table.rows == [["HQ", "集团总部"], ["RD", "研发中心"]]
    assert table.lines == [3, 5]


def test_a_gb18030_csv_imports_through_the_browser(pmo):
    client = pmo
    content = csv_bytes(ROWS, encoding="gb18030")
    response = client.post(
        reverse("core:import_start"), {"kind": "org_units", "file": upload("单位.csv", content)}
    )
    assert response.status_code == 302
    client.post(response["Location"])
    names = OrgUnit.objects.filter(code__in=["HQ", "RD"]).values_list("name", flat=True)
    assert set(names) == {"集团总部", "研发中心"}
    job = ImportJob.objects.get()
    assert job.original_name == "单位.csv"
    assert job.status == ImportJob.Status.COMMITTED


def test_the_kept_file_and_its_checksum(pmo):
    import hashlib

    content = xlsx_bytes(ROWS)
    client = pmo
    client.post(
        reverse("core:import_start"), {"kind": "org_units", "file": upload("u.xlsx", content)}
    )
    job = ImportJob.objects.get()
    assert job.checksum == hashlib.sha256(content).hexdigest()
    assert job.file.name.startswith("imports/") and job.file.name.endswith(".xlsx")
    assert "u.xlsx" not in job.file.name  # the user's file name never becomes a path
    with job.file.open("rb") as kept:
        assert kept.read() == content


def test_a_kept_file_changed_on_disk_is_not_imported(pmo):
    client = pmo
    response = client.post(
        reverse("core:import_start"),
        {"kind": "org_units", "file": upload("u.csv", csv_bytes(ROWS))},
    )
    job = ImportJob.objects.get()
    with open(job.file.path, "wb") as kept:
        kept.write(csv_bytes([["code", "name"], ["EVIL", "篡改"]]))
    client.post(response["Location"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not OrgUnit.objects.filter(code__in=["HQ", "RD", "EVIL"]).exists()
    assert "changed since it was checked" in client.get(response["Location"]).content.decode()


def test_a_header_without_rows_is_invalid(pmo):
    client = pmo
    client.post(
        reverse("core:import_start"),
        {"kind": "org_units", "file": upload("u.csv", csv_bytes([["code", "name"]]))},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    assert job.summary["file_errors"] == ["The file has a header row but no data rows."]
