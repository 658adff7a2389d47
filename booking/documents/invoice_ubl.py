"""An invoice or credit note as UBL 2.1 in the Dutch SI-UBL 2.0 profile (NLCIUS, a CIUS of
EN 16931), the file Dutch accounting packages and Peppol access points take in.

Why the choices below:

- Every amount is written from integer cents ("12.50"), never through a float, so the file
  adds up to the cent exactly as the PDF does.
- A line states its list price and its discount, not only the net amount: Price/PriceAmount
  is the list price for the whole line (BaseQuantity = the invoiced hours) and the discount
  is a line AllowanceCharge. EN 16931's line arithmetic (BR-LIN-04: net = quantity × price
  ÷ base quantity − allowances) then holds exactly, with no price per hour to round, and
  the rent the house gives away stays visible in the buyer's books too.
- A fee without hours (a late cancellation) is one piece (unit C62), not zero hours.
- The buyer's e-mail is no electronic address of EN 16931's EAS list, so the buyer gets an
  EndpointID only when it has a KvK number (scheme 0106); the XSD and EN 16931 allow it to
  be absent, and the e-mail goes in the buyer's Contact.
- A credit note asks for no payment (no PaymentMeans); PaymentTerms says so in words,
  which also answers BR-CO-25 (a positive amount due needs a due date or payment terms),
  since UBL 2.1's CreditNote has no DueDate.
- SI-UBL's advice is followed where it differs from what EN 16931 merely allows: no
  account name, no allowance reason code, and no issue date of the credited invoice
  (BR-NL-24, -30, -32 warn against them); the credited invoice's number is there (BG-3).
- SI-UBL (BR-NL-10) wants a KvK or OIN number for every Dutch buyer. A buyer without one
  (a private person, an unregistered club) still gets an EN 16931-valid file, but SI-UBL
  rejects it: offer the UBL file to buyers with a KvK number.
- Text is stripped of characters XML 1.0 cannot carry (control characters), so a hostile
  name makes a valid file instead of a broken one.

The tags are written with their prefixes and the namespaces declared on the root, so no
process-wide `ElementTree.register_namespace` is needed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

from booking.rules.invoices import DocumentLine, InvoiceDocument, InvoiceKind, Party, VatBreakdown

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
KVK_SCHEME = "0106"  # ISO 6523 ICD of the Dutch KvK number
SEPA_CREDIT_TRANSFER = "58"  # UNCL 4461
INVOICE_TYPE = "380"  # UNCL 1001 commercial invoice
CREDIT_NOTE_TYPE = "381"  # UNCL 1001 credit note
HOURS = "HUR"  # UN/ECE recommendation 20
PIECE = "C62"

NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"

CREDIT_NOTE_TERMS = (
    "Creditfactuur bij factuur {number}: dit bedrag wordt verrekend of terugbetaald."
)
"""PaymentTerms of a credit note, in the document's language (Dutch: the seller is Dutch)."""

# Everything XML 1.0 cannot carry, plus the other C0/C1 controls a person never means.
_UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Text as XML can carry it: control characters dropped, runs of whitespace (tabs and
    newlines included) one space, so a hostile or pasted name never breaks the file."""
    return _WHITESPACE.sub(" ", _UNWANTED.sub("", text or "")).strip()


def amount(cents: int) -> str:
    """Integer cents as a UBL amount with two decimals: 123456 → "1234.56"."""
    if not isinstance(cents, int) or isinstance(cents, bool):
        raise TypeError(f"amount must be integer cents, got {cents!r}")
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros}.{rest:02d}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _money(parent: ET.Element, tag: str, cents: int, currency: str) -> ET.Element:
    return _sub(parent, tag, amount(cents), currencyID=currency)


def _day(value: date | datetime) -> str:
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _check(doc: InvoiceDocument) -> None:
    """Refuse a document whose numbers disagree: a file that does not add up is worse than
    no file, because an accounting package would book it or bounce it silently."""
    if not doc.lines:
        raise ValueError("an invoice needs at least one line (BR-16)")
    if len(doc.vat) != 1:
        raise ValueError("a document line carries no VAT category: exactly one breakdown")
    for line in doc.lines:
        if line.list_price_cents - line.discount_cents != line.amount_cents:
            raise ValueError(f"line {line.description!r}: list price - discount != amount")
    if sum(b.taxable_cents for b in doc.vat) != doc.net_cents:
        raise ValueError("the VAT breakdown's taxable amount differs from the lines' total")


def _address(parent: ET.Element, party: Party) -> None:
    address = _sub(parent, "cac:PostalAddress")
    for tag, value in (
        ("cbc:StreetName", party.street),
        ("cbc:CityName", party.city),
        ("cbc:PostalZone", party.postcode),
    ):
        if clean_text(value):
            _sub(address, tag, clean_text(value))
    country = _sub(address, "cac:Country")
    _sub(country, "cbc:IdentificationCode", clean_text(party.country).upper() or "NL")


def _party(parent: ET.Element, tag: str, party: Party) -> None:
    """Seller or buyer (BG-4 / BG-7): the KvK number is the electronic address and the
    legal registration; the BTW number is the VAT identifier, only when there is one."""
    wrapper = _sub(parent, tag)
    element = _sub(wrapper, "cac:Party")
    kvk = clean_text(party.kvk)
    name = clean_text(party.name) or "-"
    if kvk:
        _sub(element, "cbc:EndpointID", kvk, schemeID=KVK_SCHEME)
    _sub(_sub(element, "cac:PartyName"), "cbc:Name", name)
    _address(element, party)
    btw = clean_text(party.btw)
    if btw:
        scheme = _sub(element, "cac:PartyTaxScheme")
        _sub(scheme, "cbc:CompanyID", btw)
        _sub(_sub(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _sub(element, "cac:PartyLegalEntity")
    _sub(legal, "cbc:RegistrationName", name)
    if kvk:
        _sub(legal, "cbc:CompanyID", kvk, schemeID=KVK_SCHEME)
    email = clean_text(party.email)
    if email:
        _sub(_sub(element, "cac:Contact"), "cbc:ElectronicMail", email)


def _percent(rate_hundredths: int) -> str:
    return amount(rate_hundredths)  # 2100 hundredths of a percent → "21.00"


def _tax_category(parent: ET.Element, tag: str, vat: VatBreakdown, *, reason: bool) -> None:
    """A VAT category: Percent for S and E (0), none for O (BR-O-05, BR-O-09); the
    exemption text for E and O (BR-E-10, BR-O-10) in the breakdown only."""
    category = _sub(parent, tag)
    _sub(category, "cbc:ID", vat.category)
    if vat.category != "O":
        _sub(category, "cbc:Percent", _percent(vat.rate_hundredths))
    if reason and vat.category in ("E", "O"):
        _sub(category, "cbc:TaxExemptionReason", clean_text(vat.exemption_reason) or "-")
    _sub(_sub(category, "cac:TaxScheme"), "cbc:ID", "VAT")


def _quantity(line: DocumentLine) -> tuple[str, str]:
    if line.hours_hundredths > 0:
        return amount(line.hours_hundredths), HOURS
    return "1.00", PIECE


def _line_description(line: DocumentLine) -> str:
    start, end = line.start, line.end
    when = f"{start:%d-%m-%Y} {start:%H:%M}-{end:%H:%M}"
    return clean_text(f"{when}, {line.room}, tariefgroep {line.tariff_group}")


def _line(root: ET.Element, doc: InvoiceDocument, index: int, line: DocumentLine) -> None:
    credit = doc.kind is InvoiceKind.creditfactuur
    currency = doc.currency
    element = _sub(root, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _sub(element, "cbc:ID", str(index))
    reasons = clean_text("; ".join(line.reasons))
    if reasons:
        _sub(element, "cbc:Note", reasons)
    quantity, unit = _quantity(line)
    _sub(
        element,
        "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
        quantity,
        unitCode=unit,
    )
    _money(element, "cbc:LineExtensionAmount", line.amount_cents, currency)
    if line.discount_cents:
        allowance = _sub(element, "cac:AllowanceCharge")
        _sub(allowance, "cbc:ChargeIndicator", "false")
        _sub(
            allowance,
            "cbc:AllowanceChargeReason",
            clean_text(f"Korting tariefgroep {line.tariff_group}"),
        )
        _money(allowance, "cbc:Amount", line.discount_cents, currency)
        _money(allowance, "cbc:BaseAmount", line.list_price_cents, currency)
    item = _sub(element, "cac:Item")
    _sub(item, "cbc:Description", _line_description(line))
    _sub(item, "cbc:Name", clean_text(line.description) or clean_text(line.room) or "-")
    _tax_category(item, "cac:ClassifiedTaxCategory", doc.vat[0], reason=False)
    price = _sub(element, "cac:Price")
    _money(price, "cbc:PriceAmount", line.list_price_cents, currency)
    _sub(price, "cbc:BaseQuantity", quantity, unitCode=unit)


def _header(root: ET.Element, doc: InvoiceDocument) -> None:
    credit = doc.kind is InvoiceKind.creditfactuur
    _sub(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _sub(root, "cbc:ProfileID", PROFILE_ID)
    _sub(root, "cbc:ID", clean_text(doc.number))
    _sub(root, "cbc:IssueDate", _day(doc.issue_date))
    if not credit:
        _sub(root, "cbc:DueDate", _day(doc.due_date))
    _sub(
        root,
        "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode",
        CREDIT_NOTE_TYPE if credit else INVOICE_TYPE,
    )
    if clean_text(doc.note):
        _sub(root, "cbc:Note", clean_text(doc.note))
    _sub(root, "cbc:DocumentCurrencyCode", doc.currency)
    # BT-10: SI-UBL wants a buyer reference or an order reference; the number serves.
    _sub(root, "cbc:BuyerReference", clean_text(doc.buyer_reference) or clean_text(doc.number))
    if doc.period_start or doc.period_end:
        period = _sub(root, "cac:InvoicePeriod")
        if doc.period_start:
            _sub(period, "cbc:StartDate", _day(doc.period_start))
        if doc.period_end:
            _sub(period, "cbc:EndDate", _day(doc.period_end))
    if credit and clean_text(doc.credited_number):
        reference = _sub(_sub(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _sub(reference, "cbc:ID", clean_text(doc.credited_number))


def _payment(root: ET.Element, doc: InvoiceDocument) -> None:
    """A SEPA transfer to the seller's IBAN with the payment reference (BG-16); a credit
    note instead says in PaymentTerms that the amount is settled or refunded."""
    if doc.kind is InvoiceKind.creditfactuur:
        terms = _sub(root, "cac:PaymentTerms")
        number = clean_text(doc.credited_number) or clean_text(doc.number)
        _sub(terms, "cbc:Note", CREDIT_NOTE_TERMS.format(number=number))
        return
    iban = clean_text(doc.seller.iban).replace(" ", "")
    if not iban:
        return
    means = _sub(root, "cac:PaymentMeans")
    _sub(means, "cbc:PaymentMeansCode", SEPA_CREDIT_TRANSFER)
    reference = clean_text(doc.payment_reference) or clean_text(doc.number)
    _sub(means, "cbc:PaymentID", reference)
    account = _sub(means, "cac:PayeeFinancialAccount")
    _sub(account, "cbc:ID", iban)


def _totals(root: ET.Element, doc: InvoiceDocument) -> None:
    currency = doc.currency
    tax_total = _sub(root, "cac:TaxTotal")
    _money(tax_total, "cbc:TaxAmount", doc.tax_cents, currency)
    for vat in doc.vat:
        subtotal = _sub(tax_total, "cac:TaxSubtotal")
        _money(subtotal, "cbc:TaxableAmount", vat.taxable_cents, currency)
        _money(subtotal, "cbc:TaxAmount", vat.tax_cents, currency)
        _tax_category(subtotal, "cac:TaxCategory", vat, reason=True)
    monetary = _sub(root, "cac:LegalMonetaryTotal")
    _money(monetary, "cbc:LineExtensionAmount", doc.net_cents, currency)
    _money(monetary, "cbc:TaxExclusiveAmount", doc.net_cents, currency)
    _money(monetary, "cbc:TaxInclusiveAmount", doc.total_cents, currency)
    _money(monetary, "cbc:PayableAmount", doc.total_cents, currency)


def invoice_ubl(doc: InvoiceDocument) -> bytes:
    """The document as a UBL 2.1 Invoice (380) or CreditNote (381), UTF-8 with an XML
    declaration; raises ValueError when the document's own numbers disagree."""
    _check(doc)
    credit = doc.kind is InvoiceKind.creditfactuur
    root = ET.Element(
        "CreditNote" if credit else "Invoice",
        {
            "xmlns": NS_CREDIT_NOTE if credit else NS_INVOICE,
            "xmlns:cac": NS_CAC,
            "xmlns:cbc": NS_CBC,
        },
    )
    _header(root, doc)
    _party(root, "cac:AccountingSupplierParty", doc.seller)
    _party(root, "cac:AccountingCustomerParty", doc.buyer)
    _payment(root, doc)
    _totals(root, doc)
    for index, line in enumerate(doc.lines, start=1):
        _line(root, doc, index, line)
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)
