"""QR codes as SVG (no Pillow needed) or PNG, from the qrcode package."""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def qr_svg(data: str, title: str = "") -> str:
    """An SVG that scales to its container; `title` names it for screen readers."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=2, image_factory=qrcode.image.svg.SvgPathImage
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = re.sub(r'\swidth="[^"]*"\sheight="[^"]*"', "", svg, count=1)  # size it with CSS
    if title:
        escaped = title.replace("&", "&amp;").replace("<", "&lt;")
        svg = svg.replace(">", f' role="img" aria-label="{escaped}"><title>{escaped}</title>', 1)
    return svg


def qr_png(data: str, box_size: int = 20) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2, box_size=box_size)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()
