"""The gemeente's actions on one person: give a role, take one (after a confirmation
page), deactivate (after one) and reactivate the account, send a new invitation link.

A refusal (the last gemeente account, a role held already) shows the person's page again
with the reason, 422; nothing is stored.
"""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from booking.errors import NotFound, RuleViolation
from booking.gemeente.blueprint import bp
from booking.gemeente.pages import render_page
from booking.gemeente.people import Page, grant_form, now, person_page
from booking.gemeente.people_forms import ConfirmForm
from booking.gemeente.refusals import show_refusal
from booking.i18n import say
from booking.mail.people_mails import role_phrase
from booking.people_words import removal_sentences
from booking.rules.numbers import parse_whole_number
from booking.rules.permissions import Role
from booking.services.people import access, activation, directory, invitations, roles


def _refused(user_id: int, error: RuleViolation) -> Page:
    page = directory.person_page(current_user, user_id, now())
    return person_page(page, status=422, problems=[say(m) for m in error.problems])


def _role_args() -> tuple[Role, int | None]:
    """The role to take, from the link: `rol` and (for a house role) `huis`."""
    value = request.args.get("rol", "")
    if value not in {r.value for r in Role}:
        raise NotFound(value)
    return Role(value), parse_whole_number(request.args.get("huis"))


@bp.route("/mensen/<int:user_id>/rollen", methods=["POST"])
def grant_person_role(user_id: int) -> Page:
    page = directory.person_page(current_user, user_id, now())
    form = grant_form(page)
    if not form.validate_on_submit():
        return person_page(page, form, 400)
    try:
        grant = roles.grant_role(
            current_user, user_id, Role(form.role.data), parse_whole_number(form.house.data)
        )
    except RuleViolation as error:
        return person_page(page, form, 422, show_refusal(form, error))
    flash(
        _(
            "Rol gegeven: %(role)s. De persoon krijgt een e-mail.",
            role=say(role_phrase(grant.role, grant.house)),
        ),
        "success",
    )
    return redirect(url_for("gemeente.person", user_id=user_id))


@bp.route("/mensen/<int:user_id>/rol-weghalen")
def confirm_remove_person_role(user_id: int) -> Page:
    role, house_id = _role_args()
    user, grant = roles.removal(current_user, user_id, role, house_id)
    return render_page(
        "gemeente/people_confirm.html",
        heading=_("Rol weghalen bij %(name)s", name=user.name),
        sentences=removal_sentences(user.name, grant),
        action=request.full_path.rstrip("?"),
        confirm_label=_("Ja, haal deze rol weg"),
        back_url=url_for("gemeente.person", user_id=user_id),
    )


@bp.route("/mensen/<int:user_id>/rol-weghalen", methods=["POST"])
def remove_person_role(user_id: int) -> Page:
    role, house_id = _role_args()
    access.person_for_gemeente(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(request.full_path.rstrip("?"))
    try:
        roles.remove_role(current_user, user_id, role, house_id)
    except RuleViolation as error:
        return _refused(user_id, error)
    flash(_("De rol is weggehaald. De persoon krijgt een e-mail."), "success")
    if not current_user.is_gemeente:  # the gemeente took its own gemeente role
        return redirect(url_for("accounts.dashboard"))
    return redirect(url_for("gemeente.person", user_id=user_id))


@bp.route("/mensen/<int:user_id>/deactiveren")
def confirm_deactivate_person(user_id: int) -> Page:
    user = access.person_for_gemeente(current_user, user_id)
    return render_page(
        "gemeente/people_confirm.html",
        heading=_("Account van %(name)s deactiveren", name=user.name),
        sentences=[
            _(
                "%(name)s kan daarna niet meer inloggen. Alle sessies en API-sleutels van dit "
                "account stoppen meteen, ook op andere apparaten.",
                name=user.name,
            ),
            _(
                "De rollen, boekingen en het logboek blijven bewaard. U kunt het account later "
                "weer activeren."
            ),
        ],
        action=url_for("gemeente.deactivate_person", user_id=user_id),
        confirm_label=_("Ja, deactiveer dit account"),
        back_url=url_for("gemeente.person", user_id=user_id),
    )


@bp.route("/mensen/<int:user_id>/deactiveren", methods=["POST"])
def deactivate_person(user_id: int) -> Page:
    access.person_for_gemeente(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("gemeente.confirm_deactivate_person", user_id=user_id))
    try:
        user = activation.deactivate(current_user, user_id, now())
    except RuleViolation as error:
        return _refused(user_id, error)
    flash(_("Het account van %(name)s is gedeactiveerd.", name=user.name), "success")
    return redirect(url_for("gemeente.person", user_id=user_id))


@bp.route("/mensen/<int:user_id>/activeren", methods=["POST"])
def reactivate_person(user_id: int) -> Page:
    access.person_for_gemeente(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("gemeente.person", user_id=user_id))
    try:
        user = activation.reactivate(current_user, user_id)
    except RuleViolation as error:
        return _refused(user_id, error)
    flash(_("Het account van %(name)s is weer actief.", name=user.name), "success")
    return redirect(url_for("gemeente.person", user_id=user_id))


@bp.route("/mensen/<int:user_id>/uitnodiging", methods=["POST"])
def resend_invitation(user_id: int) -> Page:
    access.person_for_gemeente(current_user, user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("gemeente.person", user_id=user_id))
    try:
        user = invitations.resend_as_gemeente(current_user, user_id, now())
    except RuleViolation as error:
        return _refused(user_id, error)
    flash(_("Een nieuwe uitnodiging is verstuurd naar %(email)s.", email=user.email), "success")
    return redirect(url_for("gemeente.person", user_id=user_id))
