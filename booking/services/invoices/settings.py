"""A house's invoicing details (its stichting, VAT treatment, late-cancellation fee),
checked as the Belastingdienst and the bank would check them before they are stored."""

from __future__ import annotations

from dataclasses import dataclass

from booking.database import begin_write
from booking.errors import RuleViolation
from booking.extensions import db
from booking.models import House, HouseInvoicing, User
from booking.rules.audit import AuditAction, AuditObject
from booking.rules.invoices import VatTreatment
from booking.rules.messages import N_, Message
from booking.rules.permissions import Permission
from booking.rules.registry_numbers import normalise_btw, normalise_iban, normalise_kvk
from booking.services import audit
from booking.services.houses import house_for
from booking.services.invoices.common import invoicing_of


@dataclass(frozen=True)
class InvoicingInput:
    legal_name: str
    street: str
    postcode: str
    city: str
    kvk_number: str
    iban: str
    btw_number: str = ""
    payment_term_days: int = 30
    number_prefix: str = ""
    vat_treatment: str = VatTreatment.vrijgesteld.value
    vat_rate_hundredths: int = 0
    late_cancel_free_days: int | None = None
    late_cancel_percent: int | None = None
    email: str = ""


def house_invoicing(actor: User, slug: str) -> tuple[House, HouseInvoicing | None]:
    house = house_for(actor, slug, Permission.manage_invoices)
    return house, invoicing_of(house.id)


def _checked(data: InvoicingInput) -> tuple[dict[str, object], list[tuple[str, Message]]]:
    problems: list[tuple[str, Message]] = []
    values: dict[str, object] = {
        name: getattr(data, name)
        for name in (
            "legal_name",
            "street",
            "postcode",
            "city",
            "payment_term_days",
            "vat_rate_hundredths",
            "late_cancel_free_days",
            "late_cancel_percent",
            "email",
        )
    }
    for name, label in (
        ("legal_name", N_("Vul de naam van de stichting in.")),
        ("street", N_("Vul het adres in.")),
        ("postcode", N_("Vul de postcode in.")),
        ("city", N_("Vul de plaats in.")),
    ):
        if not str(values[name]).strip():
            problems.append((name, Message(label)))
    kvk = normalise_kvk(data.kvk_number)
    if kvk is None:
        problems.append(("kvk_number", Message(N_("Een KvK-nummer heeft acht cijfers."))))
    iban = normalise_iban(data.iban)
    if iban is None:
        problems.append(
            ("iban", Message(N_("Dit IBAN klopt niet: controleer de letters en cijfers.")))
        )
    btw = ""
    if data.btw_number.strip():
        btw = normalise_btw(data.btw_number) or ""
        if not btw:
            problems.append(
                (
                    "btw_number",
                    Message(N_("Dit btw-nummer klopt niet; het ziet eruit als NL123456789B01.")),
                )
            )
    treatment = data.vat_treatment
    if treatment not in {t.value for t in VatTreatment}:
        problems.append(("vat_treatment", Message(N_("Kies hoe de btw geldt."))))
    elif treatment == VatTreatment.belast.value:
        if not data.btw_number.strip():
            problems.append(
                ("btw_number", Message(N_("Wie btw rekent, vult het btw-nummer van het huis in.")))
            )
        if not 1 <= data.vat_rate_hundredths <= 10_000:
            problems.append(("vat_rate", Message(N_("Vul het btw-tarief in, bijvoorbeeld 21."))))
    else:
        values["vat_rate_hundredths"] = 0
    if not 1 <= data.payment_term_days <= 120:
        problems.append(
            ("payment_term_days", Message(N_("De betaaltermijn ligt tussen 1 en 120 dagen.")))
        )
    prefix = data.number_prefix.strip().upper()
    if not prefix or len(prefix) > 10 or not prefix.isascii() or not prefix.isalnum():
        problems.append(
            ("number_prefix", Message(N_("Kies een voorvoegsel van 1 tot 10 letters of cijfers.")))
        )
    if (data.late_cancel_free_days is None) != (data.late_cancel_percent is None) or (
        data.late_cancel_percent is not None
        and not (
            1 <= data.late_cancel_percent <= 100 and 0 <= (data.late_cancel_free_days or 0) <= 365
        )
    ):
        problems.append(
            (
                "late_cancel_percent",
                Message(
                    N_(
                        "Vul voor annuleringskosten beide in: tot hoeveel dagen vooraf annuleren "
                        "gratis is (0–365) en welk percentage daarna geldt (1–100)."
                    )
                ),
            )
        )
    values.update(
        kvk_number=kvk, iban=iban, btw_number=btw, number_prefix=prefix, vat_treatment=treatment
    )
    return values, problems


def save_invoicing(actor: User, slug: str, data: InvoicingInput) -> HouseInvoicing:
    """Store the details, or refuse with every problem at once and store nothing."""
    house = house_for(actor, slug, Permission.manage_invoices)
    values, problems = _checked(data)
    if problems:
        raise RuleViolation([message for _field, message in problems], field=problems[0][0])
    begin_write()
    settings = invoicing_of(house.id) or HouseInvoicing(house_id=house.id)
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.add(settings)
    db.session.flush()
    audit.record(
        AuditAction.invoicing_settings_updated,
        AuditObject.house,
        house.id,
        actor_id=actor.id,
        house_id=house.id,
    )
    return settings
