"""CBS area codes: the shape of a wijk or buurt code, and the year it belongs to.

Statistics Netherlands (CBS) numbers every wijk and buurt of a municipality in its yearly
"Wijk- en Buurtkaart": a wijk code is ``WK`` followed by the four digits of the
municipality and two of the wijk (``WK082801``), a buurt code ``BU`` followed by those
six digits and two more of the buurt (``BU08280101``). The codes change when a
municipality redraws its wijken or merges, so a code only means something together with
the year of the map it comes from.

People copy codes from CBS tables with spaces or in lower case; both are layout only, so
``wk 0828 01`` is stored as ``WK082801``. Anything else is refused with a Dutch message.
"""

from __future__ import annotations

import re

from booking.rules.messages import N_, Message

CODE_MAX = 10
"""A buurt code, the longest kind: BU and eight digits."""
FIRST_YEAR = 2000
"""No area code from before the first Wijk- en Buurtkaart is worth typing in."""

_WIJK = re.compile(r"WK[0-9]{6}")
_BUURT = re.compile(r"BU[0-9]{8}")
_LAYOUT = re.compile(r"[\s.\-]")
_MAX_TYPED = 40
"""Longer input is refused without being read further."""

BAD_CODE = Message(
    N_(
        "Dit is geen CBS-code. Een wijkcode is WK met zes cijfers (bijvoorbeeld WK082801), "
        "een buurtcode BU met acht cijfers (bijvoorbeeld BU08280101)."
    )
)
YEAR_WITHOUT_CODE = Message(N_("Vul ook de CBS-code in, of laat het jaar leeg."))
CODE_WITHOUT_YEAR = Message(
    N_("Vul ook het jaar van de CBS-code in: de codes veranderen soms per jaar.")
)


def normalise_code(text: str | None) -> str:
    """The code as stored: no spaces, dots or dashes, upper case; "" when none was typed.

    Does not check the shape; `code_problem` does.
    """
    if not text:
        return ""
    return _LAYOUT.sub("", text[:_MAX_TYPED]).upper()


def code_kind(code: str) -> str | None:
    """ "wijk" or "buurt" for a well-formed (normalised) code, else None."""
    if _WIJK.fullmatch(code):
        return "wijk"
    if _BUURT.fullmatch(code):
        return "buurt"
    return None


def code_problem(text: str | None) -> Message | None:
    """Why a typed code is not a CBS wijk or buurt code; None when it is one or is empty."""
    if not text or not text.strip():
        return None
    if len(text) > _MAX_TYPED or code_kind(normalise_code(text)) is None:
        return BAD_CODE
    return None


def year_problem(year: int | None, this_year: int) -> Message | None:
    """A code's year lies between the first Wijk- en Buurtkaart and next year's."""
    if year is None or FIRST_YEAR <= year <= this_year + 1:
        return None
    return Message(
        N_("Het jaar van de CBS-code ligt tussen %(low)s en %(high)s."),
        {"low": FIRST_YEAR, "high": this_year + 1},
    )


def code_and_year_problems(code: str | None, year: int | None, this_year: int) -> list[Message]:
    """Every problem of a code with its year: each alone, and the two together."""
    problems = [p for p in (code_problem(code), year_problem(year, this_year)) if p]
    has_code = bool(normalise_code(code))
    if has_code and year is None:
        problems.append(CODE_WITHOUT_YEAR)
    if year is not None and not has_code:
        problems.append(YEAR_WITHOUT_CODE)
    return problems
