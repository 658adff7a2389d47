"""Sending an invoice: one mail to the billing address with the PDF and the UBL file as
attachments, through the outbox in the finalising transaction; and the reminders after
the payment term, never twice the same day (the outbox's dedupe key holds the date)."""

from __future__ import annotations

from datetime import date, datetime

from booking.mail.invoice_mails import queue_invoice_mail, queue_reminder_mail
from booking.models import Invoice
from booking.services.invoices.documents import files_of, has_ubl


def send_invoice(invoice: Invoice, *, now: datetime) -> bool:
    """Queue the invoice's mail; an invoice without a billing address stays definitief."""
    address = invoice.buyer.get("email", "")
    if not address:
        return False
    pdf, xml = files_of(invoice)
    files = [(pdf.filename, pdf.content_type, pdf.body)]
    if has_ubl(invoice):
        files.append((xml.filename, xml.content_type, xml.body))
    queue_invoice_mail(invoice, address, files=tuple(files), with_ubl=has_ubl(invoice))
    invoice.mark_sent(now=now)
    return True


def send_reminder(invoice: Invoice, *, today: date) -> bool:
    """Queue a payment reminder with the PDF again; False when there is nowhere to send it
    or one went out today already."""
    address = invoice.buyer.get("email", "")
    if not address:
        return False
    pdf, _xml = files_of(invoice)
    queued = queue_reminder_mail(
        invoice, address, today=today, files=((pdf.filename, pdf.content_type, pdf.body),)
    )
    if queued:
        invoice.last_reminder_on = today
        invoice.reminders_sent += 1
    return queued
