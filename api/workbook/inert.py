"""Text a spreadsheet must not run: the one rule for every exported cell.

A description, a location or a name is written by people, and a cell of exported text
that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) is
a formula to Excel and LibreOffice once the file is opened: ``=HYPERLINK(...)`` can send
a neighbouring cell to another site. Following OWASP's CSV injection guidance, a CSV
cell of such text is prefixed with ``'`` (shown as text, the text itself unchanged after
it), and an XLSX cell holds it as a string, never a formula. Numbers, dates and the
ledger's own marks (``-`` for "no rate") are not people's text and are written as they
are.
"""

from __future__ import annotations

from typing import Any

#: What makes a spreadsheet read a cell's text as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: prefixed with ``'`` if it could."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def as_string_cell(cell: Any) -> Any:
    """An openpyxl cell whose text value is kept as text (openpyxl makes ``=…`` a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
