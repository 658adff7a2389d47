"""Account pages. Thin: validate the form, call one service, commit, redirect."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from booking.accounts import bp
from booking.accounts.forms import ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from booking.extensions import db, limiter
from booking.security import public_endpoint
from booking.services import accounts
from booking.services import dashboard as dashboard_service

Page = str | Response | tuple[str, int]


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would make phishing links look like ours."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("accounts.dashboard")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public_endpoint
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda r: r.status_code >= 400)
def login() -> Page:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/login.html", form=form
        ), 400 if form.is_submitted() else 200
    user = accounts.authenticate(form.email.data or "", form.password.data or "")
    if user is None:
        flash(
            _("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het opnieuw."), "error"
        )
        return render_template("accounts/login.html", form=form), 401
    login_user(user)
    db.session.commit()
    flash(_("U bent ingelogd."), "success")
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("public.home"))


@bp.route("/registreren", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("20 per hour", methods=["POST"])
def register() -> Page:
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/register.html", form=form
        ), 400 if form.is_submitted() else 200
    try:
        user = accounts.register_initiatiefnemer(
            form.email.data or "",
            form.name.data or "",
            form.password.data or "",
            form.organisation.data or "",
        )
    except accounts.AccountError as error:
        db.session.rollback()
        form.email.errors = [*form.email.errors, str(error)]
        return render_template("accounts/register.html", form=form), 409
    db.session.commit()
    login_user(user)
    flash(_("Uw account is aangemaakt. U kunt nu een ruimte boeken."), "success")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public_endpoint
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password() -> Page:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/forgot.html", form=form
        ), 400 if form.is_submitted() else 200
    accounts.request_password_reset(form.email.data or "")
    db.session.commit()
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
def reset_password(token: str) -> Page:
    if accounts.user_for_reset_token(token) is None:
        flash(_("Deze link is verlopen of al gebruikt. Vraag een nieuwe aan."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/reset.html", form=form
        ), 400 if form.is_submitted() else 200
    user = accounts.reset_password(token, form.password.data or "")
    db.session.commit()
    login_user(user)
    flash(_("Uw wachtwoord is gewijzigd."), "success")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/dashboard")
def dashboard() -> str:
    overview = dashboard_service.overview_for(current_user)
    return render_template("accounts/dashboard.html", overview=overview)
