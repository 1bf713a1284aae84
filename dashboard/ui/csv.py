"""CSV downloads (the usage pages and the usage API): cells no spreadsheet runs as formulas."""

from __future__ import annotations

import csv

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """The text as a CSV cell no spreadsheet runs: a leading formula sign is quoted away."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value):
    """A value as written in a cell: hours to 4 decimals, text made spreadsheet-safe."""
    if isinstance(value, float):
        return f"{value:.4f}"
    return spreadsheet_safe(value) if isinstance(value, str) else value


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download: the header line, then each row's cells."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return response
