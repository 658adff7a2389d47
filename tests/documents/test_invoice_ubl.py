"""The UBL file: valid against the official UBL 2.1 XSD, adding up the way EN 16931 adds up
(recomputed here from the XML with Decimal, not from the document), and, where saxonche is
installed, free of fatal findings of the EN 16931 and SI-UBL 2.0 Schematron rules."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from booking.documents.invoice_ubl import CUSTOMIZATION_ID, PROFILE_ID, clean_text, invoice_ubl
from booking.rules.invoices import InvoiceDocument, InvoiceKind, Party, VatTreatment
from tests.documents.conftest import BUYER, SELLER, make_document, make_line

HERE = Path(__file__).resolve().parent
XSD = HERE / "ubl-2.1" / "maindoc"
SCHEMATRON = HERE / "schematron"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
CENT = Decimal("0.01")
NO_VAT_SELLER = replace(SELLER, btw="")
BUYER_WITH_KVK = replace(BUYER, kvk="40123456")
FAST = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@cache
def schema(root_name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / f"UBL-{root_name}-2.1.xsd")))


def parse_valid(xml: bytes) -> etree._Element:
    """Parse the file and assert it validates against the UBL 2.1 schema of its kind."""
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(xml)
    kind = etree.QName(root).localname
    xsd = schema(kind)
    assert xsd.validate(root), xsd.error_log
    return root


def amounts(root: etree._Element, path: str) -> list[Decimal]:
    found = root.xpath(path, namespaces=NS)
    for element in found:
        assert element.get("currencyID") == "EUR"
        assert len(element.text.split(".")[-1]) == 2, element.text  # two decimals, always
    return [Decimal(element.text) for element in found]


def one(root: etree._Element, path: str) -> Decimal:
    (value,) = amounts(root, path)
    return value


def assert_adds_up(root: etree._Element) -> None:
    """EN 16931's arithmetic: BR-CO-10, -13, -14, -15, -16, BR-CO-17 and BR-LIN-04."""
    line_tag = "cac:CreditNoteLine" if "CreditNote" in root.tag else "cac:InvoiceLine"
    quantity_tag = "cbc:CreditedQuantity" if "CreditNote" in root.tag else "cbc:InvoicedQuantity"
    line_total = Decimal(0)
    for line in root.xpath(line_tag, namespaces=NS):
        net = one(line, "cbc:LineExtensionAmount")
        quantity = Decimal(line.findtext(quantity_tag, namespaces=NS))
        price = one(line, "cac:Price/cbc:PriceAmount")
        base = Decimal(line.findtext("cac:Price/cbc:BaseQuantity", namespaces=NS) or "1")
        allowances = sum(
            amounts(line, "cac:AllowanceCharge[cbc:ChargeIndicator='false']/cbc:Amount"), Decimal(0)
        )
        charges = sum(
            amounts(line, "cac:AllowanceCharge[cbc:ChargeIndicator='true']/cbc:Amount"), Decimal(0)
        )
        assert net == (quantity * price / base + charges - allowances).quantize(CENT), line
        assert price >= 0  # BR-27
        line_total += net
    monetary = "cac:LegalMonetaryTotal/"
    assert one(root, monetary + "cbc:LineExtensionAmount") == line_total
    allowance_total = sum(amounts(root, monetary + "cbc:AllowanceTotalAmount"), Decimal(0))
    charge_total = sum(amounts(root, monetary + "cbc:ChargeTotalAmount"), Decimal(0))
    exclusive = one(root, monetary + "cbc:TaxExclusiveAmount")
    assert exclusive == line_total - allowance_total + charge_total
    tax = one(root, "cac:TaxTotal/cbc:TaxAmount")
    subtotals = root.xpath("cac:TaxTotal/cac:TaxSubtotal", namespaces=NS)
    assert tax == sum((one(s, "cbc:TaxAmount") for s in subtotals), Decimal(0))
    assert sum((one(s, "cbc:TaxableAmount") for s in subtotals), Decimal(0)) == exclusive
    for subtotal in subtotals:
        category = subtotal.findtext("cac:TaxCategory/cbc:ID", namespaces=NS)
        percent = subtotal.findtext("cac:TaxCategory/cbc:Percent", namespaces=NS)
        taxable, amount = one(subtotal, "cbc:TaxableAmount"), one(subtotal, "cbc:TaxAmount")
        if category == "O":
            assert percent is None and amount == 0
        else:
            expected = (taxable * Decimal(percent) / 100).quantize(CENT, ROUND_HALF_UP)
            assert amount == expected
        if category in ("E", "O"):
            assert subtotal.findtext("cac:TaxCategory/cbc:TaxExemptionReason", namespaces=NS)
    inclusive = one(root, monetary + "cbc:TaxInclusiveAmount")
    assert inclusive == exclusive + tax
    assert one(root, monetary + "cbc:PayableAmount") == inclusive


def test_an_invoice_validates_and_says_what_si_ubl_asks(invoice: InvoiceDocument) -> None:
    root = parse_valid(invoice_ubl(invoice))
    assert etree.QName(root).localname == "Invoice"
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == CUSTOMIZATION_ID
    assert root.findtext("cbc:ProfileID", namespaces=NS) == PROFILE_ID
    assert root.findtext("cbc:InvoiceTypeCode", namespaces=NS) == "380"
    assert root.findtext("cbc:ID", namespaces=NS) == "BP2026-0007"
    assert root.findtext("cbc:DueDate", namespaces=NS) == "2027-01-14"
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == "Vocalis 2026"
    assert root.findtext("cac:InvoicePeriod/cbc:EndDate", namespaces=NS) == "2026-12-31"
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    assert seller.find("cbc:EndpointID", NS).get("schemeID") == "0106"
    assert seller.findtext("cac:PartyTaxScheme/cbc:CompanyID", namespaces=NS) == "NL123456782B01"
    assert seller.find("cac:PartyLegalEntity/cbc:CompanyID", NS).text == "41234567"
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    assert buyer.find("cbc:EndpointID", NS) is None  # an e-mail address is no EAS scheme
    assert buyer.findtext("cac:Contact/cbc:ElectronicMail", namespaces=NS)
    means = root.find("cac:PaymentMeans", NS)
    assert means.findtext("cbc:PaymentMeansCode", namespaces=NS) == "58"
    assert means.findtext("cbc:PaymentID", namespaces=NS) == "BP2026-0007"
    assert means.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == "NL91ABNA0417164300"
    line = root.find("cac:InvoiceLine", NS)
    assert line.find("cbc:InvoicedQuantity", NS).get("unitCode") == "HUR"
    assert line.findtext("cbc:InvoicedQuantity", namespaces=NS) == "2.50"
    assert line.findtext("cac:Price/cbc:PriceAmount", namespaces=NS) == "75.00"
    assert line.findtext("cac:AllowanceCharge/cbc:Amount", namespaces=NS) == "25.00"
    assert line.findtext("cac:AllowanceCharge/cbc:AllowanceChargeReason", namespaces=NS) == (
        "Korting tariefgroep T2"
    )
    assert line.findtext("cac:Item/cbc:Name", namespaces=NS) == "Repetitie Zangkoor Vocalis"
    assert "Grote zaal" in line.findtext("cac:Item/cbc:Description", namespaces=NS)
    assert_adds_up(root)


def test_a_credit_note_names_the_invoice_and_asks_no_payment(credit_note: InvoiceDocument) -> None:
    root = parse_valid(invoice_ubl(credit_note))
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    reference = "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"
    assert root.findtext(reference, namespaces=NS) == "BP2026-0007"
    assert root.find("cac:PaymentMeans", NS) is None
    assert "BP2026-0007" in root.findtext("cac:PaymentTerms/cbc:Note", namespaces=NS)
    assert root.findtext("cbc:Note", namespaces=NS) == "Repetitie van 8 december ging niet door"
    assert len(root.findall("cac:CreditNoteLine", NS)) == 2
    assert_adds_up(root)


@pytest.mark.parametrize(
    ("treatment", "seller", "category"),
    [
        (VatTreatment.belast, SELLER, "S"),
        (VatTreatment.vrijgesteld, SELLER, "E"),
        (VatTreatment.vrijgesteld, NO_VAT_SELLER, "O"),
    ],
)
def test_each_vat_category_validates(treatment: VatTreatment, seller: Party, category: str) -> None:
    root = parse_valid(invoice_ubl(make_document(treatment=treatment, seller=seller)))
    assert (
        root.findtext("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID", namespaces=NS)
        == category
    )
    has_vat_id = (
        root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme", NS) is not None
    )
    assert has_vat_id is (category != "O")  # BR-O-02: no seller VAT identifier for O
    assert_adds_up(root)


def test_a_fee_without_hours_is_one_piece() -> None:
    fee = make_line(0, hours_hundredths=0, list_price_cents=1500, discount_cents=0)
    root = parse_valid(invoice_ubl(make_document((fee,))))
    quantity = root.find("cac:InvoiceLine/cbc:InvoicedQuantity", NS)
    assert (quantity.text, quantity.get("unitCode")) == ("1.00", "C62")
    assert_adds_up(root)


def test_a_document_that_does_not_add_up_is_refused(invoice: InvoiceDocument) -> None:
    wrong = replace(invoice.lines[0], amount_cents=invoice.lines[0].amount_cents + 1)
    with pytest.raises(ValueError):
        invoice_ubl(replace(invoice, lines=(wrong, *invoice.lines[1:])))
    with pytest.raises(ValueError):
        invoice_ubl(replace(invoice, lines=()))


HOSTILE = "<Zaal & \"Co\" 'x'>\x00\x01\x08\x0b\x1f\x7f\ufffe\ud800 ]]> \t\nnaam"


def test_hostile_text_still_makes_valid_xml() -> None:
    hostile = replace(BUYER, name=HOSTILE, street=HOSTILE, city=HOSTILE, email=HOSTILE)
    line = make_line(0, description=HOSTILE, room=HOSTILE, reasons=(HOSTILE, "\x00"))
    doc = make_document((line,), buyer=hostile, note=HOSTILE, buyer_reference=HOSTILE)
    root = parse_valid(invoice_ubl(doc))
    name = root.findtext(
        "cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name", namespaces=NS
    )
    assert name == "<Zaal & \"Co\" 'x'> ]]> naam"
    assert clean_text(HOSTILE) == name


# Random documents ---------------------------------------------------------------------

CATEGORIES = {
    "S": (VatTreatment.belast, SELLER),
    "E": (VatTreatment.vrijgesteld, SELLER),
    "O": (VatTreatment.vrijgesteld, NO_VAT_SELLER),
}


@st.composite
def documents(draw: st.DrawFn) -> InvoiceDocument:
    count = draw(st.integers(1, 60))
    lines = []
    for index in range(count):
        list_price = draw(st.integers(0, 250_000))
        discount = draw(st.integers(0, list_price))
        hours = draw(st.sampled_from([0, 25, 100, 133, 250, 1000, 2400]))
        lines.append(
            make_line(
                index, list_price_cents=list_price, discount_cents=discount, hours_hundredths=hours
            )
        )
    treatment, seller = CATEGORIES[draw(st.sampled_from(sorted(CATEGORIES)))]
    rate = draw(st.sampled_from([2100, 900, 1550]))
    kind = draw(st.sampled_from(list(InvoiceKind)))
    return make_document(
        tuple(lines), kind=kind, treatment=treatment, seller=seller, rate_hundredths=rate
    )


@FAST
@given(documents())
def test_random_documents_stay_valid_and_add_up(doc: InvoiceDocument) -> None:
    root = parse_valid(invoice_ubl(doc))
    assert_adds_up(root)
    assert one(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == Decimal(doc.total_cents) / 100


# The official business rules, where saxonche is installed -------------------------------


@cache
def _rules(name: str) -> object:
    saxonche = pytest.importorskip("saxonche")
    processor = saxonche.PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(SCHEMATRON / name)
    )
    return processor, executable


def fatal_findings(xml: bytes, name: str) -> list[str]:
    processor, executable = _rules(name)
    source = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = etree.fromstring(executable.transform_to_string(xdm_node=source).encode("utf-8"))
    return [
        f"{failed.get('id')}: {failed.findtext(f'{SVRL}text').strip()}"
        for failed in report.iter(f"{SVRL}failed-assert")
        if failed.get("flag") == "fatal"
    ]


EN16931 = "EN16931-UBL-validation.xslt"
SI_UBL = "si-ubl-2.0.3.13.xslt"


@pytest.mark.parametrize("kind", list(InvoiceKind))
@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_the_official_rules_find_nothing_fatal(kind: InvoiceKind, category: str) -> None:
    treatment, seller = CATEGORIES[category]
    doc = make_document(kind=kind, treatment=treatment, seller=seller, buyer=BUYER_WITH_KVK)
    xml = invoice_ubl(doc)
    assert fatal_findings(xml, EN16931) == []
    assert fatal_findings(xml, SI_UBL) == []


def test_si_ubl_wants_a_kvk_number_of_a_dutch_buyer(invoice: InvoiceDocument) -> None:
    """The documented limit: a buyer without KvK gets an EN 16931-valid file that SI-UBL
    refuses (BR-NL-10) and nothing else."""
    xml = invoice_ubl(invoice)
    assert fatal_findings(xml, EN16931) == []
    assert [finding.split(":")[0] for finding in fatal_findings(xml, SI_UBL)] == ["BR-NL-10"]


@settings(max_examples=15, deadline=None, database=None)
@given(documents())
def test_random_documents_pass_the_official_rules(doc: InvoiceDocument) -> None:
    xml = invoice_ubl(replace(doc, buyer=BUYER_WITH_KVK))
    assert fatal_findings(xml, EN16931) == []
    assert fatal_findings(xml, SI_UBL) == []
