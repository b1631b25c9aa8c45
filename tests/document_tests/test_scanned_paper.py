"""A scan or photo of a genuine printed paper: an image carries the QR code but no text
layer, so the seal is verified and the lines are handed back to compare by eye — never
called tampered."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from api.cli import app as cli

from .test_printed_documents import printed  # noqa: F401  (the fixture)

runner = CliRunner()


def _scan_to_png(pdf: Path, png: Path, dpi: int = 300) -> None:
    document = pdfium.PdfDocument(str(pdf))
    try:
        document[0].render(scale=dpi / 72).to_pil().convert("L").save(png, dpi=(dpi, dpi))
    finally:
        document.close()


@pytest.mark.parametrize("kind", ["rectification-order", "re-inspection", "inspection-record"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_scan_of_a_genuine_paper_is_compared_by_eye_not_called_tampered(
    printed: tuple[dict[str, UUID], Path, Path],  # noqa: F811
    store_url: str,
    kind: str,
    lang: str,
) -> None:
    ids, trusted, tmp = printed
    pdf, png = tmp / f"{kind}.pdf", tmp / f"{kind}.png"
    result = runner.invoke(
        cli, ["--store", store_url, "print", kind, str(ids[kind]), "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    _scan_to_png(pdf, png)
    result = runner.invoke(
        cli, ["--lang", lang, "verify-print", str(png), "--trusted-key", str(trusted)]
    )
    assert result.exit_code == 4, result.output
    assert "✗" not in result.output
    assert "☐" in result.output
    if lang == "zh":
        assert "逐行对照" in result.output and "不一致" not in result.output
    else:
        assert "compare the lines" in result.output and "changed" not in result.output
