"""The gemeente's people and roles: everyone with their roles and last login, inviting
someone by e-mail, and one person's page. The actions on one person (a role given or
taken, deactivating, a new invitation link) are in `people_actions.py`; the rules in
`booking/services/people/`."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from booking.errors import RuleViolation
from booking.gemeente.blueprint import bp
from booking.gemeente.pages import nav_entry, render_page
from booking.gemeente.people_forms import GrantRoleForm, InviteForm, house_choices, role_choices
from booking.gemeente.refusals import show_refusal
from booking.people_words import invited_message
from booking.rules.messages import N_, Message
from booking.rules.numbers import parse_whole_number
from booking.rules.permissions import Role
from booking.rules.staff_roles import INVITABLE_ROLES, STATUS_LABELS, PersonStatus
from booking.services import houses
from booking.services.gemeente.access import require_gemeente
from booking.services.people import directory, invitations

Page = str | Response | tuple[str, int]

nav_entry(
    "gemeente.people",
    Message(N_("Mensen en rollen")),
    "gemeente.invite_person",
    "gemeente.person",
    "gemeente.grant_person_role",
    "gemeente.confirm_remove_person_role",
    "gemeente.confirm_deactivate_person",
)


def now() -> datetime:
    return datetime.now(UTC)


def person_status_label(status: PersonStatus) -> str:
    return _(STATUS_LABELS[status])


def _invite_form() -> InviteForm:
    form = InviteForm() if request.method == "POST" else InviteForm(formdata=None)
    form.role.choices = role_choices(INVITABLE_ROLES)
    form.houses.choices = house_choices(houses.list_houses())
    return form


def _invite_page(form: InviteForm, status: int = 200, problems: list[str] | None = None) -> Page:
    return render_page("gemeente/people_invite.html", status, form=form, problems=problems or [])


@bp.route("/mensen")
def people() -> Page:
    page = directory.people_page(
        current_user, request.args.get("q", ""), request.args.get("rol"), now()
    )
    return render_page(
        "gemeente/people.html",
        page=page,
        role_options=list(Role),
        person_status_label=person_status_label,
    )


@bp.route("/mensen/uitnodigen", methods=["GET", "POST"])
def invite_person() -> Page:
    require_gemeente(current_user)
    form = _invite_form()
    if request.method == "GET":
        return _invite_page(form)
    if not form.validate_on_submit():
        return _invite_page(form, 400)
    house_ids = [parse_whole_number(h) for h in form.houses.data or []]
    try:
        invited = invitations.invite_to(
            current_user,
            form.email.data or "",
            form.name.data or "",
            Role(form.role.data),
            [h for h in house_ids if h is not None],
            now(),
        )
    except RuleViolation as error:
        return _invite_page(form, 422, show_refusal(form, error))
    flash(invited_message(invited), "success")
    return redirect(url_for("gemeente.person", user_id=invited.user.id))


def grant_form(page: directory.PersonPage) -> GrantRoleForm:
    form = GrantRoleForm() if request.method == "POST" else GrantRoleForm(formdata=None)
    form.role.choices = [SelectChoice("", _("Kies een rol")), *role_choices(INVITABLE_ROLES)]
    form.house.choices = [
        SelectChoice("", _("Geen huis (alleen bij de rol gemeente)")),
        *house_choices(page.houses),
    ]
    return form


def person_page(
    page: directory.PersonPage,
    form: GrantRoleForm | None = None,
    status: int = 200,
    problems: list[str] | None = None,
) -> tuple[str, int]:
    return render_page(
        "gemeente/people_person.html",
        status,
        page=page,
        form=form or grant_form(page),
        problems=problems or [],
        person_status_label=person_status_label,
    )


@bp.route("/mensen/<int:user_id>")
def person(user_id: int) -> Page:
    return person_page(directory.person_page(current_user, user_id, now()))
