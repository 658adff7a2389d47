"""Proof that the booker saw the server's quote for exactly these answers.

The booking form only confirms when its token matches the current answers: change an
answer and the quote (group, class, price, reasons) must be shown again first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import asdict
from datetime import datetime

from flask import current_app

from booking.rules.recurrence import Recurrence
from booking.rules.tariff import Activity


def quote_token(
    room_id: int,
    start: datetime,
    end: datetime,
    activity: Activity,
    recurrence: Recurrence | None = None,
) -> str:
    answers = {
        "room": room_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "activity": asdict(activity),
        "recurrence": None
        if recurrence is None
        else [recurrence.freq.value, recurrence.interval, recurrence.until.isoformat()],
    }
    canonical = json.dumps(answers, sort_keys=True, default=str)
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"quote:" + canonical.encode(), hashlib.sha256).hexdigest()[:32]


def matches(token: str | None, expected: str) -> bool:
    # compare_digest refuses non-ASCII text; a token of ours is hex, so such text is no match.
    return bool(token) and token.isascii() and hmac.compare_digest(token, expected)
