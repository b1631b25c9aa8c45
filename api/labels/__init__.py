"""The one label catalogue and the formatting of times and rates for people.

Everything a person reads — on the page, in the terminal, in an exported workbook —
names codes through ``labels(lang, sectors)`` and writes times and rates with
``beijing_minute`` and ``percent``.
"""

from __future__ import annotations

from .catalogue import GROUPS, Labels, Lang, build, labels, language, pairs
from .formatting import BEIJING, NOTHING, beijing_day, beijing_minute, percent

__all__ = [
    "BEIJING",
    "GROUPS",
    "NOTHING",
    "Labels",
    "Lang",
    "beijing_day",
    "beijing_minute",
    "build",
    "labels",
    "language",
    "pairs",
    "percent",
]
