"""The beheerder's invoices (issue 13, DESIGN §14): the list with its filters and the
monthly run, the outstanding list, one invoice, and its PDF and UBL files.

Only who manages the house's invoices (its beheerders, the gemeente) gets these pages; the
services answer everyone else 404. The actions on one invoice are in invoice_actions.py.
"""

from __future__ import annotations

from flask import Response, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.invoice_forms import CreditForm, InvoiceFilterForm, PaymentForm, RunForm
from booking.beheer.pages import Page, now, render_page, today
from booking.errors import InvalidInput, RuleViolation
from booking.i18n import say
from booking.models import House
from booking.rules.invoices import KIND_LABELS, STATUS_LABELS
from booking.services import invoicing
from booking.services.invoices import documents, overview, runs
from booking.services.invoices.overview import InvoicePage


def refusal(error: RuleViolation | InvalidInput) -> list[str]:
    """What the service refused, as sentences for the page's problem list."""
    if isinstance(error, RuleViolation):
        return [say(message) for message in error.problems]
    return [say(error.message)]


def _list_page(
    found: overview.InvoiceList,
    form: InvoiceFilterForm,
    run_form: RunForm,
    status: int = 200,
    problems: list[str] | None = None,
) -> tuple[str, int]:
    return render_page(
        "beheer/invoices.html",
        found.house,
        status,
        found=found,
        form=form,
        run_form=run_form,
        problems=problems or [],
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
    )


def _run_form() -> RunForm:
    return RunForm(formdata=None, data={"month": str(invoicing.previous_month(today()))})


@bp.route("/<slug>/facturen")
def invoices(slug: str) -> Page:
    form = InvoiceFilterForm(request.args)
    valid = form.validate()
    found = overview.house_invoices(
        current_user,
        slug,
        form.status.data if valid else None,
        form.maand.data if valid else None,
    )
    return _list_page(found, form, _run_form(), 200 if valid else 400)


def _run_summary(outcome: runs.RunOutcome) -> str:
    if not outcome.invoices and not outcome.proposed_credits:
        return _("Er was niets nieuws te factureren voor %(month)s.", month=str(outcome.month))
    parts = [
        ngettext(
            "%(num)d conceptfactuur gemaakt",
            "%(num)d conceptfacturen gemaakt",
            len(outcome.created),
        ),
        ngettext("%(num)d regel", "%(num)d regels", outcome.lines_added),
    ]
    if outcome.proposed_credits:
        parts.append(
            ngettext(
                "%(num)d creditfactuur voorgesteld",
                "%(num)d creditfacturen voorgesteld",
                len(outcome.proposed_credits),
            )
        )
    return ", ".join(parts) + "."


@bp.route("/<slug>/facturen/klaarzetten", methods=["POST"])
def run_invoices(slug: str) -> Page:
    found = overview.house_invoices(current_user, slug)
    form = RunForm()
    if not form.validate_on_submit():
        return _list_page(found, InvoiceFilterForm(formdata=None), form, 400)
    try:
        outcome = runs.run_month(current_user, slug, form.month.data, now=now())
    except (RuleViolation, InvalidInput) as error:
        return _list_page(
            found, InvoiceFilterForm(formdata=None), form, error.status, refusal(error)
        )
    flash(_run_summary(outcome), "success")
    return redirect(url_for("beheer.invoices", slug=slug, maand=str(outcome.month)))


@bp.route("/<slug>/facturen/openstaand")
def outstanding_invoices(slug: str) -> Page:
    found = overview.outstanding_page(current_user, slug, today())
    return render_page(
        "beheer/invoices_outstanding.html", found.house, found=found, status_labels=STATUS_LABELS
    )


def invoice_page(
    house: House,
    page: InvoicePage,
    status: int = 200,
    *,
    problems: list[str] | None = None,
    payment_form: PaymentForm | None = None,
    credit_form: CreditForm | None = None,
) -> tuple[str, int]:
    """One invoice with the actions its state allows; the actions' views show it again
    with their refusal."""
    return render_page(
        "beheer/invoice.html",
        house,
        status,
        page=page,
        invoice=page.invoice,
        problems=problems or [],
        payment_form=payment_form or PaymentForm(formdata=None, data={"paid_on": today()}),
        credit_form=credit_form or CreditForm(formdata=None),
        status_labels=STATUS_LABELS,
        kind_labels=KIND_LABELS,
    )


@bp.route("/<slug>/facturen/<int:invoice_id>")
def invoice_detail(slug: str, invoice_id: int) -> Page:
    page = overview.invoice_page(current_user, slug, invoice_id)
    return invoice_page(page.invoice.house, page)


@bp.route("/<slug>/facturen/<int:invoice_id>.<any(pdf, xml):kind>")
def invoice_download(slug: str, invoice_id: int, kind: str) -> Response:
    found = documents.house_invoice_file(current_user, slug, invoice_id, kind)
    response = make_response(found.body)
    response.headers["Content-Type"] = found.content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
