"""Download my data: one JSON file with everything the product keeps about the account."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from flask import current_app, session
from flask_login import current_user
from werkzeug.wrappers import Response

from booking.accounts.blueprint import bp
from booking.i18n import local
from booking.services.my_account import export, sessions


@bp.route("/account/mijn-gegevens.json")
def download_my_data() -> Response:
    now = datetime.now(UTC)
    data = export.my_data(current_user, session.get(sessions.SESSION_KEY), now)
    response = current_app.response_class(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        mimetype="application/json",
    )
    filename = f"mijn-gegevens-buurthuis-{local(now).date().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
