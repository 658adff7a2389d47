"""The kiosk as an offline web app: the files its service worker keeps, and their version.

The worker (static/js/kiosk-sw.js) is served from /kiosk/sw.js with two constants put in
front of it: the asset URLs to keep and a version made from their contents. When any of
those files changes, the worker's bytes change, so the tablet's browser installs the new
worker, which fills a new cache and deletes the old one: an update reaches the tablet
without anyone clearing a cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

WORKER_FILE = "js/kiosk-sw.js"
ASSETS = (
    "css/app.css",
    "css/responsive.css",
    "css/kiosk.css",
    "js/kiosk.js",
    "js/kiosk-offline.js",
    "js/kiosk-card.js",
    "vendor/jsqr/jsQR.js",
    "favicon.svg",
    "icons/kiosk-192.png",
    "icons/kiosk-512.png",
)
"""What the kiosk screen loads from /static (the worker file itself is hashed too)."""

SHELL_HEADER = "X-Kiosk-Shell"
"""Set on a kiosk screen the worker may keep as its shell (see `shell_may_be_kept`)."""


def assets_version(files: Iterable[tuple[str, bytes]]) -> str:
    """A short version of a set of files: changes when any name or content changes."""
    digest = hashlib.sha256()
    for name, content in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()[:16]


def shell_may_be_kept(language: str, welcome_language: str, has_messages: bool) -> bool:
    """Only the plain welcome screen is kept for offline use: in the welcome language and
    without a one-off message, so an offline reload greets the next visitor as usual."""
    return language == welcome_language and not has_messages


def read_assets(static_dir: Path) -> list[tuple[str, bytes]]:
    return [(name, (static_dir / name).read_bytes()) for name in (*ASSETS, WORKER_FILE)]


def worker_source(static_dir: Path, static_url: str) -> str:
    """The worker script as served: its constants, then static/js/kiosk-sw.js."""
    version = assets_version(read_assets(static_dir))
    urls = [f"{static_url.rstrip('/')}/{name}" for name in ASSETS]
    body = (static_dir / WORKER_FILE).read_text(encoding="utf-8")
    return (
        f"const KIOSK_VERSION = {json.dumps(version)};\n"
        f"const KIOSK_ASSETS = {json.dumps(urls)};\n{body}"
    )
