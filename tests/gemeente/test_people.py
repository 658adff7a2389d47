"""The gemeente's people and roles, through the test client as the gemeente uses them:
everyone with their last login, inviting by e-mail, giving and taking roles, deactivating
and reactivating — and every kind of bad input (a clear Dutch message, a 4xx, nothing
stored)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from booking.extensions import db
from booking.models import ApiToken, HouseMembership, OutboxMail, User
from booking.models.accounts import Invitation
from booking.services import accounts
from tests.conftest import PASSWORD, post_form
from tests.gemeente.conftest import audit_entries, client_for, post

LINK = re.compile(r"/uitnodiging/([A-Za-z0-9_-]+)")


def people_count(app) -> int:
    with app.app_context():
        return db.session.query(User).count()


def mails(app, kind: str) -> list[str]:
    with app.app_context():
        return [m.body_text for m in db.session.query(OutboxMail).filter_by(kind=kind)]


def the_user(app, email: str) -> User:
    with app.app_context():
        found = db.session.query(User).filter_by(email=email).one()
        db.session.expunge(found)
        return found


def invite(client, **fields):
    data = {"email": "noor@example.org", "name": "Noor", "role": "beheerder", **fields}
    return post(client, "/gemeente/mensen/uitnodigen", data)


def test_everyone_is_listed_with_roles_and_last_login(app, town):
    client = client_for(app, town.gemeente)  # logging in sets the last login
    page = client.get("/gemeente/mensen").get_data(as_text=True)
    assert "Mensen en rollen" in page and town.beheerder.email in page
    assert "Beheerder · Testhuis 1" in page
    assert page.count("nog nooit") == 2  # the beheerder and the organiser never logged in
    found = client.get("/gemeente/mensen?q=BEHEERDER&rol=beheerder").get_data(as_text=True)
    assert town.beheerder.email in found and town.organiser.email not in found
    for hostile in ("%25", "_", "a" * 5000, "\\", "x' OR 1=1 --"):
        assert client.get("/gemeente/mensen", query_string={"q": hostile}).status_code == 200
    assert client.get("/gemeente/mensen?rol=koning").status_code == 200


def test_the_gemeente_invites_a_beheerder_who_accepts_and_is_logged_in(app, town):
    client = client_for(app, town.gemeente)
    assert client.get("/gemeente/mensen/uitnodigen").status_code == 200
    response = invite(client, houses=[str(town.house.id)])
    assert response.status_code == 302
    assert "uitnodiging is verstuurd" in client.get(response.location).get_data(as_text=True)
    (body,) = mails(app, "invitation")
    assert "Beheerder van Testhuis 1" in body
    noor = the_user(app, "noor@example.org")
    person = client.get(f"/gemeente/mensen/{noor.id}").get_data(as_text=True)
    assert "uitgenodigd, nog niet aangenomen" in person and "Uitnodiging geldig tot" in person
    (entry,) = audit_entries(app, "user_invited")
    assert entry.actor_id == town.gemeente.id and entry.house_id == town.house.id

    token = LINK.search(body).group(1)
    invitee = app.test_client()
    page = invitee.get(f"/uitnodiging/{token}")
    assert page.status_code == 200 and "noor@example.org" in page.get_data(as_text=True)
    data = {"name": "Noor de Vries", "password": "een-goed-wachtwoord"}
    accepted = post_form(
        invitee, f"/uitnodiging/{token}", {**data, "password_again": data["password"]}
    )
    assert accepted.status_code == 302 and accepted.location.endswith("/dashboard")
    assert invitee.get(f"/beheer/{town.house.slug}/ruimtes").status_code == 200
    again = app.test_client().get(f"/uitnodiging/{token}")
    assert again.status_code == 410 and "al gebruikt" in again.get_data(as_text=True)
    listed = client.get("/gemeente/mensen?q=noor").get_data(as_text=True)
    assert "Noor de Vries" in listed and "nog nooit" not in listed


def test_bad_invitations_say_why_and_store_nothing(app, town):
    client = client_for(app, town.gemeente)
    before = people_count(app)
    houseless = invite(client)
    assert houseless.status_code == 422
    assert "Deze rol hoort bij een huis" in houseless.get_data(as_text=True)
    bad_address = invite(client, email="geen-adres", houses=[str(town.house.id)])
    assert bad_address.status_code == 400
    assert "Vul een geldig e-mailadres in" in bad_address.get_data(as_text=True)
    no_role = invite(client, role="", houses=[str(town.house.id)])
    assert no_role.status_code == 400 and "Kies een rol." in no_role.get_data(as_text=True)
    forged = invite(client, role="initiatiefnemer", houses=["999999", "x"])
    assert forged.status_code == 400
    duplicate = invite(client, email=town.beheerder.email.upper(), houses=[str(town.house.id)])
    assert duplicate.status_code == 422
    assert "heeft deze rol al" in duplicate.get_data(as_text=True)
    assert people_count(app) == before and mails(app, "invitation") == []
    with app.app_context():
        assert db.session.query(Invitation).count() == 0


def test_an_existing_account_gets_the_role_not_a_second_account(app, town):
    client = client_for(app, town.gemeente)
    before = people_count(app)
    response = invite(
        client, email=town.organiser.email, role="gastheer", houses=[str(town.other_house.id)]
    )
    assert response.status_code == 302
    assert "had al een account" in client.get(response.location).get_data(as_text=True)
    assert people_count(app) == before
    (body,) = mails(app, "roles_changed")
    assert "U heeft een nieuwe rol: Gastvrouw of gastheer van Testhuis 2." in body


def test_roles_are_given_and_taken_on_the_person_page(app, town):
    client = client_for(app, town.gemeente)
    url = f"/gemeente/mensen/{town.organiser.id}"
    given = post(
        client, f"{url}/rollen", {"role": "sociaal_beheerder", "house": str(town.house.id)}
    )
    assert given.status_code == 302
    assert "Sociaal beheerder" in client.get(url).get_data(as_text=True)
    twice = post(
        client, f"{url}/rollen", {"role": "sociaal_beheerder", "house": str(town.house.id)}
    )
    assert twice.status_code == 422 and "heeft deze rol al" in twice.get_data(as_text=True)
    houseless = post(client, f"{url}/rollen", {"role": "gastheer", "house": ""})
    assert houseless.status_code == 422
    assert "hoort bij een huis" in houseless.get_data(as_text=True)
    remove = f"{url}/rol-weghalen?rol=sociaal_beheerder&huis={town.house.id}"
    confirm = client.get(remove)
    assert confirm.status_code == 200 and "Weet u het zeker?" in confirm.get_data(as_text=True)
    assert client.post(remove).status_code == 400  # no CSRF token: refused, nothing taken
    assert the_user(app, town.organiser.email).role == "sociaal_beheerder"
    assert post(client, remove, {}).status_code == 302
    assert the_user(app, town.organiser.email).role == "initiatiefnemer"
    assert client.get(remove).status_code == 404  # nothing left to take
    assert client.get(f"{url}/rol-weghalen?rol=koning").status_code == 404
    assert [m.split("\n")[2] for m in mails(app, "roles_changed")] == [
        "U heeft een nieuwe rol: Sociaal beheerder van Testhuis 1.",
        "Deze rol is weggehaald: Sociaal beheerder van Testhuis 1.",
    ]


def test_the_last_gemeente_cannot_demote_itself(app, town):
    client = client_for(app, town.gemeente)
    url = f"/gemeente/mensen/{town.gemeente.id}/rol-weghalen?rol=gemeente"
    assert client.get(url).status_code == 200
    refused = post(client, url, {})
    assert refused.status_code == 422
    assert "laatste actieve account van de gemeente" in refused.get_data(as_text=True)
    assert the_user(app, town.gemeente.email).role == "gemeente"
    assert audit_entries(app, "role_removed") == []


def test_deactivating_stops_a_session_and_a_token_at_once(app, town):
    beheerder = client_for(app, town.beheerder)
    assert beheerder.get(f"/beheer/{town.house.slug}").status_code == 200
    with app.app_context():
        token = accounts.issue_api_token(db.session.get(User, town.beheerder.id))
        db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 200
    gemeente = client_for(app, town.gemeente)
    url = f"/gemeente/mensen/{town.beheerder.id}/deactiveren"
    assert "Weet u het zeker?" in gemeente.get(url).get_data(as_text=True)
    assert post(gemeente, url, {}).status_code == 302
    after = beheerder.get(f"/beheer/{town.house.slug}")
    assert after.status_code == 302 and "/login" in after.location
    assert app.test_client().get("/api/v1/session", headers=bearer).status_code == 401
    login = post_form(
        app.test_client(), "/login", {"email": town.beheerder.email, "password": PASSWORD}
    )
    assert login.status_code == 401
    with app.app_context():
        assert db.session.query(ApiToken).filter(ApiToken.revoked_at.is_(None)).count() == 0
        assert db.session.query(HouseMembership).filter_by(user_id=town.beheerder.id).count() == 1
    page = gemeente.get(f"/gemeente/mensen/{town.beheerder.id}").get_data(as_text=True)
    assert "gedeactiveerd" in page
    again = post(gemeente, url, {})
    assert again.status_code == 422 and "al gedeactiveerd" in again.get_data(as_text=True)
    assert post(gemeente, f"/gemeente/mensen/{town.beheerder.id}/activeren", {}).status_code == 302
    assert client_for(app, town.beheerder).get(f"/beheer/{town.house.slug}").status_code == 200
    assert [e.action for e in audit_entries(app, "account_deactivated")] == ["account_deactivated"]


def test_the_gemeente_does_not_deactivate_itself(app, town):
    client = client_for(app, town.gemeente)
    refused = post(client, f"/gemeente/mensen/{town.gemeente.id}/deactiveren", {})
    assert refused.status_code == 422 and "eigen account" in refused.get_data(as_text=True)
    assert the_user(app, town.gemeente.email).active


def test_unknown_and_deleted_people_answer_404(app, town):
    client = client_for(app, town.gemeente)
    assert client.get("/gemeente/mensen/999999").status_code == 404
    with app.app_context():
        db.session.get(User, town.organiser.id).deleted_at = datetime.now(UTC)
        db.session.commit()
    assert client.get(f"/gemeente/mensen/{town.organiser.id}").status_code == 404
    assert town.organiser.email not in client.get("/gemeente/mensen").get_data(as_text=True)
