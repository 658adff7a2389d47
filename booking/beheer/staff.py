"""A house's staff, for its beheerder and sociaal beheerder: who has which role, inviting
a gastvrouw or gastheer or a sociaal beheerder by e-mail, taking such a role away (after a
confirmation page), and a new invitation link for someone who has not accepted yet.

What may be given and taken is DESIGN section 3 (`booking/services/people/access.py`):
hosts and sociaal beheerders of this house; a beheerder is the gemeente's to give.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, RadioField, StringField

from booking.beheer.blueprint import bp
from booking.beheer.forms import DeleteForm
from booking.beheer.pages import Page, render_page
from booking.errors import NotFound, RuleViolation
from booking.forms import Form, email_address, one_line, required
from booking.i18n import role_label, say
from booking.people_words import invited_message, removal_sentences
from booking.rules.permissions import Role
from booking.rules.staff_roles import STATUS_LABELS, PersonStatus
from booking.services.people import access, directory, invitations, roles


class StaffInviteForm(Form):
    email = EmailField(
        _l("E-mailadres"),
        validators=[one_line(254), required(_l("Vul het e-mailadres in.")), email_address()],
    )
    name = StringField(_l("Naam (niet verplicht)"), validators=[one_line(120)])
    role = RadioField(_l("Rol"), validators=[required(_l("Kies een rol."))])


def _now() -> datetime:
    return datetime.now(UTC)


def _status_label(status: PersonStatus) -> str:
    return _(STATUS_LABELS[status])


def _form(page: directory.StaffPage) -> StaffInviteForm:
    form = StaffInviteForm() if request.method == "POST" else StaffInviteForm(formdata=None)
    form.role.choices = [(r.value, role_label(r.value)) for r in page.givable]
    return form


def _page(
    page: directory.StaffPage,
    form: StaffInviteForm,
    status: int = 200,
    error: RuleViolation | None = None,
) -> Page:
    problems = [say(m) for m in error.problems] if error else []
    if error and error.field in form:
        form[error.field].errors = [*form[error.field].errors, *problems]
        problems = []
    return render_page(
        "beheer/staff.html",
        page.house,
        status,
        page=page,
        form=form,
        problems=problems,
        person_status_label=_status_label,
    )


def _role_arg() -> Role:
    value = request.args.get("rol", "")
    if value not in {r.value for r in Role}:
        raise NotFound(value)
    return Role(value)


@bp.route("/<slug>/medewerkers", methods=["GET", "POST"])
def staff(slug: str) -> Page:
    page = directory.staff_page(current_user, slug, _now())
    form = _form(page)
    if request.method == "GET":
        return _page(page, form)
    if not form.validate_on_submit():
        return _page(page, form, 400)
    try:
        invited = invitations.invite_to_house(
            current_user,
            slug,
            form.email.data or "",
            form.name.data or "",
            Role(form.role.data),
            _now(),
        )
    except RuleViolation as error:
        return _page(page, form, 422, error)
    flash(invited_message(invited), "success")
    return redirect(url_for("beheer.staff", slug=page.house.slug))


@bp.route("/<slug>/medewerkers/<int:user_id>/weghalen")
def confirm_remove_staff(slug: str, user_id: int) -> Page:
    user, grant = roles.staff_removal(current_user, slug, user_id, _role_arg())
    assert grant.house is not None
    return render_page(
        "beheer/staff_confirm.html",
        grant.house,
        heading=_("Rol weghalen bij %(name)s", name=user.name),
        sentences=removal_sentences(user.name, grant),
        action=request.full_path.rstrip("?"),
        confirm_label=_("Ja, haal deze rol weg"),
        back_url=url_for("beheer.staff", slug=slug),
    )


@bp.route("/<slug>/medewerkers/<int:user_id>/weghalen", methods=["POST"])
def remove_staff(slug: str, user_id: int) -> Page:
    role = _role_arg()
    access.staff_member(current_user, slug, user_id)
    if not DeleteForm().validate_on_submit():
        return redirect(request.full_path.rstrip("?"))
    try:
        roles.remove_staff_role(current_user, slug, user_id, role)
    except RuleViolation as error:
        page = directory.staff_page(current_user, slug, _now())
        return _page(page, _form(page), 422, error)
    flash(_("De rol is weggehaald. De persoon krijgt een e-mail."), "success")
    return redirect(url_for("beheer.staff", slug=slug))


@bp.route("/<slug>/medewerkers/<int:user_id>/uitnodiging", methods=["POST"])
def resend_staff_invitation(slug: str, user_id: int) -> Page:
    access.staff_member(current_user, slug, user_id)
    if not DeleteForm().validate_on_submit():
        return redirect(url_for("beheer.staff", slug=slug))
    try:
        user = invitations.resend_as_staff(current_user, slug, user_id, _now())
    except RuleViolation as error:
        page = directory.staff_page(current_user, slug, _now())
        return _page(page, _form(page), 422, error)
    flash(_("Een nieuwe uitnodiging is verstuurd naar %(email)s.", email=user.email), "success")
    return redirect(url_for("beheer.staff", slug=slug))
