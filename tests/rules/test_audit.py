"""Every audit action and object kind has Dutch words in the logboek, and English too."""

from __future__ import annotations

import pytest
from flask import Flask

from booking.i18n import audit_action_label, audit_object_label
from booking.rules.audit import ACTION_LABELS, OBJECT_LABELS, AuditAction, AuditObject


def test_every_action_has_a_label() -> None:
    assert set(ACTION_LABELS) == set(AuditAction)
    assert len(set(ACTION_LABELS.values())) == len(ACTION_LABELS), "two actions, one label"


def test_every_object_kind_has_a_label() -> None:
    assert set(OBJECT_LABELS) == set(AuditObject)


@pytest.mark.parametrize("action", list(AuditAction))
def test_the_logboek_never_shows_a_raw_identifier(app: Flask, action: AuditAction) -> None:
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        dutch = audit_action_label(action.value)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        english = audit_action_label(action.value)
    assert dutch != action.value and "_" not in dutch
    assert english != action.value and "_" not in english


@pytest.mark.parametrize("kind", list(AuditObject))
def test_object_kinds_read_as_words(app: Flask, kind: AuditObject) -> None:
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        assert "_" not in audit_object_label(kind.value)


def test_an_unknown_stored_action_shows_as_it_is(app: Flask) -> None:
    with app.test_request_context():
        assert audit_action_label("something_old") == "something_old"
