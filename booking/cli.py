"""Command-line interface: `flask --app wsgi users|demo|jobs|scheduler ...`.

Each command is an edge: it calls services and commits once.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from booking.extensions import db
from booking.rules.permissions import Role
from booking.services import accounts, houses

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--house", "house_slug", help="Slug of the house (for house-bound roles).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="Display name.")
def create_user(email: str, role: str, house_slug: str | None, password: str, name: str) -> None:
    """Create a user (or give an existing user this role)."""
    house = None
    if house_slug:
        house = houses.get_house(house_slug)
        if house is None:
            raise click.BadParameter(f"onbekend huis: {house_slug}", param_hint="--house")
    try:
        user = accounts.create_user(email, Role(role), password, name=name, house=house)
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email}: {role}" + (f" in {house.slug}" if house else ""))


@users_cli.command("token")
@click.argument("email")
def create_token(email: str) -> None:
    """Print a new API bearer token for the user; only its hash is stored."""
    user = accounts.find_user(email)
    if user is None:
        raise click.ClickException(f"onbekende gebruiker: {email}")
    token = accounts.issue_api_token(user)
    db.session.commit()
    click.echo(token)


@click.command("demo")
@with_appcontext
def load_demo() -> None:
    """Load the Oss demo data; running it twice changes nothing."""
    from booking.demo.loader import DEMO_PASSWORD
    from booking.demo.loader import load_demo as load

    logins = load()
    db.session.commit()
    click.echo(f"Demo geladen. Inloggen met wachtwoord '{DEMO_PASSWORD}' als:")
    for login in logins:
        click.echo(f"  {login.email:<48} {login.role:<18} {login.house}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(load_demo)
