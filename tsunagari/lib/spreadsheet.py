"""CSV and Excel downloads that open correctly in Japanese Excel.

Excel only detects UTF-8 in a CSV when it starts with a BOM, so CSVs carry one. Cells that a
spreadsheet would run as a formula (starting with = + - @, tab or CR) are neutralised.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_MAX_COLUMN_WIDTH = 60


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` fallback and the RFC 5987 UTF-8 `filename*`."""
    stem, dot, extension = unicodedata.normalize("NFKC", filename).rpartition(".")
    if not dot:
        stem, extension = extension, ""
    ascii_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_") or "download"
    ascii_extension = re.sub(r"[^A-Za-z0-9]+", "", extension)
    fallback = f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet could interpret `value` as a formula."""
    return value.startswith(_FORMULA_PREFIXES)


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if isinstance(value, str) and is_formula_like(text):
        return "'" + text
    return text


def csv_response(
    filename: str, header: list[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV download: UTF-8 with BOM, CRLF line endings, every cell as text."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def display_width(text: str) -> int:
    """Width in half-width columns: CJK and other wide characters count as 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in sheet names and limits them to 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "Sheet1"


def _set_cell(cell: Cell, value: object) -> str:
    """Store `value` in `cell` and return how it will roughly look, for the column width."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        # openpyxl rejects aware datetimes; Excel has no time zones, so use local time.
        cell.value = _local(value).replace(tzinfo=None)
        cell.number_format = "yyyy/mm/dd hh:mm"
        return "0000/00/00 00:00"
    if isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy/mm/dd"
        return "0000/00/00"
    if isinstance(value, (bool, int, float, Decimal)):
        cell.value = value
        return str(value)
    text = str(value)
    cell.value = text
    # Always a string cell: openpyxl would otherwise write "=..." as a live formula. A
    # formula-like string also gets Excel's own quote prefix rather than a literal
    # apostrophe, so the cell shows what was stored and stays text when edited.
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return text


def xlsx_response(
    filename: str,
    sheet_title: str,
    header: list[str],
    rows: Iterable[Sequence[object]],
    *,
    title_line: str | None = None,
) -> HttpResponse:
    """An Excel download: optional title line, bold frozen header, dates as real dates."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(sheet_title)

    row_number = 1
    if title_line:
        title_cell = sheet.cell(row=row_number, column=1)
        _set_cell(title_cell, title_line)
        title_cell.font = Font(bold=True, size=14)
        row_number += 1

    widths: dict[int, int] = {}
    bold = Font(bold=True)
    for column, label in enumerate(header, start=1):
        cell = sheet.cell(row=row_number, column=column)
        widths[column] = display_width(_set_cell(cell, label))
        cell.font = bold
    sheet.freeze_panes = sheet.cell(row=row_number + 1, column=1)

    for row in rows:
        row_number += 1
        for column, value in enumerate(row, start=1):
            shown = _set_cell(sheet.cell(row=row_number, column=column), value)
            widths[column] = max(widths.get(column, 0), display_width(shown))

    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, 6), _MAX_COLUMN_WIDTH
        )

    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
