"""Command-line interface: `flask --app wsgi users|demo|jobs|scheduler|backup ...`.

Each command is an edge: it calls services and commits once.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.engine import make_url

from booking.errors import NotFound, RuleViolation
from booking.rules.messages import render
from booking.rules.permissions import Role
from booking.rules.slots import AMSTERDAM, NonexistentLocalTime, local_to_utc
from booking.services import houses
from booking.services.people import operator as people_operator
from booking.transaction import unit_of_work

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
        with unit_of_work():
            user = people_operator.create_account(
                email, Role(role), password, name=name, house=house
            )
            user_email = user.email
    except RuleViolation as error:
        raise click.ClickException(render(error.message)) from error
    click.echo(f"{user_email}: {role}" + (f" in {house.slug}" if house else ""))


@users_cli.command("token")
@click.argument("email")
def create_token(email: str) -> None:
    """Print a new API bearer token for the user; only its hash is stored."""
    try:
        with unit_of_work():
            token = people_operator.api_token(email)
    except NotFound as error:
        raise click.ClickException(f"onbekende gebruiker: {email}") from error
    except RuleViolation as error:
        raise click.ClickException(render(error.message)) from error
    click.echo(token)


@click.command("demo")
@with_appcontext
def load_demo() -> None:
    """Load the Oss demo data; running it twice changes nothing."""
    from booking.demo.loader import DEMO_PASSWORD
    from booking.demo.loader import load_demo as load

    with unit_of_work():
        logins = load()
    click.echo(f"Demo geladen. Inloggen met wachtwoord '{DEMO_PASSWORD}' als:")
    for login in logins:
        click.echo(f"  {login.email:<48} {login.role:<18} {login.house}")


# Scheduled jobs -------------------------------------------------------------------------

jobs_cli = AppGroup("jobs", help="Run the scheduled jobs by hand.")


class MomentParam(click.ParamType):
    """An ISO 8601 moment; without an offset it is Amsterdam wall-clock time (DESIGN §10)."""

    name = "ISO8601"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                self.fail(
                    f"{value!r} is geen tijdstip in ISO 8601, bijvoorbeeld "
                    "2026-12-01T09:30 of 2026-12-01T08:30:00+00:00",
                    param,
                    ctx,
                )
        if moment.tzinfo is None:
            try:
                return local_to_utc(moment, AMSTERDAM)
            except NonexistentLocalTime:
                self.fail(
                    f"{value!r} bestaat niet in Europe/Amsterdam (de klok sprong "
                    "vooruit); geef een tijdstip met offset",
                    param,
                    ctx,
                )
        return moment.astimezone(UTC)


@jobs_cli.command("run")
@click.argument("name")
@click.option(
    "--now",
    "now",
    type=MomentParam(),
    default=None,
    help="Doe alsof de klok dit tijdstip aangeeft (zonder offset: Amsterdamse tijd).",
)
def run_job(name: str, now: datetime | None) -> None:
    """Run one job once and print a one-line summary."""
    from booking.jobs import JOBS

    if name not in JOBS:
        raise click.BadParameter(
            f"onbekende taak {name!r}; kies uit: {', '.join(JOBS)}", param_hint="NAME"
        )
    moment = now or datetime.now(UTC)
    summary = JOBS[name](moment)
    click.echo(f"[{moment.isoformat(timespec='seconds')}] {summary}")


@jobs_cli.command("list")
def list_jobs() -> None:
    """List the jobs, how often the scheduler runs them, and what they do."""
    from booking.jobs import DESCRIPTIONS, JOBS, SCHEDULE

    for name in JOBS:
        minutes = int(SCHEDULE[name].total_seconds() // 60)
        every = f"elke {minutes // 60} uur" if minutes % 60 == 0 else f"elke {minutes} min"
        click.echo(f"{name:<20} {every:<12} {DESCRIPTIONS[name]}")


invoices_cli = AppGroup("invoices", help="Facturen van de huizen.")


@invoices_cli.command("run")
@click.option("--month", "month_text", required=True, help="De maand, als JJJJ-MM.")
@click.option("--house", "house_slug", default=None, help="Alleen dit huis (slug).")
def run_invoices(month_text: str, house_slug: str | None) -> None:
    """Make the concept invoices of a month: every house with invoicing details, or one."""
    from booking.services.invoices.monthly import run_houses
    from booking.services.invoicing import parse_month

    try:
        month = parse_month(month_text.strip())
    except ValueError as error:
        raise click.BadParameter("geef de maand als JJJJ-MM, bijvoorbeeld 2026-11") from error
    try:
        with unit_of_work():
            outcomes = run_houses(month, house_slug=house_slug, now=datetime.now(UTC))
            lines = [
                f"{o.house.slug}: {len(o.created)} nieuwe conceptfacturen, {o.lines_added} "
                f"regels, {len(o.proposed_credits)} creditfacturen voorgesteld"
                for o in outcomes
            ]
    except NotFound as error:
        raise click.ClickException(
            f"onbekend huis of zonder factuurgegevens: {house_slug}"
        ) from error
    except RuleViolation as error:
        raise click.ClickException(render(error.message)) from error
    for line in lines or ["geen huis met factuurgegevens"]:
        click.echo(line)


@click.command("scheduler")
@with_appcontext
def run_scheduler() -> None:
    """Run the scheduled jobs until stopped (SIGTERM or Ctrl+C). Start exactly one."""
    from booking.jobs import SCHEDULE, build_scheduler

    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    logging.getLogger("buurthuis.jobs").setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    scheduler = build_scheduler(app)

    def _stop(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, _stop)
    click.echo(
        "Planner gestart: "
        + ", ".join(
            f"{name} (elke {int(every.total_seconds() // 60)} min)"
            for name, every in SCHEDULE.items()
        )
        + ". Stoppen met Ctrl+C of SIGTERM."
    )
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if scheduler.running:
            click.echo("Planner stopt; lopende taken maken hun werk af ...")
            scheduler.shutdown(wait=True)
    click.echo("Planner gestopt.")


# Backup -------------------------------------------------------------------------------


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overschrijf een bestaand bestand.")
@with_appcontext
def backup(path: Path, force: bool) -> None:
    """Write an online backup of the SQLite database to PATH (PostgreSQL: use pg_dump)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "postgresql":
        target = url.set(drivername="postgresql").render_as_string(hide_password=True)
        click.echo(f"pg_dump --format=custom --file={click.format_filename(path)} '{target}'")
        raise click.ClickException(
            "Deze opdracht maakt alleen back-ups van SQLite. Gebruik voor PostgreSQL pg_dump, "
            "zoals hierboven (het wachtwoord via PGPASSWORD of ~/.pgpass); terugzetten gaat "
            "met pg_restore."
        )
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise click.ClickException(
            "Alleen een SQLite-database in een bestand kan zo worden geback-upt."
        )
    source = Path(url.database)
    if not source.exists():
        raise click.ClickException(f"De database {source} bestaat niet.")
    if path.exists() and not force:
        raise click.ClickException(f"{path} bestaat al; kies een andere naam of gebruik --force.")
    if path.resolve() == source.resolve():
        raise click.ClickException("De back-up kan niet de database zelf overschrijven.")
    path.parent.mkdir(parents=True, exist_ok=True)
    size = _sqlite_backup(source, path)
    click.echo(f"Back-up geschreven naar {path} ({size} bytes).")


def _sqlite_backup(source: Path, target: Path) -> int:
    """Copy a live database page by page (sqlite3 backup API), then swap it into place.

    The copy is written next to the target and renamed only when it is complete and
    passes a quick integrity check, so a failed backup never leaves half a file behind
    and --force replaces an old backup atomically. Writers may go on meanwhile (WAL).
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        with sqlite3.connect(source, timeout=30) as src, sqlite3.connect(temporary) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
        src.close()
        dst.close()
        if check != "ok":
            raise click.ClickException(f"De back-up is niet in orde: {check}")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(load_demo)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(invoices_cli)
    app.cli.add_command(run_scheduler)
    app.cli.add_command(backup)
