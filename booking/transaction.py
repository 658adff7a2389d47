"""Where a transaction ends: once per request, per CLI command and per job.

Services only flush; they never commit or roll back. The edge decides, in one place:

- a web request (HTML, API, feeds, kiosk) commits when its answer is a success (status
  below 400) and rolls back otherwise — a refused form, a 404 from the error vocabulary,
  an unexpected exception turned into a 500 — so a view that catches `RuleViolation` to
  show it next to a field cannot leave half a use case behind;
- a CLI command or a job runs inside `unit_of_work()` (or under `@transactional`), which
  commits once when it returns and rolls back when it raises.

Two deliberate exceptions keep their own commits, each documented where it happens: the
login throttle counts an attempt before the password is checked (booking/services/
accounts.py), and the outbox sender ends its transaction before it talks SMTP
(booking/mail/sender.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, current_app
from werkzeug.wrappers import Response

from booking.database import recover_session
from booking.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit once if the block succeeds; roll back on any error, then re-raise it."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def transactional(function: Callable[P, R]) -> Callable[P, R]:
    """Make a CLI command or a job an edge: `unit_of_work()` around the whole call."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with unit_of_work():
            return function(*args, **kwargs)

    return run


def _settle_request(response: Response) -> Response:
    """The web edge: a success commits what the use case flushed, anything else rolls back.

    A commit that fails (a lost connection, a lock timeout, a constraint only checked at
    commit) is answered like the same error raised by the use case — by the registered
    handlers, so a dead connection is a 503, never a 500 — and not with the success that
    was about to go out.
    """
    if not db.session.registry.has():
        return response  # the request never touched the database
    if response.status_code >= 400:
        recover_session(db.session)
        return response
    try:
        db.session.commit()
    except Exception as error:
        return current_app.make_response(current_app.handle_user_exception(error))
    return response


def init_app(app: Flask) -> None:
    app.after_request(_settle_request)
