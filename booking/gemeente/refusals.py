"""A service's refusal shown on the gemeente's forms: next to its field when the service
named one the form has, otherwise in the list above the form."""

from __future__ import annotations

from booking.errors import RuleViolation
from booking.forms import Form
from booking.i18n import say


def show_refusal(form: Form, error: RuleViolation) -> list[str]:
    """Put the problems on the named field; return those that belong to no field."""
    sentences = [say(message) for message in error.problems]
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, *sentences]
        return []
    return sentences
