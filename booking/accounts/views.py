"""Account pages. Thin: validate the form, call one service, redirect; the edge commits."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from booking.accounts.account_page import render_account
from booking.accounts.blueprint import bp
from booking.accounts.forms import (
    ChangePasswordForm,
    EndSessionsForm,
    FinishRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from booking.errors import RuleViolation
from booking.extensions import limiter, login_rate_limit
from booking.i18n import say
from booking.rules.text import has_unsafe_chars
from booking.security import public_endpoint
from booking.services import account_links, accounts
from booking.services import dashboard as dashboard_service
from booking.services import login as login_service

Page = str | Response | tuple[str, int]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would make phishing links look like ours."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
        and not has_unsafe_chars(target)  # a line break would split the Location header
    ):
        return target
    return url_for("accounts.dashboard")


def _form_page(template: str, form: object) -> tuple[str, int]:
    return render_template(template, form=form), 400 if form.is_submitted() else 200  # type: ignore[attr-defined]


def _refused(error: RuleViolation, then: str) -> Response:
    """A mailed link that no longer works: say why, and send the user to ask again."""
    flash(say(error.message), "error")
    return redirect(url_for(then))


def blocked_message(until: datetime) -> str:
    return _(
        "Te veel mislukte pogingen voor dit account. Probeer het na %(time)s opnieuw, of "
        "kies via 'Wachtwoord vergeten?' een nieuw wachtwoord.",
        time=format_datetime(until, "HH:mm"),
    )


@bp.route("/login", methods=["GET", "POST"])
@public_endpoint
@login_rate_limit
def login() -> Page:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        return _form_page("accounts/login.html", form)
    now = datetime.now(UTC)
    result = login_service.authenticate(form.email.data or "", form.password.data or "", now)
    if result.user is None:
        if not result.refused:
            flash(
                _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw."),
                "error",
            )
        if result.blocked_until is not None:
            flash(blocked_message(result.blocked_until), "error")
        return render_template("accounts/login.html", form=form), 429 if result.refused else 401
    login_user(result.user)
    flash(_("U bent ingelogd."), "success")
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    """Ends every session of this user, so a copied cookie dies with this one."""
    accounts.end_all_sessions(current_user, now=datetime.now(UTC))
    logout_user()
    flash(_("U bent uitgelogd, op dit en elk ander apparaat."), "success")
    return redirect(url_for("public.home"))


@bp.route("/registreren", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("20 per hour", methods=["POST"])
def register() -> Page:
    form = RegisterForm()
    if not form.validate_on_submit():
        return _form_page("accounts/register.html", form)
    account_links.request_registration(
        form.email.data or "", form.name.data or "", form.organisation.data or ""
    )
    return render_template(
        "accounts/register_sent.html", email=accounts.normalise_email(form.email.data or "")
    )


@bp.route("/registreren/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("20 per hour", methods=["POST"])
def finish_registration(token: str) -> Page:
    pending = account_links.pending_registration(token)
    if pending is None:
        flash(_("Deze link is verlopen of al gebruikt. Registreer opnieuw."), "error")
        return redirect(url_for("accounts.register"))
    form = FinishRegistrationForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/finish_registration.html", form=form, pending=pending
        ), 400 if form.is_submitted() else 200
    try:
        user = account_links.finish_registration(token, form.password.data or "")
    except RuleViolation as error:
        return _refused(error, "accounts.register")
    login_user(user)
    flash(_("Uw account is aangemaakt. U kunt nu een ruimte boeken."), "success")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password() -> Page:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return _form_page("accounts/forgot.html", form)
    account_links.request_password_reset(form.email.data or "")
    flash(
        _(
            "Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail "
            "met een link."
        ),
        "info",
    )
    return redirect(url_for("accounts.login"))


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("20 per hour", methods=["POST"])
def reset_password(token: str) -> Page:
    if account_links.user_for_reset_token(token) is None:
        flash(_("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _form_page("accounts/reset.html", form)
    try:
        user = account_links.reset_password(token, form.password.data or "", datetime.now(UTC))
    except RuleViolation as error:
        return _refused(error, "accounts.forgot_password")
    login_user(user)
    flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."), "success")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/account")
def account() -> Page:
    return render_account()


@bp.route("/account/wachtwoord", methods=["POST"])
@limiter.limit("10 per hour")
def change_password() -> Page:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            login_service.change_password(
                current_user,
                form.current_password.data or "",
                form.password.data or "",
                datetime.now(UTC),
            )
        except RuleViolation as error:
            form.current_password.errors = [*form.current_password.errors, say(error.message)]
        else:
            login_user(current_user._get_current_object())  # type: ignore[attr-defined]
            flash(_("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."), "success")
            return redirect(url_for("accounts.account"))
    return render_account(400, password_form=form)


@bp.route("/account/overal-uitloggen", methods=["POST"])
def end_sessions() -> Response:
    form = EndSessionsForm()
    if not form.validate_on_submit():
        flash(_("Het formulier is verlopen. Probeer het opnieuw."), "error")
        return redirect(url_for("accounts.account"))
    accounts.end_all_sessions(
        current_user, revoke_api_tokens=bool(form.revoke_api_tokens.data), now=datetime.now(UTC)
    )
    logout_user()
    flash(_("U bent op alle apparaten uitgelogd."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/dashboard")
def dashboard() -> str:
    overview = dashboard_service.overview_for(current_user)
    return render_template("accounts/dashboard.html", overview=overview)
