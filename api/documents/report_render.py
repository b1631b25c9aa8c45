"""The monthly report on paper: A4 landscape, the official table layout, CJK font
embedded, the seal's QR code at the foot of the last page.

The table flows over as many pages as it needs, its header row repeated on each (a
county with many sectors never loses a row to the page edge); every page carries its
number. When the figures make the seal too large for one QR code, the seal travels
without them (the digest stays): offline the paper then proves which checkpoint it was
computed at, and ``verify-print --store`` or ``--online`` checks the figures.
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from ledger.codes import region_name
from ledger.errors import LedgerError

from ..labels import beijing_minute
from .monthly import MonthlySeal, accident_line, header_row, table_rows, title
from .render import FONT_NAME, _register_font, qr_png


def seal_bytes(seal: MonthlySeal) -> bytes:
    """The QR payload: with the figures when they fit, else without them."""
    full = seal.to_bytes()
    try:
        qr_png(full)
    except LedgerError:
        return seal.without_report().to_bytes()
    return full


def caption(seal: MonthlySeal, carries_figures: bool) -> list[str]:
    first = seal.note.splitlines()[0] if seal.note else ""
    lines = [
        f"账本核验：检查点 {first} · 树大小 {seal.tree_size}",
        f"按 {seal.known_at} 时账本所载记录计算 · 报表摘要 {seal.report_digest[:32]}…",
    ]
    if not carries_figures:
        lines.append("二维码未携带报表数据：请以账本副本（--store）或在线方式核验数字")
    lines.append("核验：ledger verify-print 本文件 --trusted-key 账本公钥 [--store 账本副本]")
    return lines


def write_report_pdf(path: Path, report: dict[str, object], seal: MonthlySeal | None) -> None:
    """The report as a paginated A4 landscape PDF with the seal's QR code."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Flowable,
        Image,
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_font()
    base = ParagraphStyle("b", fontName=FONT_NAME, fontSize=10, leading=14, wordWrap="CJK")
    heading = ParagraphStyle("h", parent=base, fontSize=18, leading=26, alignment=TA_CENTER)
    cell = ParagraphStyle("c", parent=base, fontSize=7.5, leading=9.5, alignment=TA_CENTER)
    small = ParagraphStyle("s", parent=base, fontSize=7.5, leading=10)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), style)

    data = [[p(t, cell) for t in header_row()]]
    data += [[p(t, cell) for t in row] for row in table_rows(dict(report))]
    width, _ = landscape(A4)
    usable = width - 30 * mm
    first = 24 * mm
    rest = (usable - first) / (len(data[0]) - 1)
    table = Table(data, colWidths=[first] + [rest] * (len(data[0]) - 1), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    at = beijing_minute(str(report.get("at", "")))
    story: list[Flowable] = [
        p(title(dict(report)), heading),
        p(f"统计区域：{_region(str(report.get('region', '')))} · 截至：{at}", base),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
        p(accident_line(dict(report)), base),
    ]
    if seal is not None:
        payload = seal_bytes(seal)
        carries = payload == seal.to_bytes()
        qr = Image(io.BytesIO(qr_png(payload)), width=55 * mm, height=55 * mm)
        words = Table(
            [[qr, [p(line, small) for line in caption(seal, carries)]]],
            colWidths=[58 * mm, usable - 58 * mm],
        )
        words.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 4 * mm), KeepTogether([words])]

    def number(canvas: object, doc: object) -> None:
        canvas.setFont(FONT_NAME, 8)  # type: ignore[attr-defined]
        canvas.drawCentredString(  # type: ignore[attr-defined]
            width / 2,
            8 * mm,
            f"第 {doc.page} 页",  # type: ignore[attr-defined]
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title(dict(report)),
    )
    doc.build(story, onFirstPage=number, onLaterPages=number)


def _region(code: str) -> str:
    """``静宁县（620826）``: the name officials read, with the code the figures are by."""
    name = region_name(code)
    return name if name == code else f"{name}（{code}）"
