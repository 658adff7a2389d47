"""The invoices of DESIGN §14 as JSON: run a house's month, list, read, download as PDF or
UBL, finalise, record a payment, credit. The HTML pages call the same services."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, jsonify, request
from flask_login import current_user

from booking.api.blueprint import bp
from booking.api.invoice_schema import invoice_json
from booking.api.parsing import integer_field, json_body, string_field
from booking.errors import InvalidInput
from booking.rules import dates
from booking.rules.messages import N_, Message
from booking.services.invoices import credits, documents, finalising, payments, queries, runs
from booking.services.invoices.common import readable_invoice


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/invoices/run", methods=["POST"])
def run_invoices() -> tuple[Response, int]:
    data = json_body()
    outcome = runs.run_month(
        current_user,
        string_field(data, "house", max_length=80),
        str(data.get("month", "")),
        now=_now(),
    )
    return jsonify(
        house=outcome.house.slug,
        month=str(outcome.month),
        created=[i.id for i in outcome.created],
        changed=[i.id for i in outcome.changed],
        proposed_credit_notes=[i.id for i in outcome.proposed_credits],
        lines_added=outcome.lines_added,
    ), 200


@bp.route("/invoices", methods=["GET"])
def list_invoices() -> Response:
    found = queries.list_invoices(
        current_user,
        house_slug=request.args.get("house") or None,
        status=request.args.get("status") or None,
        month=request.args.get("month") or None,
    )
    return jsonify(invoices=[invoice_json(i, lines=False) for i in found])


@bp.route("/invoices/<int:invoice_id>", methods=["GET"])
def get_invoice(invoice_id: int) -> Response:
    return jsonify(invoice_json(readable_invoice(current_user, invoice_id)))


@bp.route("/invoices/<int:invoice_id>.pdf", methods=["GET"], defaults={"kind": "pdf"})
@bp.route("/invoices/<int:invoice_id>.xml", methods=["GET"], defaults={"kind": "xml"})
def invoice_file(invoice_id: int, kind: str) -> Response:
    file = documents.invoice_file(current_user, invoice_id, kind)
    response = Response(file.body, mimetype=file.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@bp.route("/invoices/<int:invoice_id>/finalise", methods=["POST"])
def finalise_invoice(invoice_id: int) -> Response:
    return jsonify(invoice_json(finalising.finalise(current_user, invoice_id, now=_now())))


@bp.route("/invoices/<int:invoice_id>/payments", methods=["POST"])
def record_payment(invoice_id: int) -> tuple[Response, int]:
    data = json_body()
    amount = integer_field(data, "amount_cents", minimum=1)
    paid_on = dates.parse_day(str(data.get("paid_on", "")))
    if paid_on is None:
        raise InvalidInput("paid_on", Message(N_("Geef de betaaldatum als JJJJ-MM-DD.")))
    payment = payments.record_payment(current_user, invoice_id, amount, paid_on, now=_now())
    return jsonify(invoice_json(payment.invoice)), 201


@bp.route("/invoices/<int:invoice_id>/credit", methods=["POST"])
def credit_invoice(invoice_id: int) -> tuple[Response, int]:
    reason = string_field(json_body(), "reason", max_length=credits.MAX_REASON)
    return jsonify(
        invoice_json(credits.credit_invoice(current_user, invoice_id, reason, now=_now()))
    ), 201
