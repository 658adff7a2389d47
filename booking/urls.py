"""Absolute links for mails and feeds, built without a request (jobs, commands)."""

from __future__ import annotations

from typing import Any

from flask import current_app


def public_url(endpoint: str, **values: Any) -> str:
    adapter = current_app.url_map.bind("localhost")
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + adapter.build(endpoint, values)
