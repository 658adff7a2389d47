"""The house's invoicing details: its stichting, KvK, BTW and IBAN, the payment term, the
number prefix, the VAT treatment and the late-cancellation fee (DESIGN §14)."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.beheer.blueprint import bp
from booking.beheer.invoice_forms import InvoicingForm, hundredths_of_percent, whole
from booking.beheer.invoices import refusal
from booking.beheer.pages import Page, render_page
from booking.errors import InvalidInput, RuleViolation
from booking.models import House, HouseInvoicing
from booking.services.invoices import settings as service


def _percent_text(hundredths: int) -> str:
    whole_part, rest = divmod(hundredths, 100)
    return f"{whole_part},{rest:02d}".rstrip("0").rstrip(",") if rest else str(whole_part)


def _form_for(current: HouseInvoicing | None) -> InvoicingForm:
    if current is None:
        return InvoicingForm(formdata=None, data={"payment_term_days": "30"})
    data = {
        name: getattr(current, name)
        for name in ("legal_name", "street", "postcode", "city", "kvk_number", "btw_number")
    }
    data.update(
        iban=current.iban,
        payment_term_days=str(current.payment_term_days),
        number_prefix=current.number_prefix,
        vat_treatment=current.vat_treatment,
        vat_rate=_percent_text(current.vat_rate_hundredths) if current.vat_rate_hundredths else "",
        late_cancel_free_days=_number_text(current.late_cancel_free_days),
        late_cancel_percent=_number_text(current.late_cancel_percent),
        email=current.email,
    )
    return InvoicingForm(formdata=None, data=data)


def _number_text(value: int | None) -> str:
    return "" if value is None else str(value)


def _input(form: InvoicingForm) -> service.InvoicingInput:
    text = {name: (form[name].data or "").strip() for name in form.data if name != "csrf_token"}
    return service.InvoicingInput(
        legal_name=text["legal_name"],
        street=text["street"],
        postcode=text["postcode"],
        city=text["city"],
        kvk_number=text["kvk_number"],
        iban=text["iban"],
        btw_number=text["btw_number"],
        payment_term_days=whole(text["payment_term_days"], empty=0) or 0,
        number_prefix=text["number_prefix"],
        vat_treatment=text["vat_treatment"],
        vat_rate_hundredths=hundredths_of_percent(text["vat_rate"]),
        late_cancel_free_days=whole(text["late_cancel_free_days"]),
        late_cancel_percent=whole(text["late_cancel_percent"]),
        email=text["email"],
    )


def _page(
    house: House, form: InvoicingForm, status: int = 200, problems: list[str] | None = None
) -> tuple[str, int]:
    return render_page(
        "beheer/invoice_settings.html", house, status, form=form, problems=problems or []
    )


@bp.route("/<slug>/instellingen/facturen", methods=["GET", "POST"])
def invoice_settings(slug: str) -> Page:
    house, current = service.house_invoicing(current_user, slug)
    if request.method == "GET":
        return _page(house, _form_for(current))
    form = InvoicingForm()
    if not form.validate_on_submit():
        return _page(house, form, 400)
    try:
        service.save_invoicing(current_user, slug, _input(form))
    except (RuleViolation, InvalidInput) as error:
        return _page(house, form, error.status, refusal(error))
    flash(_("De factuurgegevens zijn opgeslagen."), "success")
    return redirect(url_for("beheer.invoice_settings", slug=house.slug))
