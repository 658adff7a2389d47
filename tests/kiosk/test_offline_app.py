"""The kiosk as an offline web app: the manifest, the service worker and its version."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from kiosk import offline
from tests.conftest import post_form

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_version_changes_with_any_content_or_name() -> None:
    files = [("js/kiosk.js", b"one"), ("css/kiosk.css", b"two")]
    version = offline.assets_version(files)
    assert version == offline.assets_version(list(reversed(files)))  # order is no change
    assert len(version) == 16
    assert offline.assets_version([("js/kiosk.js", b"one!"), files[1]]) != version
    assert offline.assets_version([("js/other.js", b"one"), files[1]]) != version
    assert offline.assets_version(files[:1]) != version


def test_only_the_plain_welcome_screen_is_kept() -> None:
    assert offline.shell_may_be_kept("nl", "nl", has_messages=False)
    assert not offline.shell_may_be_kept("ar", "nl", has_messages=False)
    assert not offline.shell_may_be_kept("nl", "nl", has_messages=True)


def test_the_worker_is_served_fresh_with_its_scope_and_version(client) -> None:
    response = client.get("/kiosk/sw.js")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/kiosk"
    assert "Set-Cookie" not in response.headers
    text = response.get_data(as_text=True)
    version = offline.assets_version(offline.read_assets(STATIC))
    assert text.startswith(f'const KIOSK_VERSION = "{version}";\n')
    assets = json.loads(text.splitlines()[1].removeprefix("const KIOSK_ASSETS = ").rstrip(";"))
    assert "/static/js/kiosk.js" in assets and "/static/css/kiosk.css" in assets
    for url in assets:
        assert client.get(url).status_code == 200, url
    assert 'request.method !== "GET"' in text  # posts are never kept


def test_a_changed_asset_changes_the_served_worker(app, client, tmp_path) -> None:
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    app.static_folder = str(copy)
    first = client.get("/kiosk/sw.js").get_data(as_text=True)
    assert client.get("/kiosk/sw.js").get_data(as_text=True) == first  # stable between checks
    (copy / "js" / "kiosk.js").write_text("// a new kiosk\n", encoding="utf-8")
    second = client.get("/kiosk/sw.js").get_data(as_text=True)
    assert second.splitlines()[0] != first.splitlines()[0]
    assert second.splitlines()[1:] == first.splitlines()[1:]


def test_the_manifest_starts_the_kiosk_full_screen(client) -> None:
    response = client.get("/kiosk/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "Buurthuis kiosk"
    assert manifest["start_url"] == manifest["scope"] == "/kiosk"
    assert manifest["display"] == "fullscreen"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} == sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_screen_links_the_app_and_says_it_may_be_kept(paired) -> None:
    _house, _staff, tablet, _beheerder = paired
    response = tablet.get("/kiosk")
    page = response.get_data(as_text=True)
    assert response.headers[offline.SHELL_HEADER] == "1"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'rel="manifest" href="/kiosk/manifest.webmanifest"' in page
    assert 'data-worker="/kiosk/sw.js" data-scope="/kiosk"' in page
    assert 'id="qr-offline" hidden' in page
    assert "worker-src" not in response.headers["Content-Security-Policy"]  # script-src 'self'
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_screen_in_another_language_or_with_a_message_is_not_kept(paired) -> None:
    _house, _staff, tablet, _beheerder = paired
    post_form(tablet, "/taal", {"lang": "tr", "next": "/kiosk"}, page="/kiosk")
    assert offline.SHELL_HEADER not in tablet.get("/kiosk").headers
    post_form(tablet, "/taal", {"lang": "nl", "next": "/kiosk"}, page="/kiosk")
    assert tablet.get("/kiosk").headers[offline.SHELL_HEADER] == "1"
    post_form(tablet, "/kiosk/tik", {}, page="/kiosk")  # no script: a flashed thanks
    assert offline.SHELL_HEADER not in tablet.get("/kiosk").headers


def test_the_pairing_page_is_never_kept(client) -> None:
    response = client.get("/kiosk")
    assert "Tablet koppelen" in response.get_data(as_text=True)
    assert offline.SHELL_HEADER not in response.headers


def test_the_worker_keeps_every_file_the_screen_loads(paired) -> None:
    """A file the screen loads but the worker does not keep would be missing after an
    offline reload (the card reader's decoder, say)."""
    _house, _staff, tablet, _user = paired
    html = tablet.get("/kiosk").get_data(as_text=True)
    loaded = {url.split("?", 1)[0] for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html)}
    kept = {f"/static/{name}" for name in offline.ASSETS}
    assert "/static/js/kiosk-card.js" in loaded and "/static/vendor/jsqr/jsQR.js" in loaded
    assert loaded <= kept, loaded - kept
