"""The organisations of a house, for its beheerder and the gemeente: the list, a new one,
one organisation's details (the form of Mijn organisaties) and its contacts."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.accounts.organisation_forms import (
    ContactForm,
    OrganisationForm,
    require_button,
    show_refusal,
)
from booking.beheer.blueprint import bp
from booking.beheer.pages import Page, render_page
from booking.errors import InvalidInput, RuleViolation
from booking.extensions import limiter
from booking.i18n import say
from booking.models import House, Organisation
from booking.services.organisations import access, contacts, details

PAGE = "beheer/organisation.html"


@bp.route("/<slug>/organisaties")
def organisations(slug: str) -> Page:
    house, found = access.house_organisations(current_user, slug)
    return render_page("beheer/organisations.html", house, organisations=found)


def _page(
    house: House, organisation: Organisation | None, status: int = 200, **forms: object
) -> Page:
    forms.setdefault("form", OrganisationForm(formdata=None))
    forms.setdefault("contact_form", ContactForm(formdata=None))
    return render_page(PAGE, house, status, organisation=organisation, **forms)


@bp.route("/<slug>/organisaties/nieuw", methods=["GET", "POST"])
def new_house_organisation(slug: str) -> Page:
    house = access.staff_house(current_user, slug)
    if request.method == "GET":
        return _page(house, None)
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _page(house, None, 400, form=form)
    try:
        made = details.create_organisation(current_user, form.organisation_input(), slug=slug)
    except (InvalidInput, RuleViolation) as error:
        show_refusal(form, error)
        return _page(house, None, 422, form=form)
    flash(_("Organisatie %(name)s is toegevoegd.", name=made.name), "success")
    return redirect(url_for("beheer.edit_house_organisation", slug=slug, organisation_id=made.id))


@bp.route("/<slug>/organisaties/<int:organisation_id>", methods=["GET", "POST"])
def edit_house_organisation(slug: str, organisation_id: int) -> Page:
    house, organisation = access.house_organisation(current_user, slug, organisation_id)
    if request.method == "GET":
        stored = details.as_dict(details.input_of(organisation))
        return _page(house, organisation, form=OrganisationForm(formdata=None, data=stored))
    form = OrganisationForm()
    if not form.validate_on_submit():
        return _page(house, organisation, 400, form=form)
    try:
        details.update_organisation(
            current_user, organisation.id, form.organisation_input(), slug=slug
        )
    except (InvalidInput, RuleViolation) as error:
        show_refusal(form, error)
        return _page(house, organisation, 422, form=form)
    flash(_("De gegevens van de organisatie zijn bewaard."), "success")
    return redirect(url_for("beheer.organisations", slug=slug))


@bp.route("/<slug>/organisaties/<int:organisation_id>/contactpersonen", methods=["POST"])
@limiter.limit("60 per hour")
def add_house_contact(slug: str, organisation_id: int) -> Page:
    house, organisation = access.house_organisation(current_user, slug, organisation_id)
    stored = OrganisationForm(formdata=None, data=details.as_dict(details.input_of(organisation)))
    form = ContactForm()
    if not form.validate_on_submit():
        return _page(house, organisation, 400, form=stored, contact_form=form)
    try:
        added = contacts.add_contact(
            current_user, organisation.id, form.email.data or "", datetime.now(UTC), slug=slug
        )
    except (InvalidInput, RuleViolation) as error:
        show_refusal(form, error)
        return _page(house, organisation, 422, form=stored, contact_form=form)
    flash(_("%(name)s is nu contactpersoon.", name=added.name), "success")
    return redirect(
        url_for("beheer.edit_house_organisation", slug=slug, organisation_id=organisation.id)
    )


@bp.route(
    "/<slug>/organisaties/<int:organisation_id>/contactpersonen/<int:user_id>/weghalen",
    methods=["POST"],
)
def remove_house_contact(slug: str, organisation_id: int, user_id: int) -> Page:
    require_button()
    try:
        contacts.remove_contact(current_user, organisation_id, user_id, slug=slug)
    except RuleViolation as error:
        flash(" ".join(say(m) for m in error.problems), "error")
    else:
        flash(_("De contactpersoon is weggehaald."), "success")
    return redirect(
        url_for("beheer.edit_house_organisation", slug=slug, organisation_id=organisation_id)
    )
