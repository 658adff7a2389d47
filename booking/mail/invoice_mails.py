"""The mails of invoicing: an invoice or credit note with its PDF and UBL file, and the
reminder after the payment term. Rendered in Dutch: the invoice itself is Dutch, and the
billing address is an organisation's, not a person's account with a language."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from booking.i18n import euro, fmt_date
from booking.mail.outbox import queue_mail
from booking.models import Invoice
from booking.rules.registry_numbers import iban_groups

Files = tuple[tuple[str, str, bytes], ...]


def _context(invoice: Invoice) -> dict[str, object]:
    """In Dutch whoever finalises (an English-speaking beheerder, the reminder job, which
    has no request whose language could be asked)."""
    with force_locale("nl"):
        return _dutch_context(invoice)


def _dutch_context(invoice: Invoice) -> dict[str, object]:
    seller = invoice.seller
    return {
        "credit": invoice.is_credit_note,
        "number": invoice.number,
        "credited_number": invoice.credits.number if invoice.credits is not None else "",
        "buyer_name": invoice.buyer.get("name", ""),
        "seller_name": seller.get("name", ""),
        "seller_email": seller.get("email", ""),
        "total": euro(invoice.total_cents),
        "due_amount": euro(invoice.due_cents),
        "due_date": fmt_date(invoice.due_date, "d MMMM y") if invoice.due_date else "",
        "iban": iban_groups(seller.get("iban", "")),
        "note": invoice.note,
    }


def queue_invoice_mail(invoice: Invoice, address: str, *, files: Files, with_ubl: bool) -> None:
    queue_mail(
        "invoice",
        address,
        template="invoice",
        locale="nl",
        dedupe_key=f"invoice-{invoice.id}",
        files=files,
        with_ubl=with_ubl,
        **_context(invoice),
    )


def queue_reminder_mail(invoice: Invoice, address: str, *, today: date, files: Files) -> bool:
    mail = queue_mail(
        "invoice_reminder",
        address,
        template="invoice_reminder",
        locale="nl",
        dedupe_key=f"invoice-reminder-{invoice.id}-{today.isoformat()}",
        files=files,
        **_context(invoice),
    )
    return mail is not None
