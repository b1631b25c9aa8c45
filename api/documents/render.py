"""Printed documents as PDF (reportlab, CJK font embedded) and DOCX (python-docx).

The layout follows the usual official form: the issuing department's name above the
document's title, the document number, the content as labelled paragraphs, the issuer
and the date at the bottom right, and in the bottom left the verification QR code
(``seal``) with the event position, tree size and leaf hash printed beside it so that a
person can read them without a phone. The font is read from a local file (Debian's
fonts-wqy-microhei, or ``$LEDGER_CJK_FONT``) and subset-embedded in the PDF: nothing is
fetched at run time.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno
from segno.encoder import DataOverflowError

from ledger.errors import LedgerError, refuse

from .content import DocumentContent
from .seal import Seal

FONT_ENV_VAR = "LEDGER_CJK_FONT"
#: The ledger service's public address, for short links on documents too long for one QR
#: code (``GET /p/{leaf-hash-prefix}``).
PUBLIC_URL_ENV_VAR = "LEDGER_PUBLIC_URL"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
FONT_NAME = "LedgerCJK"
DOCX_FONT = "WenQuanYi Micro Hei"


def font_file() -> Path:
    """The CJK font to embed: ``$LEDGER_CJK_FONT`` or the first installed candidate."""
    chosen = os.environ.get(FONT_ENV_VAR)
    for candidate in ([chosen] if chosen else []) + list(FONT_CANDIDATES):
        if Path(candidate).is_file():
            return Path(candidate)
    raise refuse(
        "NO_CJK_FONT",
        "font",
        "未找到中文字体，请安装 fonts-wqy-microhei 或设置 LEDGER_CJK_FONT",
        "no CJK font found: install fonts-wqy-microhei or set LEDGER_CJK_FONT",
    )


def qr_png(data: bytes, scale: int = 4) -> bytes:
    """The seal as a QR code image (byte mode; error correction L — the paper is
    verified from a print or a 300 dpi render, and the seal must fit)."""
    out = io.BytesIO()
    try:
        code = segno.make(data, error="l", micro=False, boost_error=True)
    except DataOverflowError:
        # A seal carries the sealed payloads; very long free text outgrows the largest
        # QR code (version 40). Refused by name rather than failing inside segno.
        raise refuse(
            "SEAL_TOO_LARGE",
            "content",
            f"文书内容过长，核验二维码容纳不下（{len(data)} 字节，上限约 2953 字节）；"
            f"请设置账本服务的公开地址（--link 或 {PUBLIC_URL_ENV_VAR}）以短链接核验，"
            "或精简文书中的自由文本后再打印",
            f"the document is too long for its verification QR code ({len(data)} bytes, "
            f"at most about 2953): give the ledger service's public address (--link or "
            f"{PUBLIC_URL_ENV_VAR}) to seal it by a short link, or shorten its free text",
        ) from None
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def fitted(seal: Seal, link: str | None = None) -> Seal:
    """The seal as printed: whole when it fits one QR code; else, given the service's
    public address (``link`` or ``$LEDGER_PUBLIC_URL``), linked — payloads left to
    ``GET /p/{leaf-hash-prefix}`` (decision 0030); else refused by name."""
    link = link or os.environ.get(PUBLIC_URL_ENV_VAR) or None
    try:
        qr_png(seal.to_bytes())
        return seal
    except LedgerError:
        if not link:
            raise
    linked = seal.linked(link)
    qr_png(linked.to_bytes())  # refused by name if even the proofs outgrow the code
    return linked


def seal_caption(seal: Seal) -> list[str]:
    """What a person can read beside the QR code: positions, tree, leaf hashes, and for
    a linked seal the short link that answers the content."""
    lines = [f"账本核验：检查点 {seal.note.splitlines()[0]} · 树大小 {_tree_size(seal)}"]
    for event in seal.events:
        lines.append(f"记录位置 {event.header.seq} · 叶哈希 {event.leaf_hash.hex()[:32]}…")
    if seal.link is None:
        lines.append("核验：ledger verify-print 本文件 --trusted-key 账本公钥")
        return lines
    lines.append(f"文书内容较长，二维码携带短链接：{seal.short_link(seal.events[0])}")
    lines.append(f"核验：ledger verify-print 本文件 --trusted-key 账本公钥 --online {seal.link}")
    return lines


def _tree_size(seal: Seal) -> str:
    lines = seal.note.splitlines()
    return lines[1] if len(lines) > 1 else "?"


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_file()), subfontIndex=0))


#: Page furniture below this height (the page number) is not the document's text: the
#: verifier reads only above it, so a paragraph running over a page break reads on.
FOOTER_TOP_MM = 13


def write_pdf(path: Path, content: DocumentContent, seal: Seal | None) -> None:
    """The document as an A4 PDF with the font embedded and the seal's QR code.

    The text flows over as many pages as it needs (never cut off at the page edge), each
    page numbered "第 i 页 / 共 n 页"; the QR code and its caption follow the date, kept
    together, on the last page.
    """
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
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
    body = ParagraphStyle(
        "body", fontName=FONT_NAME, fontSize=12, leading=20, wordWrap="CJK", spaceAfter=6
    )
    heading = ParagraphStyle(
        "title", parent=body, fontSize=22, leading=30, alignment=TA_CENTER, spaceAfter=4
    )
    issuer = ParagraphStyle("issuer", parent=body, fontSize=15, alignment=TA_CENTER)
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=10, spaceAfter=0)

    def p(text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), style)

    story: list[Flowable] = [p(content.issuer, issuer), p(content.title, heading)]
    if content.number:
        story.append(p(f"文书编号：{content.number}", ParagraphStyle("n", parent=right)))
    story.append(Spacer(1, 4 * mm))
    story += [p(f"{label}：{value}", body) for label, value in content.fields]
    story.append(Spacer(1, 10 * mm))
    story += [p(f"签发单位：{content.issuer}", right), p(f"日期：{content.issued_on}", right)]
    width, _ = A4
    if seal is not None:
        qr_size = 55 * mm
        qr = Image(io.BytesIO(qr_png(seal.to_bytes())), width=qr_size, height=qr_size)
        beside = Table(
            [[qr, [p(line, small) for line in seal_caption(seal)]]],
            colWidths=[qr_size + 4 * mm, width - 44 * mm - qr_size],
        )
        beside.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 6 * mm), KeepTogether([beside])]

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=content.title,
        author=content.issuer,
        pageCompression=1,
    )
    doc.build(story, canvasmaker=_numbered_canvas())


def _numbered_canvas() -> Any:
    """A canvas that numbers its pages "第 i 页 / 共 n 页" once it knows how many there are
    (the pages are held until ``save`` and drawn then)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab internal

        def save(self) -> None:
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self.setFont(FONT_NAME, 8)
                self.drawCentredString(A4[0] / 2, 8 * mm, f"第 {number} 页 / 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def write_docx(path: Path, content: DocumentContent, seal: Seal | None) -> None:
    """The document as DOCX: the same lines and QR code, the CJK font named."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    normal = doc.styles["Normal"]
    normal.font.name = DOCX_FONT
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)
    normal.font.size = Pt(12)

    def line(text: str, size: int = 12, align: object = None, bold: bool = False) -> None:
        para = doc.add_paragraph()
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        if align is not None:
            para.alignment = align  # type: ignore[assignment]

    line(content.issuer, 15, WD_ALIGN_PARAGRAPH.CENTER)
    line(content.title, 22, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
    if content.number:
        line(f"文书编号：{content.number}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    for label, value in content.fields:
        line(f"{label}：{value}")
    line(f"签发单位：{content.issuer}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    line(f"日期：{content.issued_on}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    if seal is not None:
        doc.add_picture(io.BytesIO(qr_png(seal.to_bytes(), scale=6)), width=Mm(45))
        for text in seal_caption(seal):
            line(text, 8)
    doc.save(str(path))


def write_document(path: Path, content: DocumentContent, seal: Seal | None) -> None:
    """By the file's suffix: ``.pdf`` or ``.docx``."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        write_pdf(path, content, seal)
    elif suffix == ".docx":
        write_docx(path, content, seal)
    else:
        raise refuse(
            "UNKNOWN_DOCUMENT_FORMAT",
            "output",
            "输出文件须为 .pdf 或 .docx",
            "the output file must be .pdf or .docx",
        )
