"""Public pages, the security headers every response carries, and Dutch error pages."""

from __future__ import annotations


def test_home_lists_houses(client, make_house):
    make_house()
    html = client.get("/").get_data(as_text=True)
    assert "Testhuis 1" in html and "met huiskamer" in html


def test_house_page_shows_rooms_and_opening_hours(client, make_house):
    house = make_house()
    html = client.get(f"/huizen/{house.slug}").get_data(as_text=True)
    assert "Zaal 1" in html and "maandag: 08:30–23:00" in html


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_style_in_pages(client, make_house):
    house = make_house()
    for path in ("/", f"/huizen/{house.slug}", "/login", "/registreren", "/privacy"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_404_page_is_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_405_page_is_dutch(client):
    response = client.post("/healthz")
    assert response.status_code in (400, 405)


def test_500_page_is_dutch_and_hides_the_error(app):
    @app.route("/kapot")
    def broken():
        raise RuntimeError("geheim detail")

    broken._public = True
    response = app.test_client().get("/kapot")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html and "geheim detail" not in html


def test_language_switch_ignores_unknown_languages(client):
    from tests.conftest import post_form

    post_form(client, "/taal", {"lang": "xx", "next": "/"})
    assert '<html lang="nl"' in client.get("/").get_data(as_text=True)


def test_language_switch_does_not_redirect_off_site(client):
    from tests.conftest import post_form

    response = post_form(client, "/taal", {"lang": "nl", "next": "//evil.example"})
    assert "evil" not in response.headers["Location"]
