"""The gemeente's policy settings: one form, the houses that set their own values, and the
latest changes. What a change reaches is in `booking/services/gemeente/policy.py`."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.beheer.forms import cents_of, euro_text
from booking.errors import RuleViolation
from booking.gemeente.blueprint import bp
from booking.gemeente.forms import PolicyForm
from booking.gemeente.pages import nav_entry, render_page
from booking.i18n import say
from booking.rules import policy as rules
from booking.rules.messages import N_, Message
from booking.rules.retention import NOTICE_DAYS
from booking.services.gemeente import policy as service

Page = str | Response | tuple[str, int]

nav_entry("gemeente.policy", Message(N_("Beleid")))

SETTING_LABELS = {
    "factor_t1_percent": N_("Factor T1"),
    "factor_t2_percent": N_("Factor T2"),
    "factor_t3_percent": N_("Factor T3"),
    "factor_t4_percent": N_("Factor T4"),
    "contribution_cap_cents": N_("Grens eigen bijdrage"),
    "voorrangstermijn_days": N_("Voorrangstermijn (dagen)"),
    "booking_horizon_months": N_("Boekingshorizon (maanden)"),
    "request_expiry_days": N_("Aanvraag vervalt na (dagen)"),
    "visit_retention_months": N_("Bezoeken bewaren (maanden)"),
    "booking_retention_years": N_("Boekingen bewaren (jaren)"),
    "account_inactivity_months": N_("Ongebruikte accounts (maanden)"),
    "burst_kiosk": N_("Piekgrens per kiosk"),
    "burst_tablet": N_("Piekgrens tikken"),
    "burst_qr": N_("Piekgrens QR-codes"),
    "burst_poster": N_("Piekgrens posters"),
}
"""How the overview and the history name a setting (msgids, translated in the template)."""


def _form_for(page: service.PolicyPage) -> PolicyForm:
    data: dict[str, object] = dict(service.values_of(page.settings))
    data["contribution_cap"] = euro_text(page.settings.contribution_cap_cents)
    return PolicyForm(formdata=None, data=data)


def _values(form: PolicyForm) -> dict[str, int]:
    values = {name: form[name].data for name in rules.BOUNDS if name in form}
    values["contribution_cap_cents"] = cents_of(form.contribution_cap)
    return values


def _page(
    page: service.PolicyPage,
    form: PolicyForm,
    status: int = 200,
    problems: list[str] | None = None,
) -> tuple[str, int]:
    return render_page(
        "gemeente/policy.html",
        status,
        form=form,
        page=page,
        labels=SETTING_LABELS,
        problems=problems or [],
        notice_days=NOTICE_DAYS,
    )


@bp.route("/beleid", methods=["GET", "POST"])
def policy() -> Page:
    page = service.policy_page(current_user)
    if request.method == "GET":
        return _page(page, _form_for(page))
    form = PolicyForm()
    if not form.validate_on_submit():
        return _page(page, form, 400)
    try:
        changed = service.update_policy(current_user, _values(form))
    except RuleViolation as error:
        return _page(page, form, 422, [say(m) for m in error.problems])
    if changed:
        flash(_("Het beleid is opgeslagen. Bestaande boekingen houden hun prijs."), "success")
    else:
        flash(_("Er was niets veranderd."), "info")
    return redirect(url_for("gemeente.policy"))
