"""An invoice or credit note as an A4 PDF in Dutch, the paper a treasurer reads and files.

Why it looks like this:

- Each line shows its list price, its discount and what is charged, with the reasons for
  its tariff group in small type beneath: a house that rents below cost wants the renter
  to see the rent given away ("Huur die u niet betaalt"), and why.
- Long invoices run over pages with the table header repeated and "pagina 1 van 2".
- fpdf2's core fonts (Helvetica) are not Unicode: they print WinAnsi (cp1252), which has
  €, the en dash and every Dutch accent. Text is therefore encoded as cp1252; a character
  outside it falls back to its unaccented letter (ş → s, İ → I) or to "?" (Arabic, emoji),
  so a name in any script prints something and never raises. Embedding a Unicode TTF
  would need a font file in the package and makes each PDF slower and larger.
- Captions are Dutch msgids marked with N_; `doc.labels` replaces any of them, so the
  service can pass translations without this module knowing about a locale.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import lru_cache

from fpdf import FPDF

from booking.rules.invoices import DocumentLine, InvoiceDocument, InvoiceKind, VatBreakdown
from booking.rules.messages import N_, format_date_nl
from booking.rules.money import format_euro
from booking.rules.registry_numbers import iban_groups

CAPTIONS: dict[str, str] = {
    "invoice": N_("Factuur"),
    "credit_note": N_("Creditfactuur"),
    "number": N_("Nummer"),
    "issue_date": N_("Factuurdatum"),
    "due_date": N_("Vervaldatum"),
    "kvk": N_("KvK"),
    "btw": N_("Btw-nummer"),
    "iban": N_("IBAN"),
    "to": N_("Aan"),
    "period": N_("Periode"),
    "period_range": N_("%(start)s t/m %(end)s"),
    "buyer_reference": N_("Uw referentie"),
    "col_when": N_("Datum/tijd"),
    "col_room": N_("Ruimte"),
    "col_activity": N_("Activiteit"),
    "col_hours": N_("Uren"),
    "col_group": N_("Tariefgroep"),
    "col_list": N_("Lijstprijs"),
    "col_discount": N_("Korting"),
    "col_amount": N_("Bedrag"),
    "why_group": N_("Waarom tariefgroep %(group)s"),
    "list_total": N_("Lijstprijs totaal"),
    "discount_total": N_("Korting: huur die u niet betaalt"),
    "net_total": N_("Subtotaal excl. btw"),
    "vat_rate": N_("Btw %(rate)s%% over %(taxable)s"),
    "total": N_("Totaal"),
    "credit_total": N_("Totaal te crediteren"),
    "pay": N_("Graag betalen vóór %(due)s op IBAN %(iban)s t.n.v. %(name)s o.v.v. %(reference)s."),
    "pay_no_iban": N_("Graag betalen vóór %(due)s o.v.v. %(reference)s."),
    "credit_of": N_("Creditfactuur bij factuur %(number)s"),
    "credit_settle": N_("Dit bedrag verrekenen wij of betalen wij u terug; u hoeft niets te doen."),
    "reason": N_("Reden"),
    "page": N_("pagina %(page)s van %(pages)s"),
}

A4_WIDTH = 210.0
MARGIN = 15.0
CONTENT = A4_WIDTH - 2 * MARGIN
BOTTOM = 18.0  # room for the page number
ROW = 5.0
SMALL_ROW = 3.6
# (caption key, width in mm, alignment) of the table's columns; together CONTENT wide.
COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("col_when", 22.0, "L"),
    ("col_room", 28.0, "L"),
    ("col_activity", 46.0, "L"),
    ("col_hours", 11.0, "R"),
    ("col_group", 18.0, "C"),
    ("col_list", 19.0, "R"),
    ("col_discount", 17.0, "R"),
    ("col_amount", 19.0, "R"),
)
ENCODING = "cp1252"  # what fpdf2's core fonts print (PDF WinAnsiEncoding)


@lru_cache(maxsize=4096)
def _printable(char: str) -> str:
    """One character as the core font can print it: itself, its unaccented letters, or ?."""
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return " " if char in "\t\n\r" else ""
    try:
        char.encode(ENCODING)
        return char
    except UnicodeEncodeError:
        pass
    base = "".join(
        c
        for c in unicodedata.normalize("NFKD", char)
        if not unicodedata.combining(c) and _encodable(c)
    )
    return base or "?"


def _encodable(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return unicodedata.category(char)[0] != "C"


def pdf_text(text: str) -> str:
    """Any text made printable by the core fonts: never raises, whatever the script."""
    return "".join(_printable(char) for char in str(text or ""))


def _caption(doc: InvoiceDocument, key: str, **params: str) -> str:
    """The caption in the document's language, filled in. A translation with broken
    placeholders falls back to the Dutch caption rather than failing the invoice."""
    text = doc.labels.get(key) or CAPTIONS[key]
    for template in (text, CAPTIONS[key]):
        if not params and "%(" not in template:
            return pdf_text(template)  # a caption without placeholders may hold a bare %
        try:
            return pdf_text(template % params)
        except (KeyError, ValueError, TypeError):
            continue
    return pdf_text(CAPTIONS[key])


def _long_date(day: date | datetime) -> str:
    return format_date_nl((day.date() if isinstance(day, datetime) else day).isoformat())


def _hours(hundredths: int) -> str:
    whole, rest = divmod(hundredths, 100)
    return f"{whole},{rest:02d}"


def _percent(rate_hundredths: int) -> str:
    whole, rest = divmod(rate_hundredths, 100)
    return str(whole) if not rest else f"{whole},{rest:02d}".rstrip("0")


class _InvoicePDF(FPDF):
    """FPDF whose header repeats the table header while the lines run and whose footer
    numbers the pages."""

    def __init__(self, doc: InvoiceDocument) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.in_table = False
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font("Helvetica", "", 8)
            title = _caption(self.doc, _title_key(self.doc))
            self.cell(0, 4, pdf_text(f"{title} {self.doc.number}"), new_x="LMARGIN", new_y="NEXT")
            self.ln(2)
        if self.in_table:
            self.table_header()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        page = _caption(self.doc, "page", page=str(self.page_no()), pages=self.str_alias_nb_pages)
        self.cell(0, 4, page, align="R")

    def table_header(self) -> None:
        self.set_font("Helvetica", "B", 8)
        self.set_fill_color(230, 230, 230)
        for key, width, align in COLUMNS:
            self.cell(width, ROW + 1, _caption(self.doc, key), border="B", align=align, fill=True)
        self.ln(ROW + 1)


def _title_key(doc: InvoiceDocument) -> str:
    return "credit_note" if doc.kind is InvoiceKind.creditfactuur else "invoice"


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut text to one line of the column, with an ellipsis, so a long name never wraps
    into the next row."""
    text = pdf_text(text)
    if pdf.get_string_width(text) <= width - 1.5:
        return text
    while text and pdf.get_string_width(text + "…") > width - 1.5:
        text = text[:-1]
    return text + "…"


def _seller_block(pdf: _InvoicePDF, doc: InvoiceDocument) -> None:
    seller = doc.seller
    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(100, 6, pdf_text(seller.name), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    lines = [seller.street, f"{seller.postcode}  {seller.city}".strip(), seller.email]
    if seller.kvk:
        lines.append(f"{_caption(doc, 'kvk')} {seller.kvk}")
    if seller.btw:
        lines.append(f"{_caption(doc, 'btw')} {seller.btw}")
    if seller.iban:
        lines.append(f"{_caption(doc, 'iban')} {iban_groups(seller.iban)}")
    for line in lines:
        if line.strip():
            pdf.cell(100, 4.5, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    pdf.set_xy(MARGIN + 110, top)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(70, 9, _caption(doc, _title_key(doc)), align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for key, value in (
        ("number", doc.number),
        ("issue_date", _long_date(doc.issue_date)),
        ("due_date", _long_date(doc.due_date)),
    ):
        if key == "due_date" and doc.kind is InvoiceKind.creditfactuur:
            continue
        pdf.set_x(MARGIN + 110)
        pdf.cell(30, 4.5, _caption(doc, key))
        pdf.cell(40, 4.5, pdf_text(value), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(bottom, pdf.get_y()) + 6)


def _buyer_block(pdf: _InvoicePDF, doc: InvoiceDocument) -> None:
    buyer = doc.buyer
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(0, 4, _caption(doc, "to"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(100, 5, pdf_text(buyer.name), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    lines = [buyer.street, f"{buyer.postcode}  {buyer.city}".strip(), buyer.email]
    if buyer.kvk:
        lines.append(f"{_caption(doc, 'kvk')} {buyer.kvk}")
    for line in lines:
        if line.strip():
            pdf.cell(100, 4.5, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if doc.period_start and doc.period_end:
        period = _caption(
            doc, "period_range", start=_long_date(doc.period_start), end=_long_date(doc.period_end)
        )
        pdf.cell(0, 4.5, f"{_caption(doc, 'period')}: {period}", new_x="LMARGIN", new_y="NEXT")
    if doc.buyer_reference:
        reference = pdf_text(doc.buyer_reference)
        pdf.cell(
            0,
            4.5,
            f"{_caption(doc, 'buyer_reference')}: {reference}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if doc.kind is InvoiceKind.creditfactuur and doc.credited_number:
        pdf.set_font("Helvetica", "B", 9)
        text = _caption(doc, "credit_of", number=doc.credited_number)
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 9)
    if doc.note:
        label = _caption(doc, "reason") + ": " if doc.kind is InvoiceKind.creditfactuur else ""
        pdf.multi_cell(
            CONTENT, 4.5, label + pdf_text(doc.note), align="L", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)


def _line_cells(line: DocumentLine) -> tuple[str, ...]:
    return (
        f"{line.start:%d-%m-%Y}",
        line.room,
        line.description,
        _hours(line.hours_hundredths),
        line.tariff_group,
        format_euro(line.list_price_cents),
        format_euro(-line.discount_cents) if line.discount_cents else "",
        format_euro(line.amount_cents),
    )


def _line(pdf: _InvoicePDF, doc: InvoiceDocument, line: DocumentLine) -> None:
    """One booking: the main row, then in small type its time and why its tariff group."""
    when_width = COLUMNS[0][1]
    reasons = "; ".join(pdf_text(reason) for reason in line.reasons if reason)
    why = _caption(doc, "why_group", group=line.tariff_group) + ": " + reasons if reasons else ""
    pdf.set_font("Helvetica", "", 7)
    rows = len(
        pdf.multi_cell(
            CONTENT - when_width, SMALL_ROW, why, align="L", dry_run=True, output="LINES"
        )
    )
    needed = ROW + max(rows, 1) * SMALL_ROW + 1.5
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("Helvetica", "", 8)
    for (_key, width, align), text in zip(COLUMNS, _line_cells(line), strict=True):
        pdf.cell(width, ROW, _fit(pdf, text, width), align=align)
    pdf.ln(ROW)
    pdf.set_font("Helvetica", "", 7)
    pdf.set_text_color(90, 90, 90)
    top = pdf.get_y()
    pdf.cell(when_width, SMALL_ROW, pdf_text(f"{line.start:%H:%M}–{line.end:%H:%M}"))
    if why:
        pdf.multi_cell(
            CONTENT - when_width, SMALL_ROW, why, align="L", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.set_y(max(pdf.get_y(), top + SMALL_ROW) + 1.5)
    pdf.set_text_color(0, 0, 0)


def _vat_row(doc: InvoiceDocument, vat: VatBreakdown) -> tuple[str, int]:
    if vat.category == "S":
        caption = _caption(
            doc,
            "vat_rate",
            rate=_percent(vat.rate_hundredths),
            taxable=format_euro(vat.taxable_cents),
        )
        return caption, vat.tax_cents
    return pdf_text(vat.exemption_reason) or "-", vat.tax_cents


def _totals(pdf: _InvoicePDF, doc: InvoiceDocument) -> None:
    credit = doc.kind is InvoiceKind.creditfactuur
    rows: list[tuple[str, int, bool]] = [
        (_caption(doc, "list_total"), doc.list_price_cents, False),
        (_caption(doc, "discount_total"), -doc.discount_cents, False),
        (_caption(doc, "net_total"), doc.net_cents, False),
    ]
    rows += [(*_vat_row(doc, vat), False) for vat in doc.vat]
    rows.append((_caption(doc, "credit_total" if credit else "total"), doc.total_cents, True))
    if pdf.get_y() + len(rows) * 6 + 30 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2)
    pdf.line(MARGIN + 70, pdf.get_y(), MARGIN + CONTENT, pdf.get_y())
    pdf.ln(1)
    for caption, cents, bold in rows:
        pdf.set_font("Helvetica", "B" if bold else "", 10 if bold else 9)
        top = pdf.get_y()
        pdf.set_x(MARGIN + 70)
        pdf.multi_cell(80, 5, caption, align="L", new_x="LMARGIN", new_y="NEXT")
        bottom = pdf.get_y()
        pdf.set_xy(MARGIN + 150, top)
        pdf.cell(CONTENT - 150, 5, pdf_text(format_euro(cents)), align="R")
        pdf.set_y(bottom)
    pdf.ln(6)


def _payment(pdf: _InvoicePDF, doc: InvoiceDocument) -> None:
    pdf.set_font("Helvetica", "", 10)
    if doc.kind is InvoiceKind.creditfactuur:
        pdf.multi_cell(
            CONTENT, 5, _caption(doc, "credit_settle"), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        return
    text = _caption(
        doc,
        "pay" if doc.seller.iban else "pay_no_iban",
        due=_long_date(doc.due_date),
        iban=iban_groups(doc.seller.iban),
        name=doc.seller.name,
        reference=doc.payment_reference or doc.number,
    )
    pdf.multi_cell(CONTENT, 5, text, align="L", new_x="LMARGIN", new_y="NEXT")


def invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The document as an A4 PDF. The same document gives the same bytes (the creation
    date is the issue date), so a stored invoice can be made again and compared."""
    pdf = _InvoicePDF(doc)
    title = _caption(doc, _title_key(doc))
    pdf.set_title(pdf_text(f"{title} {doc.number}"))
    pdf.set_author(pdf_text(doc.seller.name))
    pdf.set_creator("Buurthuis")
    pdf.set_creation_date(datetime(doc.issue_date.year, doc.issue_date.month, doc.issue_date.day))
    pdf.add_page()
    _seller_block(pdf, doc)
    _buyer_block(pdf, doc)
    pdf.in_table = True
    pdf.table_header()
    for line in doc.lines:
        _line(pdf, doc, line)
    pdf.in_table = False
    _totals(pdf, doc)
    _payment(pdf, doc)
    return bytes(pdf.output())
