"""Spreadsheets written by the application: exports and blank import templates.

Every text cell is neutralised against formula injection, in CSV as in XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from django.utils.translation import gettext as _

from pmo.core.resources.base import CoreResource
from pmo.core.resources.widgets import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    KeyWidget,
    MonthWidget,
    TextWidget,
    neutralise,
)


def _xlsx_text(value):
    """A value openpyxl can store: formulas neutralised, control characters removed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def export_rows(resource: CoreResource, queryset):
    """Header labels and the exported values of each record, in column order."""
    columns = resource.columns()
    headers = [column.title() for column in columns]
    rows = ([column.export(obj) for column in columns] for obj in queryset)
    return headers, rows


def to_csv(headers, rows) -> bytes:
    """CSV in UTF-8 with a byte-order mark, which Excel needs to show Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(headers, rows, *, sheet_title: str) -> bytes:
    """A workbook with one sheet: bold header, frozen first row, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers):
        sheet.column_dimensions[_column_letter(index)].width = max(12, min(40, len(header) * 2))
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(header))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_text(value))
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in sheet names and allows 31 characters.
    return re.sub(r"[\\/*?:\[\]]", " ", str(title))[:31] or "Sheet1"


def template_xlsx(resource: CoreResource, *, title: str) -> bytes:
    """A blank workbook to fill in: the columns on the first sheet, help on the second.

    Required columns are marked with an asterisk; choice and yes/no columns offer a
    drop-down list of their labels.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = resource.import_columns()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.freeze_panes = "A2"
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(columns, start=1):
        header = column.title() + (" *" if column.required else "")
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = required_fill
        letter = _column_letter(index - 1)
        sheet.column_dimensions[letter].width = max(14, min(40, len(header) * 2))
        options = None
        if isinstance(column.widget, ChoiceWidget):
            options = column.widget.labels()
        elif isinstance(column.widget, BooleanWidget):
            options = [str(_("Yes")), str(_("No"))]
        if options and all("," not in o and '"' not in o for o in options):
            validation = DataValidation(
                type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
            )
            validation.add(f"{letter}2:{letter}1000")
            sheet.add_data_validation(validation)
        if isinstance(column.widget, DateWidget) and not isinstance(column.widget, MonthWidget):
            for row in range(2, 1001):
                sheet.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if isinstance(column.widget, MonthWidget | TextWidget | KeyWidget):
            # Text format keeps codes such as 0012 and months such as 2026-03 as typed.
            for row in range(2, 1001):
                sheet.cell(row=row, column=index).number_format = "@"
    help_sheet = workbook.create_sheet(_sheet_title(_("Instructions")))
    help_sheet.append(
        [str(_("Column")), str(_("Key")), str(_("Required")), str(_("What to write"))]
    )
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        help_sheet.append(
            [
                column.title(),
                column.key,
                str(_("Yes")) if column.required else "",
                column.describe(),
            ]
        )
    for letter, width in zip("ABCD", (28, 24, 10, 80), strict=True):
        help_sheet.column_dimensions[letter].width = width
    for row in help_sheet.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
