"""A fuzzer over every HTML GET route: hostile path values and query strings never give a 500.

Every GET rule of the app that is not under /api/ and not static is requested as anonymous,
as initiatiefnemer, as beheerder of the house and as gemeente, with hostile values in each
path variable (the others kept valid) and in each query parameter the view reads. Which
parameters a view reads is recorded while it runs (a recording `request.args`), so a new
filter on a page is fuzzed without editing this file. The values: numbers beyond 32 and 64
bits, 0, -1, text, dates in the years 1 and 9999, a NUL, a lone surrogate, 10 kB, "../".
Each parameter is made hostile alone (the others good, so one 400 cannot hide another
parameter's 500) and together with the parameters of its shape (a `van` and a `tot`).
On the code before the bounded converter and the date window it found 73 server errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask, Request
from flask.testing import FlaskClient
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import Rule

from booking.extensions import db
from booking.models import Invoice, Organisation, OrganisationContact
from tests.conftest import HouseRef, UserRef, login

HUGE = str(10**20)
# Values for path variables and for every query parameter.
HOSTILE: tuple[str, ...] = (
    HUGE,
    str(2**63),
    str(2**31),
    "0",
    "-1",
    "x",
    "0001-01-01",
    "9999-12-31",
    "%00",
    "%ED%A0%80",
    "a" * 10_000,
    "..%2F..%2F",
    "../",
)
# Behind the login redirect the view never runs: the router and the guards still see these.
BEHIND_LOGIN: tuple[str, ...] = (HUGE, "%00")
# Only in query strings: the other shapes a date parameter can take.
QUERY_ONLY: tuple[str, ...] = (
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2100-12-31T23:59",
    "0001-01",
    "9999-12",
    "2026-02-30",
)

_SHAPES = {
    "day": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "moment": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T.*"),
    "month": re.compile(r"[0-9]{4}-[0-9]{2}"),
    "number": re.compile(r"-?[0-9]+"),
}


def _shape(value: str) -> str:
    return next((name for name, form in _SHAPES.items() if form.fullmatch(value)), "text")


def _plausible(world: World) -> dict[str, str]:
    """Good values for the names the views read, so that a view which reads a second
    parameter only once the first is there (a start, then an end) reveals it too, and a
    hostile value in one parameter is not hidden by another one being wrong."""
    room = str(world.house.room_ids[0])
    return {
        "week": "2026-12-07",
        "datum": "2026-12-07",
        "day": "2026-12-07",
        "start": "2026-12-07T10:00",
        "end": "2026-12-07T12:00",
        "van": "2026-11-01",
        "tot": "2026-11-30",
        "maand": "2026-11",
        "pagina": "2",
        "weergave": "dag",
        "house": world.house.slug,
        "area": "1",
        "capacity": "4",
        "start_time": "10:00",
        "end_time": "12:00",
        "ruimte": room,
        "activiteit": str(world.booking_id),
        "room_id": room,
        "status": "bevestigd",
        "klasse": "1",
        "tariefgroep": "T1",
        "scope": "mine",
        "verdacht": "y",
        "next": "/",
    }


class RecordingArgs(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query arguments that remember which names the view asked for."""

    asked: set[str] = set()

    def __getitem__(self, key: Any) -> Any:
        RecordingArgs.asked.add(str(key))
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        RecordingArgs.asked.add(str(key))
        return super().__contains__(key)

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:
        RecordingArgs.asked.add(str(key))
        return super().get(key, default, type)

    def getlist(self, key: Any, type: Any = None) -> list[Any]:
        RecordingArgs.asked.add(str(key))
        return super().getlist(key, type)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


@dataclass(frozen=True)
class World:
    house: HouseRef
    initiatiefnemer: UserRef
    beheerder: UserRef
    gemeente: UserRef
    booking_id: int
    organisation_id: int
    invoice_id: int


def _valid_values(world: World) -> dict[str, str]:
    return {
        "slug": world.house.slug,
        "room_id": str(world.house.room_ids[0]),
        "booking_id": str(world.booking_id),
        "feed_id": "1",
        "mail_id": "1",
        "kiosk_id": "1",
        "closure_id": "1",
        "block_id": "1",
        "area_id": "1",
        "user_id": "1",
        "token": "onbekend-token",
        "code": "ABCDEFGH",
        "filename": "app.css",
        "organisation_id": str(world.organisation_id),
        "invoice_id": str(world.invoice_id),
        "kind": "pdf",
        "file_id": "1",
        "batch_id": "1",
    }


def _html_get_rules(app: Flask) -> list[Rule]:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if "GET" in (rule.methods or set())
            and rule.endpoint != "static"
            and not rule.rule.startswith("/api/")
        ),
        key=lambda rule: rule.rule,
    )


def _path(rule: Rule, values: dict[str, str]) -> str:
    """The rule's URL with raw (already percent-encoded where needed) values substituted;
    any converter (`int`, `any(pdf, xml)`, none) is replaced."""
    path = rule.rule
    for argument in rule.arguments:
        marker = re.compile(rf"<(?:[^<>:]+:)?{re.escape(argument)}>")
        path = marker.sub(lambda _found, a=argument: values[a], path)
    return path


def _encode(value: str) -> str:
    """A value for a URL: percent-escapes that the value already carries stay as they are."""
    return quote(value, safe="%/")


def _query(pairs: dict[str, str]) -> str:
    return "&".join(f"{quote(name)}={_encode(value)}" for name, value in pairs.items())


@pytest.fixture
def world(
    app: Flask,
    make_house: Callable[..., HouseRef],
    make_user: Callable[..., UserRef],
    book: Callable[..., int],
) -> World:
    house = make_house()
    initiatiefnemer = make_user("initiatiefnemer")
    booking_id = book(initiatiefnemer, house.room_ids[0], days_ahead=2)
    with app.app_context():  # an organisation the initiatiefnemer books for, a concept invoice
        club = Organisation(name="Biljartclub", kind="vereniging")
        club.contacts.append(OrganisationContact(user_id=initiatiefnemer.id))
        concept = Invoice(house_id=house.id, person_id=initiatiefnemer.id)
        db.session.add_all([club, concept])
        db.session.commit()
        organisation_id, invoice_id = club.id, concept.id
    return World(
        house=house,
        initiatiefnemer=initiatiefnemer,
        beheerder=make_user("beheerder", house=house),
        gemeente=make_user("gemeente"),
        booking_id=booking_id,
        organisation_id=organisation_id,
        invoice_id=invoice_id,
    )


def _clients(app: Flask, world: World) -> Iterator[tuple[str, FlaskClient]]:
    yield "anoniem", app.test_client()
    for name in ("initiatiefnemer", "beheerder", "gemeente"):
        client = app.test_client()
        login(client, getattr(world, name))
        yield name, client


def _is_login_redirect(status: int, location: str | None) -> bool:
    return status == 302 and (location or "").startswith("/login")


def test_no_html_get_route_answers_a_server_error(app: Flask, world: World) -> None:
    app.request_class = RecordingRequest
    valid = _valid_values(world)
    plausible = _plausible(world)
    failures: list[str] = []
    count = 0
    fuzzed_alone: set[tuple[str, tuple[str, ...]]] = set()

    def get(client: FlaskClient, who: str, url: str) -> tuple[int, str | None]:
        nonlocal count
        count += 1
        try:
            response = client.get(url)
        except Exception as error:  # one that escaped the error handlers
            failures.append(f"{who} GET {url[:160]} -> {type(error).__name__}")
            return 500, None
        if response.status_code >= 500:
            failures.append(f"{who} GET {url[:160]} -> {response.status_code}")
        return response.status_code, response.headers.get("Location")

    rules = _html_get_rules(app)
    assert len(rules) > 30, "the fuzzer lost sight of the routes"
    for who, client in _clients(app, world):
        for rule in rules:
            base = _path(rule, {a: _encode(valid[a]) for a in rule.arguments})
            RecordingArgs.asked = set()
            status, location = get(client, who, base)
            shut = _is_login_redirect(status, location)  # the view never runs
            for argument in sorted(rule.arguments):
                for value in BEHIND_LOGIN if shut else HOSTILE:
                    get(client, who, _path(rule, {**valid, argument: _encode(value)}))
            if shut:
                continue
            get(client, who, base + "?" + _query(plausible))
            asked = sorted(RecordingArgs.asked)
            good = {name: plausible.get(name, "1") for name in asked}
            # Each parameter alone once per view: another role reading the same names gets
            # only the all-at-once requests (it keeps the run well under a minute).
            alone = (rule.rule, tuple(asked)) not in fuzzed_alone
            fuzzed_alone.add((rule.rule, tuple(asked)))
            for value in HOSTILE + QUERY_ONLY:
                for name in asked if alone else ():  # one parameter hostile, the others good
                    get(client, who, base + "?" + _query({**good, name: value}))
                shape = _shape(value)  # every parameter of the value's shape hostile at once
                hostile = {n: value for n in asked if shape in ("text", _shape(good[n]))}
                if len(hostile) > 1:
                    get(client, who, base + "?" + _query({**good, **hostile}))
    assert count > 2000, f"only {count} requests: the fuzzer lost its reach"
    assert ("/ruimtes/<int:room_id>", ("week",)) in fuzzed_alone, "recording args broke"
    assert any(r == "/beheer/<slug>/boekingen" and "datum" in n for r, n in fuzzed_alone)
    assert not failures, "\n".join(failures[:60]) + f"\n({len(failures)} in all)"
