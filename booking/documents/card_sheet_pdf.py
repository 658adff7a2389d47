"""The printed sheet of visitor cards as PDF: A4, ten cards of credit-card size a page.

Each card shows the house's name, "Houd deze kaart voor de tablet", its QR code and, small,
its short code (to block it by when it is lost). Dashed lines around each card show where
to cut. The QR images come ready as PNG (kiosk/qr.py), so this module knows no URLs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from booking.documents.invoice_pdf import pdf_text

CARD_W, CARD_H = 85.0, 54.0  # mm, ISO/IEC 7810 ID-1
COLUMNS, ROWS = 2, 5
LEFT = (210 - COLUMNS * CARD_W) / 2
TOP = (297 - ROWS * CARD_H) / 2
QR_SIZE = 40.0


@dataclass(frozen=True)
class SheetCard:
    qr_png: bytes
    short_code: str  # as printed, e.g. ABC-DEFG


@dataclass(frozen=True)
class SheetTexts:
    house: str
    hold: str  # "Houd deze kaart voor de tablet"
    short_label: str  # "Blokkeercode"
    title: str


def card_sheet_pdf(texts: SheetTexts, cards: Sequence[SheetCard]) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(pdf_text(texts.title))
    pdf.set_creator("Buurthuis")
    per_page = COLUMNS * ROWS
    for index, card in enumerate(cards):
        if index % per_page == 0:
            pdf.add_page()
        slot = index % per_page
        _card(pdf, texts, card, LEFT + (slot % COLUMNS) * CARD_W, TOP + (slot // COLUMNS) * CARD_H)
    return bytes(pdf.output())


def _card(pdf: FPDF, texts: SheetTexts, card: SheetCard, x: float, y: float) -> None:
    pdf.set_draw_color(120, 120, 120)
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.rect(x, y, CARD_W, CARD_H)
    pdf.set_dash_pattern()
    pdf.image(io.BytesIO(card.qr_png), x + 4, y + (CARD_H - QR_SIZE) / 2, QR_SIZE, QR_SIZE)
    text_x, text_w = x + QR_SIZE + 7, CARD_W - QR_SIZE - 10
    pdf.set_xy(text_x, y + 6)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(text_w, 5, pdf_text(texts.house), align="L")
    pdf.set_xy(text_x, y + 24)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(text_w, 4.6, pdf_text(texts.hold), align="L")
    pdf.set_xy(text_x, y + CARD_H - 9)
    pdf.set_font("Helvetica", "", 7)
    pdf.cell(text_w, 4, pdf_text(f"{texts.short_label}: {card.short_code}"))
