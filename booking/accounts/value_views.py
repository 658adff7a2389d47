"""The waardeoverzicht for an initiative: a page, a PDF and a CSV of the rent value used
in a year (services/invoices/value_statement.py says who may see whose)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, render_template, request
from flask_login import current_user

from booking.accounts.blueprint import bp
from booking.documents.value_statement_pdf import value_statement_pdf
from booking.errors import NotFound
from booking.rules.numbers import parse_whole_number
from booking.services.invoices.value_statement import (
    ValueStatement,
    statement_csv,
    value_statement,
)


def _statement() -> ValueStatement:
    """Whose statement: one's own, or with ?organisatie=<id> an organisation's."""
    given = request.args.get("organisatie")
    organisation_id = parse_whole_number(given) if given else None
    if given and organisation_id is None:
        raise NotFound("organisatie")
    return value_statement(
        current_user,
        year_text=request.args.get("jaar"),
        organisation_id=organisation_id,
        now=datetime.now(UTC),
    )


def _download(body: bytes, mimetype: str, statement: ValueStatement, suffix: str) -> Response:
    response = Response(body, mimetype=mimetype)
    name = f"waardeoverzicht-{statement.year}.{suffix}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/account/waardeoverzicht")
def value_statement_page() -> str:
    statement = _statement()
    return render_template(
        "accounts/value_statement.html", statement=statement, args=request.args.to_dict()
    )


@bp.route("/account/waardeoverzicht.pdf")
def value_statement_download() -> Response:
    statement = _statement()
    body = value_statement_pdf(
        statement.recipient, statement.year, statement.made_on, statement.lines
    )
    return _download(body, "application/pdf", statement, "pdf")


@bp.route("/account/waardeoverzicht.csv")
def value_statement_csv() -> Response:
    statement = _statement()
    body = statement_csv(statement).encode()
    return _download(body, "text/csv", statement, "csv")
