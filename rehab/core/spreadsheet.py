"""CSV cells a spreadsheet will not run: the guard every CSV export of Rehab uses."""

from __future__ import annotations


def csv_cell(value) -> str:
    """Spreadsheet-safe: a cell starting with = + - @ (or a tab or return) is not run as a
    formula (CSV injection); it is written with a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
