"""What the beheerder does with one invoice: finalise and send a concept, take a line off
it, record a payment, credit a finalised invoice; and invoice one booking now.

Each view checks the invoice belongs to the house in the address (else 404), calls one
invoicing use case and, when it refuses, shows the invoice again with the Dutch reason
and a 4xx status, so the edge stores nothing.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.bookings import _booking_page
from booking.beheer.invoice_forms import CreditForm, PaymentForm
from booking.beheer.invoices import invoice_page, refusal
from booking.beheer.pages import Page, now, require_delete_form
from booking.errors import InvalidInput, RuleViolation
from booking.rules.money import parse_euro
from booking.services.beheer import house_bookings
from booking.services.invoices import credits, finalising, lines, overview, payments, runs


def _to(slug: str, invoice_id: int) -> Page:
    return redirect(url_for("beheer.invoice_detail", slug=slug, invoice_id=invoice_id))


@bp.route("/<slug>/facturen/<int:invoice_id>/definitief", methods=["POST"])
def finalise_invoice(slug: str, invoice_id: int) -> Page:
    page = overview.invoice_page(current_user, slug, invoice_id)
    require_delete_form()
    try:
        invoice = finalising.finalise(current_user, invoice_id, now=now())
    except (RuleViolation, InvalidInput) as error:
        return invoice_page(page.invoice.house, page, error.status, problems=refusal(error))
    if invoice.sent_at:
        flash(_("Factuur %(number)s is definitief en verstuurd.", number=invoice.number), "success")
    else:
        flash(
            _(
                "Factuur %(number)s is definitief, maar niet verstuurd: er is geen e-mailadres "
                "om hem naartoe te sturen. Download de PDF en bezorg hem zelf.",
                number=invoice.number,
            ),
            "info",
        )
    return _to(slug, invoice_id)


@bp.route("/<slug>/facturen/<int:invoice_id>/regels/<int:line_id>/weghalen", methods=["POST"])
def remove_invoice_line(slug: str, invoice_id: int, line_id: int) -> Page:
    page = overview.invoice_page(current_user, slug, invoice_id)
    require_delete_form()
    try:
        lines.remove_line(current_user, invoice_id, line_id, now())
    except (RuleViolation, InvalidInput) as error:
        return invoice_page(page.invoice.house, page, error.status, problems=refusal(error))
    flash(_("De regel is van de conceptfactuur gehaald; die boeking wordt niet gefactureerd."))
    return _to(slug, invoice_id)


@bp.route("/<slug>/facturen/<int:invoice_id>/betaling", methods=["POST"])
def record_invoice_payment(slug: str, invoice_id: int) -> Page:
    page = overview.invoice_page(current_user, slug, invoice_id)
    form = PaymentForm()
    if not form.validate_on_submit():
        return invoice_page(page.invoice.house, page, 400, payment_form=form)
    try:
        payments.record_payment(
            current_user, invoice_id, parse_euro(form.amount.data), form.paid_on.data, now=now()
        )
    except (RuleViolation, InvalidInput) as error:
        problems = refusal(error)
        return invoice_page(
            page.invoice.house, page, error.status, problems=problems, payment_form=form
        )
    flash(_("De betaling is geboekt."), "success")
    return _to(slug, invoice_id)


@bp.route("/<slug>/facturen/<int:invoice_id>/crediteren", methods=["POST"])
def credit_invoice(slug: str, invoice_id: int) -> Page:
    page = overview.invoice_page(current_user, slug, invoice_id)
    form = CreditForm()
    if not form.validate_on_submit():
        return invoice_page(page.invoice.house, page, 400, credit_form=form)
    try:
        note = credits.credit_invoice(current_user, invoice_id, form.reason.data or "", now=now())
    except (RuleViolation, InvalidInput) as error:
        problems = refusal(error)
        return invoice_page(
            page.invoice.house, page, error.status, problems=problems, credit_form=form
        )
    flash(_("Creditfactuur %(number)s is gemaakt.", number=note.number), "success")
    return _to(slug, note.id)


@bp.route("/<slug>/boekingen/<int:booking_id>/factureren", methods=["POST"])
def invoice_booking_now(slug: str, booking_id: int) -> Page:
    booking = house_bookings.house_booking(current_user, slug, booking_id)
    require_delete_form()
    try:
        outcome = runs.invoice_booking(current_user, booking.id, now=now())
    except (RuleViolation, InvalidInput) as error:
        return _booking_page(booking, error.status, problems=refusal(error))
    invoice = outcome.invoices[0]
    flash(_("De boeking staat op een conceptfactuur; maak hem definitief om te versturen."))
    return _to(slug, invoice.id)
