"""The one verifier of printed papers, for ``ledger verify-print`` and ``POST /verify-print``.

Given what a file shows (``scan.Scanned``: its QR codes and its text), it picks the seal
(a monthly report's, a document's, or a document's linked seal) and judges it with the
trusted keys; a linked seal's content comes from ``fetch`` (the short link online, or the
serving ledger itself), a monthly report's recomputation from ``recompute`` (a ledger
copy). A photo or scan carries no text: when the seal itself verifies, the verdict says
so and hands back the content lines for a person to compare with the paper.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ledger.integrity.trust import TrustRoot

from . import monthly
from .scan import Scanned
from .seal import MESSAGES, Fetch, Seal, SealCheck, SealError, check

#: Exit codes of ``verify-print`` by verdict: 0 verified; 1 the paper or its seal is
#: wrong; 3 nothing to judge by; 4 only part could be checked (say what, then use
#: ``--store``/``--online``, or compare by eye).
EXIT = {
    "verified": 0,
    "no_seal": 3,
    "not_a_seal": 3,
    "link_unavailable": 3,
    "checkpoint_only": 4,
    "content_unchecked": 4,
    "compare_by_eye": 4,
}

Recompute = Callable[[monthly.MonthlySeal], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Verdict:
    """A paper's verdict: status, the answer (JSON, with message_zh/message_en), and the
    lines to show — those that differ, or for a photo those to compare by eye."""

    status: str
    answer: dict[str, Any]
    lines: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "verified"

    @property
    def exit_code(self) -> int:
        return EXIT.get(self.status, 1)

    def message(self, lang: str = "zh") -> str:
        return str(self.answer["message_en" if lang.startswith("en") else "message_zh"])


def verify_scanned(
    scanned: Scanned,
    trust: TrustRoot,
    *,
    fetch: Fetch | None = None,
    recompute: Recompute | None = None,
) -> Verdict:
    """Judge the first seal on the paper that verifies (else the last one's verdict)."""
    reports = [c for c in scanned.codes if c.startswith(monthly.MAGIC)]
    if reports:
        try:
            report_seal = monthly.MonthlySeal.from_bytes(reports[0])
        except (ValueError, KeyError, TypeError, zlib.error, struct.error):
            return _verdict(SealCheck("not_a_seal").as_dict(), ())
        judged = monthly.check(report_seal, scanned.text, trust, recompute=recompute)
        return _verdict(judged.as_dict(), judged.differing, photo=_photo(scanned))
    verdict = SealCheck("no_seal")
    for code in scanned.codes:
        try:
            verdict = check(Seal.from_bytes(code), scanned.text, trust, fetch)
        except SealError as e:
            verdict = SealCheck(e.code if e.code in MESSAGES else "not_a_seal")
        if verdict.ok:
            break
    answer = verdict.as_dict()
    if verdict.seal is not None and verdict.seal.link is not None:
        answer["link"] = verdict.seal.link
        answer["short_links"] = [verdict.seal.short_link(e) for e in verdict.seal.events]
    return _verdict(answer, verdict.differing, photo=_photo(scanned))


def _photo(scanned: Scanned) -> bool:
    """A picture of the paper: QR codes but no text layer to compare."""
    return not scanned.text.strip()


def _verdict(answer: dict[str, Any], differing: tuple[str, ...], photo: bool = False) -> Verdict:
    if photo and answer["status"] == "content_changed":
        zh, en = MESSAGES["compare_by_eye"]
        answer = {**answer, "status": "compare_by_eye", "message_zh": zh, "message_en": en}
        answer["compare"] = answer.pop("differing", list(differing))
    return Verdict(str(answer["status"]), answer, differing)
