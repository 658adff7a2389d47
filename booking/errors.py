"""The one error vocabulary of every use case: services raise these, nothing else.

Each kind has one meaning and one HTTP answer, given once by the handlers in
`booking/error_pages.py` (the Dutch HTML page, or the JSON error of DESIGN section 10),
so a view never catches `NotFound` and never writes a status code for a refusal.
A view may still catch `RuleViolation`, `InvalidInput` or `SlotTaken` to show the
problem next to the form field it is about; the transaction edge rolls back either way.

Every user-facing text is a rules `Message` (a Dutch msgid with params; a bare `N_("…")`
msgid is accepted for a message without params), translated at the edge with
`booking.i18n.say`, so the rules and services stay free of Flask-Babel.

Plain Python on purpose: `booking/rules` may raise these too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from booking.rules.messages import Message


def _message(text: Message | str) -> Message:
    """A bare string is a msgid without params (marked with `N_` where it is written)."""
    return text if isinstance(text, Message) else Message(text)


class DomainError(Exception):
    """A use case refused. The HTTP status is a property of the kind, not of the caller."""

    status = 400
    code = "ongeldig_verzoek"


class NotFound(DomainError):
    """The object does not exist (or is inactive): 404."""

    status = 404
    code = "niet_gevonden"


class Forbidden(NotFound):
    """The object exists but is not the caller's to see or change.

    Answered exactly like `NotFound` (404), so nobody learns what exists elsewhere; the
    separate name only says, where it is raised, that a permission check refused.
    """


class InvalidInput(DomainError):
    """The request itself is malformed (400): which field, and why in Dutch."""

    status = 400
    code = "ongeldig_veld"  # the API's code for a bad field, as booking/api/parsing.py uses

    def __init__(
        self, field: str, message: Message | str, *, code: str | None = None, **details: Any
    ) -> None:
        self.message = _message(message)
        super().__init__(self.message.template)
        self.field = field
        self.details = details  # more for the JSON error's details: the allowed range, say
        if code is not None:
            self.code = code


class RuleViolation(DomainError):
    """The request is well formed but breaks a rule of the house or the product (422).

    `problems` lists every rule broken, not only the first, so the user can fix them all
    at once; `field` names the form field they are about, when there is one.
    """

    status = 422
    code = "regel_geschonden"

    def __init__(
        self,
        problems: Message | str | Sequence[Message],
        field: str = "",
        *,
        code: str | None = None,
    ) -> None:
        if isinstance(problems, Message | str):
            problems = [problems]
        self.problems: list[Message] = [_message(p) for p in problems]
        super().__init__("; ".join(m.template for m in self.problems))
        self.field = field
        if code is not None:
            self.code = code

    @property
    def message(self) -> Message:
        """The first problem: for places that have room for one sentence only."""
        return self.problems[0]


class SlotTaken(DomainError):
    """The room is taken by bookings that may not be displaced (409), with alternatives."""

    status = 409
    code = "bezet"

    def __init__(self, conflicts: Sequence[Any], alternatives: Sequence[Any]) -> None:
        super().__init__("slot taken")
        self.conflicts = list(conflicts)
        self.alternatives = list(alternatives)


class IllegalTransition(RuleViolation):
    """A state change that is not legal from the object's current state (422).

    Raised by the models' transition methods (`Booking.cancel()` on a booking that is
    already cancelled, say); the message tells the user where the object stands now.
    """
