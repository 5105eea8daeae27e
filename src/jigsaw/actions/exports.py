"""The filtered log as CSV or XLSX, safe to open in a spreadsheet.

A cell that starts with = + - @ or a tab or carriage return would be read as a formula by
Excel or LibreOffice (CSV injection), so such text is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime
import io

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = [
    "Reference",
    "What must change",
    "Source",
    "Source type",
    "Owner agency",
    "Owner",
    "Priority",
    "Themes",
    "Raised",
    "Due",
    "Status",
    "Date completed",
    "Evidence of completion",
    "Next review due",
    "Escalated to",
    "Closed because",
]


def safe(value):
    """Text as a spreadsheet will show it, never run it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows(actions):
    for action in actions:
        source_type = action.source_type.model_class() if action.source_type_id else None
        yield [
            action.reference,
            action.description,
            action.source_label,
            str(source_type._meta.verbose_name).capitalize() if source_type else "",
            action.owner_agency.name if action.owner_agency_id else "Partnership-wide",
            action.owner_person.name if action.owner_person_id else "",
            action.get_priority_display(),
            "; ".join(theme.name for theme in action.themes.all()),
            action.raised_on,
            action.due_on,
            action.get_status_display(),
            action.completed_on,
            action.evidence,
            getattr(action, "next_review_on", None),
            action.escalated_to.name if action.escalated_to_id else "",
            action.closure_reason,
        ]


def as_csv(actions) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows(actions):
        writer.writerow(
            [
                safe(value.isoformat() if isinstance(value, datetime.date) else ("" if value is None else value))
                for value in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def as_xlsx(actions) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Learning log"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(actions):
        sheet.append([safe(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it looks like a formula
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJKLMNOP", [13, 60, 35, 20, 30, 22, 9, 30, 11, 11, 22, 11, 50, 14, 25, 40]):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def respond(actions, export_format: str, *, filename: str) -> HttpResponse:
    body = as_csv(actions) if export_format == "csv" else as_xlsx(actions)
    response = HttpResponse(body, content_type=CONTENT_TYPES[export_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return response
