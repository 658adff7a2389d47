"""Every operation of the OpenAPI document, fuzzed by schemathesis through the Flask app.

The document is loaded from the app (`/api/v1/openapi.json`), so an operation added by any
area is fuzzed without editing this file. One test per (operation, role, generation mode):
anonymous and as a beheerder with a bearer token; schema-valid ("positive") and
schema-violating ("negative") requests. Every answer must not be a server error, must use
a status code the document lists for the operation, must carry the declared content type
and a body that matches the declared schema, and an invalid request must be refused (4xx).

Random strings rarely look like a date and random integers rarely name a room of ours, so
half the positive examples get some fields overlaid with values that reach further: real room,
booking and house ids, plausible slots in the coming weeks, and the edges that were 500s
once (years 1 and 9999, integers beyond 32 and 64 bits, a zero, a minus one).

The examples are derandomised, so a run in CI repeats the run that passed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from booking.api import create_blueprint
from booking.api.openapi import openapi_document
from booking.extensions import db
from booking.models import User
from booking.rules.permissions import Role
from booking.rules.slots import AMSTERDAM
from booking.services import accounts
from booking.services import feeds as feeds_service
from tests.conftest import PASSWORD, api_activity

MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

HOSTILE_INTEGERS = (0, -1, 2**31, 2**63, 10**30)
HOSTILE_MOMENTS = (
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00-12:00",
    "1999-12-31T23:00:00+00:00",
    "2101-01-01T00:00",
    "2026-03-29T02:30",  # skipped by summer time in Amsterdam
)
HOSTILE_DATES = ("0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", "2026-02-30")


@dataclass(frozen=True)
class Declared:
    """What an operation reads: its query parameters and its body's top-level fields."""

    query: frozenset[str]
    body: frozenset[str]
    has_input: bool


def _declared(document: dict[str, Any]) -> dict[tuple[str, str], Declared]:
    schemas = document["components"]["schemas"]
    found = {}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            body_schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            if "$ref" in body_schema:
                body_schema = schemas[body_schema["$ref"].rsplit("/", 1)[-1]]
            found[(method.upper(), path)] = Declared(
                query=frozenset(p["name"] for p in parameters if p["in"] == "query"),
                body=frozenset(body_schema.get("properties", {})),
                has_input=bool(parameters) or "requestBody" in operation,
            )
    return found


# Importing every API view module registers its paths in the document; `import booking.api`
# alone registered none of them, and only 12 cases were collected.
create_blueprint()
DECLARED = _declared(openapi_document())
CASES = [
    pytest.param(method, path, mode, id=f"{method} {path}-{mode}")
    for (method, path), declared in DECLARED.items()
    for mode in ("positive", "negative")
    # Nothing to negate in an operation without parameters or body.
    if mode == "positive" or declared.has_input
]


@dataclass(frozen=True)
class World:
    house_slug: str
    room_ids: tuple[int, ...]
    booking_ids: tuple[int, ...]
    feed_ids: tuple[int, ...]
    beheerder_email: str


def _slot(days_ahead: int, quarter: int, quarters: int) -> tuple[str, str]:
    """A slot on the 15-minute grid in local time, written without an offset."""
    day = datetime.now(AMSTERDAM).date() + timedelta(days=days_ahead)
    start = datetime.combine(day, time(8, 30)) + timedelta(minutes=15 * quarter)
    end = start + timedelta(minutes=15 * quarters)
    return start.isoformat(timespec="minutes"), end.isoformat(timespec="minutes")


SLOTS = st.builds(
    _slot,
    st.integers(min_value=1, max_value=90),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=1, max_value=16),
)
PLAUSIBLE_DAYS = st.integers(min_value=-400, max_value=400).map(
    lambda n: (date.today() + timedelta(days=n)).isoformat()
)
HOSTILE = st.sampled_from(HOSTILE_INTEGERS)


@dataclass(frozen=True)
class Values:
    """For each field an operation may read: a value it could accept, and one to refuse."""

    plausible: dict[str, st.SearchStrategy[Any]]
    hostile: dict[str, st.SearchStrategy[Any]]


def _body_values(world: World) -> Values:
    activities = [api_activity(), api_activity("vereniging"), api_activity("commercieel")]
    return Values(
        plausible={
            "room_id": st.sampled_from(world.room_ids),
            "title": st.sampled_from(["Koffieochtend", "Bingo"]),
            "public": st.booleans(),
            "activity": st.sampled_from(activities),
            "recurrence": st.none()  # optional: None leaves it out
            | st.fixed_dictionaries(
                {
                    "freq": st.sampled_from(["weekly", "monthly"]),
                    "interval": st.integers(min_value=1, max_value=4),
                    "until": st.integers(min_value=100, max_value=200).map(
                        lambda n: (date.today() + timedelta(days=n)).isoformat()
                    ),
                }
            ),
            "scope": st.sampled_from(["house", "room", "mine", "public"]),
            "id": st.sampled_from([world.house_slug, *world.room_ids]),
            "email": st.just(world.beheerder_email),
            "password": st.just(PASSWORD),
        },
        hostile={
            "room_id": HOSTILE,
            "title": st.sampled_from([" ", "x" * 201]),
            "public": st.just("ja"),
            "activity": st.just({**api_activity(), "contribution_cents": 2**63}),
            "recurrence": st.fixed_dictionaries(
                {
                    "freq": st.just("weekly"),
                    "interval": st.sampled_from([0, 53, 2**63]),
                    "until": st.sampled_from(HOSTILE_DATES),
                }
            ),
            "scope": st.just("alles"),
            "id": HOSTILE,
            "email": st.just(world.beheerder_email),
            "password": st.just("fout"),
        },
    )


def _query_values(world: World, path: str) -> Values:
    stats = path.startswith("/stats")
    return Values(
        plausible={
            "from": PLAUSIBLE_DAYS if stats else SLOTS.map(lambda s: s[0]),
            "to": PLAUSIBLE_DAYS if stats else SLOTS.map(lambda s: s[1]),
            "room_id": st.sampled_from(world.room_ids),
            "capacity": st.sampled_from([1, 2, 21]),
            "house": st.sampled_from([world.house_slug, ""]),
        },
        hostile={
            "from": st.sampled_from(HOSTILE_DATES if stats else HOSTILE_MOMENTS),
            "to": st.sampled_from(HOSTILE_DATES if stats else HOSTILE_MOMENTS),
            "start": st.sampled_from(HOSTILE_MOMENTS),
            "end": st.sampled_from(HOSTILE_MOMENTS),
            "room_id": HOSTILE,
            "capacity": HOSTILE,
            "house": st.just("nergens"),
        },
    )


def _overlay(
    draw: st.DrawFn, values: Values, declared: frozenset[str], fields: dict[str, Any]
) -> dict[str, Any]:
    """None, some or all declared fields replaced; when all, at most one is hostile."""
    names = sorted(declared & (set(values.plausible) | set(values.hostile)))
    how = draw(st.sampled_from(["none", "some", "all", "all"]))
    if how == "none" or not names:
        return fields
    fields = dict(fields)
    if how == "some":
        for name in names:
            if draw(st.booleans()):
                pool = [values.plausible.get(name), values.hostile.get(name)]
                fields[name] = draw(st.one_of([s for s in pool if s is not None]))
        return fields
    for name in names:
        if name in values.plausible:
            fields[name] = draw(values.plausible[name])
            if fields[name] is None:
                del fields[name]
    if {"start", "end"} <= declared:
        fields["start"], fields["end"] = draw(SLOTS)
    spoilable = sorted(set(names) & set(values.hostile))
    if spoilable and draw(st.booleans()):
        spoilt = draw(st.sampled_from(spoilable))
        fields[spoilt] = draw(values.hostile[spoilt])
    return fields


def _overlaid(
    base: st.SearchStrategy[schemathesis.Case], declared: Declared, world: World, path: str
) -> st.SearchStrategy[schemathesis.Case]:
    @st.composite
    def overlay(draw: st.DrawFn) -> schemathesis.Case:
        case = draw(base)
        if declared.query:
            query = _overlay(draw, _query_values(world, path), declared.query, case.query or {})
            case.query = {name: str(value) for name, value in query.items()}
        if isinstance(case.body, dict) and declared.body:
            case.body = _overlay(draw, _body_values(world), declared.body, case.body)
        return case

    return overlay()


def _feed(app: Flask, user_id: int, scope: str, target: object) -> int:
    with app.app_context():
        created = feeds_service.create_feed(
            db.session.get(User, user_id), scope, target, now=datetime.now(UTC)
        )
        db.session.commit()
        return created.feed.id


@pytest.mark.parametrize("role", ["anoniem", "beheerder"])
@pytest.mark.parametrize(("method", "path", "mode"), CASES)
def test_operation_answers_as_documented(
    app: Flask, make_house, make_user, book, method: str, path: str, mode: str, role: str
) -> None:
    house = make_house()
    beheerder = make_user(Role.beheerder, house=house)
    organiser = make_user()
    feeds = [("house", house.slug), ("room", house.room_ids[0])]
    world = World(
        house_slug=house.slug,
        room_ids=house.room_ids,
        booking_ids=tuple(book(organiser, house.room_ids[0], days_ahead=d) for d in (2, 3)),
        feed_ids=tuple(_feed(app, beheerder.id, scope, target) for scope, target in feeds),
        beheerder_email=beheerder.email,
    )
    headers: dict[str, str] = {}
    if role == "beheerder":
        with app.app_context():
            token = accounts.issue_api_token(db.session.get(User, beheerder.id))
            db.session.commit()
        headers["Authorization"] = f"Bearer {token}"

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[path][method]
    generation = schemathesis.GenerationMode(mode)
    strategies = [operation.as_strategy(generation)]
    if "{id}" in path:
        resource = path.split("/")[1]  # bookings, feeds or rooms
        known = {"bookings": world.booking_ids, "feeds": world.feed_ids}.get(
            resource, world.room_ids
        )
        strategies += [
            operation.as_strategy(generation, path_parameters={"id": known[0]}),
            operation.as_strategy(generation, path_parameters={"id": known[-1]}),
        ]
    cases = st.one_of(strategies)
    if mode == "positive":
        # Only there: an overlay can make a negative case valid, and it would still be
        # judged as one (schemathesis keeps what it generated the case to violate).
        cases = _overlaid(cases, DECLARED[(method, path)], world, path)
    statuses: list[int] = []

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def run(case: schemathesis.Case) -> None:
        statuses.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

    run()
    assert statuses, "no request was made"
