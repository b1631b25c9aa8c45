"""The one way a rate is shown to a person: a percentage with one decimal.

Rates are kept as fractions (0.9773) everywhere in the ledger; the CLI, CSV files and
printed documents show them through ``format_rate`` and workbooks store the fraction as a
number with ``RATE_NUMBER_FORMAT``, so 97.7% reads the same on paper, on screen and in
Excel.
"""

from __future__ import annotations

#: Excel's number format for a rate: the same one decimal as ``format_rate``.
RATE_NUMBER_FORMAT = "0.0%"


def format_rate(value: float | None) -> str:
    """``0.9773`` → ``"97.7%"``; no rate (nothing to rectify) → ``"-"``."""
    if value is None:
        return "-"
    return f"{value * 100:.1f}%"
