"""A photo made small enough for a page (the original is kept and served on request)."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

PAGE_PIXELS = 1280
"""The long side of a photo on the page: sharp on a phone, a few hundred KB."""


def for_page(data: bytes, media_type: str) -> tuple[bytes, str]:
    """A JPEG no larger than ``PAGE_PIXELS`` on its long side, upright; a PDF as it is."""
    if not media_type.startswith("image/"):
        return data, media_type
    with Image.open(io.BytesIO(data)) as image:
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((PAGE_PIXELS, PAGE_PIXELS))
        out = io.BytesIO()
        upright.convert("RGB").save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue(), "image/jpeg"
