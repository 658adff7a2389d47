"""The API skeleton: sessions, bearer tokens, houses, the error format, OpenAPI."""

from __future__ import annotations

from booking.extensions import db
from booking.models import ApiToken
from booking.services import accounts
from tests.conftest import PASSWORD


def error_of(response):
    body = response.get_json()
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_houses_are_public(client, make_house):
    house = make_house(rooms=3)
    body = client.get("/api/v1/houses").get_json()
    assert [h["slug"] for h in body["houses"]] == [house.slug]
    room = body["houses"][0]["rooms"][0]
    assert set(room) == {"id", "name", "capacity", "is_huiskamer"}
    assert room["is_huiskamer"] is True


def test_session_login_with_json(client, make_user):
    user = make_user()
    response = client.post("/api/v1/session", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert response.get_json()["user"]["email"] == user.email
    assert client.get("/api/v1/session").status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/session").status_code == 401


def test_session_with_wrong_password_is_401_json(client, make_user):
    user = make_user()
    response = client.post("/api/v1/session", json={"email": user.email, "password": "fout"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "onjuiste_inlog"


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/session", data="{nope", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "ongeldige_json"


def test_json_array_is_400(client):
    response = client.post("/api/v1/session", json=["a"])
    assert response.status_code == 400


def test_missing_fields_are_400_with_the_field_named(client):
    response = client.post("/api/v1/session", json={"email": "a@example.org"})
    assert response.status_code == 400
    assert error_of(response)["details"] == {"field": "password"}


def test_form_encoded_body_is_415(client):
    response = client.post("/api/v1/session", data={"email": "a", "password": "b"})
    assert response.status_code == 415


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert error_of(response)["code"] == "niet_gevonden"


def test_wrong_method_is_json_405(client):
    response = client.put("/api/v1/houses")
    assert response.status_code == 405
    assert error_of(response)["code"] == "methode_niet_toegestaan"


def test_bearer_token_authenticates_and_only_its_hash_is_stored(app, client, make_user):
    user = make_user()
    with app.app_context():
        token = accounts.issue_api_token(accounts.find_user(user.email))
        db.session.commit()
        stored = db.session.query(ApiToken).one()
        assert token not in stored.token_hash and len(stored.token_hash) == 64
    response = client.get("/api/v1/session", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["user"]["email"] == user.email


def test_bad_bearer_token_is_401(client):
    response = client.get("/api/v1/session", headers={"Authorization": "Bearer nep"})
    assert response.status_code == 401
    assert error_of(response)["code"] == "niet_ingelogd"


def test_bearer_token_does_not_open_html_pages(app, client, make_user):
    user = make_user()
    with app.app_context():
        token = accounts.issue_api_token(accounts.find_user(user.email))
        db.session.commit()
    response = client.get("/dashboard", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 302


def test_api_login_is_rate_limited(client, make_user):
    user = make_user()
    statuses = [
        client.post("/api/v1/session", json={"email": user.email, "password": "fout"}).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429
    assert (
        error_of(client.post("/api/v1/session", json={"email": user.email, "password": "fout"}))[
            "code"
        ]
        == "te_veel_verzoeken"
    )


def test_openapi_document_lists_the_endpoints(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert {"/session", "/houses"} <= set(doc["paths"])
    assert "Error" in doc["components"]["schemas"]


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_every_api_route_is_in_the_openapi_document(app, client):
    import re

    documented = set(client.get("/api/v1/openapi.json").get_json()["paths"])
    routes = {
        re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda m: "{id}" if m.group(1).endswith("id") else f"{{{m.group(1)}}}",
            rule.rule[len("/api/v1") :],
        )
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
    }
    assert routes <= documented, routes - documented
