"""The waardeoverzicht as an A4 PDF: what a year of rooms was worth, what was charged and
what the house gave away, for an initiative's own accounts to its funders.

Plain data in (no database, no Flask): the service passes the statement's rows, already
in Amsterdam time, and the Dutch captions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from fpdf import FPDF

from booking.documents.invoice_pdf import ENCODING, pdf_text
from booking.rules.messages import format_date_nl
from booking.rules.money import format_euro


class StatementRow(Protocol):
    """One booking of the statement (the service's ValueLine)."""

    start: datetime
    end: datetime
    house: str
    room: str
    activity: str
    hours_hundredths: int
    tariff_group: str
    list_price_cents: int
    charged_cents: int


COLUMNS = (
    ("Datum/tijd", 34),
    ("Huis en ruimte", 46),
    ("Activiteit", 44),
    ("Uren", 12),
    ("Waarde", 18),
    ("Betaald", 18),
    ("Geschonken", 18),
)


def _hours(hundredths: int) -> str:
    return f"{hundredths // 100},{hundredths % 100:02d}"


def _fit(pdf: FPDF, text: str, width: float) -> str:
    text = pdf_text(text)
    while text and pdf.get_string_width(text) > width - 2:
        text = text[:-2] + "…" if len(text) > 2 else ""
    return text


def value_statement_pdf(
    recipient: str, year: int, made_on: date, rows: Sequence[StatementRow]
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING  # WinAnsi: € and the Dutch accents (invoice_pdf.py)
    pdf.set_title(pdf_text(f"Waardeoverzicht {year} - {recipient}"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, pdf_text(f"Waardeoverzicht {year}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, pdf_text(f"Voor: {recipient}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        6,
        pdf_text(f"Opgemaakt op {format_date_nl(made_on.isoformat())}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0,
        5,
        pdf_text(
            "Dit overzicht toont de huurwaarde van de ruimtes die u dit jaar gebruikte: de "
            "lijstprijs, wat u betaalde en wat het buurthuis u schonk. U kunt het gebruiken "
            "voor uw eigen verantwoording aan fondsen of subsidiegevers."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 8)
    for caption, width in COLUMNS:
        pdf.cell(width, 6, pdf_text(caption), border="B")
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for row in rows:
        cells = (
            f"{row.start:%d-%m-%Y} {row.start:%H:%M}-{row.end:%H:%M}",
            f"{row.house}, {row.room}",
            row.activity,
            _hours(row.hours_hundredths),
            format_euro(row.list_price_cents),
            format_euro(row.charged_cents),
            format_euro(max(row.list_price_cents - row.charged_cents, 0)),
        )
        for (_caption, width), text in zip(COLUMNS, cells, strict=True):
            pdf.cell(width, 5, _fit(pdf, text, width))
        pdf.ln()
    pdf.set_font("Helvetica", "B", 9)
    totals = (
        ("Totaal uren", _hours(sum(r.hours_hundredths for r in rows))),
        ("Totale huurwaarde", format_euro(sum(r.list_price_cents for r in rows))),
        ("Totaal betaald", format_euro(sum(r.charged_cents for r in rows))),
        (
            "Totaal geschonken door het buurthuis",
            format_euro(sum(max(r.list_price_cents - r.charged_cents, 0) for r in rows)),
        ),
    )
    pdf.ln(2)
    for caption, value in totals:
        pdf.cell(150, 6, pdf_text(caption))
        pdf.cell(40, 6, pdf_text(value), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
