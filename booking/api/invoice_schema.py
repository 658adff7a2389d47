"""How an invoice looks in JSON, and the OpenAPI paths of /api/v1/invoices."""

from __future__ import annotations

from typing import Any

from booking.api.openapi import add_paths, error_response, json_request, json_response
from booking.api.serialise import iso
from booking.models import Invoice
from booking.rules.numbers import MAX_ID
from booking.services.invoices.documents import has_ubl
from booking.urls import public_url


def invoice_json(invoice: Invoice, *, lines: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": invoice.id,
        "house": invoice.house.slug,
        "kind": invoice.kind,
        "status": invoice.status,
        "number": invoice.number,
        "recipient": {
            "organisation_id": invoice.organisation_id,
            "person_id": invoice.person_id,
            "name": invoice.buyer.get("name")
            or (invoice.organisation.name if invoice.organisation else "")
            or (invoice.person.name if invoice.person else ""),
        },
        "period_month": invoice.period_month,
        "issue_date": invoice.issue_date.isoformat() if invoice.issue_date else None,
        "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
        "credits_invoice_id": invoice.credits_invoice_id,
        "net_cents": invoice.net_cents,
        "tax_cents": invoice.tax_cents,
        "total_cents": invoice.total_cents,
        "paid_cents": invoice.paid_cents,
        "credited_cents": invoice.credited_cents,
        "due_cents": invoice.due_cents,
        "pdf_url": public_url("api.invoice_file", invoice_id=invoice.id, kind="pdf"),
        "ubl_url": public_url("api.invoice_file", invoice_id=invoice.id, kind="xml")
        if has_ubl(invoice)
        else None,
    }
    if lines:
        data["lines"] = [
            {
                "booking_id": line.booking_id,
                "kind": line.kind,
                "description": line.description,
                "room": line.room_name,
                "start": iso(line.start),
                "end": iso(line.end),
                "hours_hundredths": line.hours_hundredths,
                "tariff_group": line.tariff_group,
                "list_price_cents": line.list_price_cents,
                "discount_cents": line.discount_cents,
                "amount_cents": line.amount_cents,
            }
            for line in invoice.lines
        ]
        data["payments"] = [
            {"amount_cents": p.amount_cents, "paid_on": p.paid_on.isoformat()}
            for p in invoice.payments
        ]
    return data


_CENTS = {"type": "integer"}
_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
_INVOICE = {"$ref": "#/components/schemas/Invoice"}
_NOT_YOURS = error_response("Unknown invoice, or not yours to see")

INVOICE_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "house": {"type": "string"},
        "kind": {"type": "string", "enum": ["factuur", "creditfactuur"]},
        "status": {
            "type": "string",
            "enum": [
                "concept",
                "definitief",
                "verzonden",
                "deels_betaald",
                "betaald",
                "gecrediteerd",
            ],
        },
        "number": {"type": ["string", "null"]},
        "recipient": {"type": "object"},
        "period_month": {"type": ["string", "null"]},
        "issue_date": {"type": ["string", "null"], "format": "date"},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "credits_invoice_id": {"type": ["integer", "null"]},
        "net_cents": _CENTS,
        "tax_cents": _CENTS,
        "total_cents": _CENTS,
        "paid_cents": _CENTS,
        "credited_cents": _CENTS,
        "due_cents": _CENTS,
        "pdf_url": {"type": "string"},
        "ubl_url": {"type": ["string", "null"]},
        "lines": {"type": "array", "items": {"type": "object"}},
        "payments": {"type": "array", "items": {"type": "object"}},
    },
}

add_paths(
    {
        "/invoices/run": {
            "post": {
                "summary": "Make a house's concept invoices for a month; again adds only the new",
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["house", "month"],
                        "properties": {
                            "house": {"type": "string"},
                            "month": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                        },
                    }
                ),
                "responses": {
                    "200": json_response("What the run made", {"type": "object"}),
                    "400": error_response("Bad input"),
                    "404": error_response("Unknown house, or not yours to invoice"),
                    "422": error_response("The house has no invoicing details yet"),
                },
            }
        },
        "/invoices": {
            "get": {
                "summary": "Invoices you may see: a house's, or your organisation's",
                "parameters": [
                    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                    for name in ("house", "status", "month")
                ],
                "responses": {
                    "200": json_response(
                        "Invoices, newest first",
                        {
                            "type": "object",
                            "properties": {"invoices": {"type": "array", "items": _INVOICE}},
                        },
                    ),
                    "400": error_response("Bad filter"),
                    "404": error_response("Unknown house, or not yours to invoice"),
                },
            }
        },
        "/invoices/{id}": {
            "get": {
                "summary": "One invoice with its lines and payments",
                "parameters": [_ID],
                "responses": {"200": json_response("The invoice", _INVOICE), "404": _NOT_YOURS},
            }
        },
        "/invoices/{id}.pdf": {
            "get": {
                "summary": "The invoice as an A4 PDF (Dutch)",
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "PDF", "content": {"application/pdf": {}}},
                    "404": _NOT_YOURS,
                },
            }
        },
        "/invoices/{id}.xml": {
            "get": {
                "summary": "The invoice as UBL 2.1 (SI-UBL 2.0, NLCIUS / EN 16931)",
                "parameters": [_ID],
                "responses": {
                    "200": {"description": "UBL XML", "content": {"application/xml": {}}},
                    "404": _NOT_YOURS,
                },
            }
        },
        "/invoices/{id}/finalise": {
            "post": {
                "summary": "Number, freeze and send a concept invoice",
                "parameters": [_ID],
                "responses": {
                    "200": json_response("The finalised invoice", _INVOICE),
                    "404": _NOT_YOURS,
                    "422": error_response("Already final, or empty"),
                },
            }
        },
        "/invoices/{id}/payments": {
            "post": {
                "summary": "Record a payment (partial or whole)",
                "parameters": [_ID],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["amount_cents", "paid_on"],
                        "properties": {
                            "amount_cents": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                            "paid_on": {"type": "string", "format": "date"},
                        },
                    }
                ),
                "responses": {
                    "201": json_response("The invoice after the payment", _INVOICE),
                    "400": error_response("Bad amount or date"),
                    "404": _NOT_YOURS,
                    "422": error_response("More than is due, or the invoice is not open"),
                },
            }
        },
        "/invoices/{id}/credit": {
            "post": {
                "summary": "Credit what is still charged on a finalised invoice",
                "parameters": [_ID],
                "requestBody": json_request(
                    {
                        "type": "object",
                        "required": ["reason"],
                        "properties": {"reason": {"type": "string", "maxLength": 300}},
                    }
                ),
                "responses": {
                    "201": json_response("The finalised credit note", _INVOICE),
                    "400": error_response("No reason given"),
                    "404": _NOT_YOURS,
                    "422": error_response("Not final, or credited already"),
                },
            }
        },
    },
    {"Invoice": INVOICE_SCHEMA},
)
