"""Mijn organisaties: the user's organisations, a new one, its details and its contacts.

Only contacts reach these pages (others' organisations are 404, from the service); a
house's staff use the same form under beheer (booking/beheer/organisations.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.accounts.blueprint import bp
from booking.accounts.organisation_forms import (
    ContactForm,
    OrganisationForm,
    require_button,
    show_refusal,
)
from booking.errors import InvalidInput, RuleViolation
from booking.extensions import limiter
from booking.i18n import say
from booking.rules.organisations import KIND_LABELS, OrganisationKind
from booking.services.organisations import access, contacts, details

Page = str | Response | tuple[str, int]


@bp.app_context_processor
def _organisation_kind() -> dict[str, object]:
    """`organisation_kind(kind)`: the Dutch word for a stored kind, on every page."""

    def organisation_kind(kind: str) -> str:
        label = KIND_LABELS.get(OrganisationKind(kind)) if kind in set(OrganisationKind) else None
        return _(label) if label else kind

    return {"organisation_kind": organisation_kind}


@bp.route("/account/organisaties")
def my_organisations() -> str:
    found = access.my_organisations(current_user)
    return render_template("accounts/organisations.html", organisations=found)


@bp.route("/account/organisaties/nieuw", methods=["GET", "POST"])
def new_organisation() -> Page:
    form = OrganisationForm(formdata=None) if request.method == "GET" else OrganisationForm()
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template("accounts/organisation.html", form=form, organisation=None), status
    try:
        made = details.create_organisation(current_user, form.organisation_input())
    except (InvalidInput, RuleViolation) as error:
        show_refusal(form, error)
        return render_template("accounts/organisation.html", form=form, organisation=None), 422
    flash(_("Organisatie %(name)s is toegevoegd.", name=made.name), "success")
    return redirect(url_for("accounts.organisation_contacts", organisation_id=made.id))


@bp.route("/account/organisaties/<int:organisation_id>", methods=["GET", "POST"])
def edit_organisation(organisation_id: int) -> Page:
    organisation = access.own_organisation(current_user, organisation_id)
    stored = details.as_dict(details.input_of(organisation))
    form = (
        OrganisationForm(formdata=None, data=stored)
        if request.method == "GET"
        else OrganisationForm()
    )
    page = "accounts/organisation.html"
    if request.method == "GET" or not form.validate_on_submit():
        status = 200 if request.method == "GET" else 400
        return render_template(page, form=form, organisation=organisation), status
    try:
        details.update_organisation(current_user, organisation.id, form.organisation_input())
    except (InvalidInput, RuleViolation) as error:
        show_refusal(form, error)
        return render_template(page, form=form, organisation=organisation), 422
    flash(_("De gegevens van de organisatie zijn bewaard."), "success")
    return redirect(url_for("accounts.my_organisations"))


def _contacts_page(organisation_id: int, form: ContactForm, status: int = 200) -> tuple[str, int]:
    organisation = access.own_organisation(current_user, organisation_id)
    html = render_template(
        "accounts/organisation_contacts.html", organisation=organisation, form=form
    )
    return html, status


@bp.route("/account/organisaties/<int:organisation_id>/contactpersonen", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def organisation_contacts(organisation_id: int) -> Page:
    if request.method == "GET":
        return _contacts_page(organisation_id, ContactForm(formdata=None))
    form = ContactForm()
    if not form.validate_on_submit():
        return _contacts_page(organisation_id, form, 400)
    try:
        added = contacts.add_contact(
            current_user, organisation_id, form.email.data or "", datetime.now(UTC)
        )
    except (InvalidInput, RuleViolation) as error:
        show_refusal(form, error)
        return _contacts_page(organisation_id, form, 422)
    flash(_("%(name)s is nu contactpersoon.", name=added.name), "success")
    return redirect(url_for("accounts.organisation_contacts", organisation_id=organisation_id))


@bp.route(
    "/account/organisaties/<int:organisation_id>/contactpersonen/<int:user_id>/weghalen",
    methods=["POST"],
)
def remove_organisation_contact(organisation_id: int, user_id: int) -> Response:
    require_button()
    try:
        contacts.remove_contact(current_user, organisation_id, user_id)
    except RuleViolation as error:
        flash(" ".join(say(m) for m in error.problems), "error")
        return redirect(url_for("accounts.organisation_contacts", organisation_id=organisation_id))
    flash(_("De contactpersoon is weggehaald."), "success")
    if user_id == current_user.id:
        return redirect(url_for("accounts.my_organisations"))
    return redirect(url_for("accounts.organisation_contacts", organisation_id=organisation_id))
