"""Reading a printed document back: its QR code from the rendered page image and its
text, from a PDF (pypdfium2 renders the page at 300 dpi and extracts the text layer) or
a DOCX (the embedded picture and the paragraphs). zxing-cpp decodes the QR code, so
verification needs neither the database nor a network.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from .render import FOOTER_TOP_MM


@dataclass(frozen=True, slots=True)
class Scanned:
    """What a file shows: the QR codes' texts found on it and its printed text."""

    codes: tuple[bytes, ...]
    text: str


def decode_qr(image: Image.Image) -> list[bytes]:
    """Every QR code's bytes on an image."""
    import zxingcpp

    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [bytes(r.bytes) for r in found]


def scan_pdf(path: Path, dpi: int = 300, max_pages: int | None = None) -> Scanned:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        raise ValueError(f"not a readable PDF: {e}") from None
    codes: list[bytes] = []
    texts: list[str] = []
    try:
        if max_pages is not None and len(pdf) > max_pages:
            raise ValueError(f"{len(pdf)} pages, at most {max_pages}")
        for page in pdf:
            image = page.render(scale=dpi / 72).to_pil()
            codes += decode_qr(image)
            textpage = page.get_textpage()
            # The text above the page furniture: a page number must not split a
            # paragraph that runs over the page break.
            _, height = page.get_size()
            top_of_footer = FOOTER_TOP_MM / 25.4 * 72
            texts.append(textpage.get_text_bounded(bottom=top_of_footer, top=height))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return Scanned(tuple(codes), "\n".join(texts))


def scan_docx(path: Path) -> Scanned:
    from docx import Document

    doc = Document(str(path))
    codes: list[bytes] = []
    for rel in doc.part.rels.values():
        if "image" in rel.reltype:
            codes += decode_qr(Image.open(io.BytesIO(rel.target_part.blob)))
    text = "\n".join(p.text for p in doc.paragraphs)
    return Scanned(tuple(codes), text)


def scan(path: Path, max_pages: int | None = None) -> Scanned:
    """By the file's suffix: a PDF's pages or a DOCX's pictures and paragraphs; an image
    (a photo or scan of the paper) gives its QR codes and no text. A file that cannot
    be read, or a PDF of more than ``max_pages`` pages, raises ``ValueError``."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return scan_pdf(path, max_pages=max_pages)
    if suffix == ".docx":
        return scan_docx(path)
    try:
        with Image.open(path) as image:
            return Scanned(tuple(decode_qr(image.convert("RGB"))), "")
    except (OSError, Image.DecompressionBombError) as e:
        raise ValueError(f"not a readable image: {e}") from None
