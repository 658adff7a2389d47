"""A house's staff page, for its beheerder and sociaal beheerder: who has which role,
inviting a host or sociaal beheerder, taking such a role (for every role of the
permission matrix), and the refusals of DESIGN section 3."""

from __future__ import annotations

import re

import pytest

from booking.extensions import db
from booking.models import AuditEntry, HouseMembership, OutboxMail, User
from tests.conftest import csrf_token, login, post_form

LINK = re.compile(r"/uitnodiging/([A-Za-z0-9_-]+)")


@pytest.fixture
def staff(make_house, make_user) -> dict:
    house_a, house_b = make_house("huis-a"), make_house("huis-b")
    return {
        "house": house_a,
        "other": house_b,
        "initiatiefnemer": make_user("initiatiefnemer"),
        "gastheer": make_user("gastheer", house_a),
        "sociaal_beheerder": make_user("sociaal_beheerder", house_a),
        "beheerder": make_user("beheerder", house_a),
        "beheerder_b": make_user("beheerder", house_b),
        "gemeente": make_user("gemeente"),
    }


def client_of(app, ref):
    client = app.test_client()
    login(client, ref)
    return client


def memberships(app, user_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.query(HouseMembership).filter_by(user_id=user_id)
        return sorted((m.house_id, m.role) for m in rows)


def invite(client, slug: str, **fields):
    data = {"email": "gast@example.org", "name": "", "role": "gastheer", **fields}
    url = f"/beheer/{slug}/medewerkers"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def test_the_page_lists_the_staff_and_offers_what_the_actor_may_give(app, staff):
    client = client_of(app, staff["sociaal_beheerder"])
    page = client.get("/beheer/huis-a/medewerkers").get_data(as_text=True)
    assert staff["gastheer"].email in page and staff["beheerder"].email in page
    assert staff["beheerder_b"].email not in page
    assert 'value="gastheer"' in page and 'value="sociaal_beheerder"' in page
    assert 'value="beheerder"' not in page
    assert "Weghalen als gastvrouw of gastheer" in page
    assert "Weghalen als beheerder" not in page  # the gemeente's to take
    assert page.count("Weghalen als sociaal beheerder") == 0  # not their own
    overview = client.get("/beheer/huis-a").get_data(as_text=True)
    assert "/beheer/huis-a/medewerkers" in overview
    gemeente = client_of(app, staff["gemeente"]).get("/beheer/huis-a/medewerkers")
    assert 'value="beheerder"' in gemeente.get_data(as_text=True)


@pytest.mark.parametrize("who", ["sociaal_beheerder", "beheerder"])
def test_staff_invite_a_host_who_accepts_and_runs_the_kiosk_page(app, staff, who):
    response = invite(client_of(app, staff[who]), "huis-a", name="Gijs")
    assert response.status_code == 302
    with app.app_context():
        (mail,) = db.session.query(OutboxMail).filter_by(kind="invitation").all()
        body = mail.body_text
        invited = db.session.query(User).filter_by(email="gast@example.org").one()
        entry = db.session.query(AuditEntry).filter_by(action="user_invited").one()
        assert entry.house_id == staff["house"].id  # in the house's logboek
    assert "Gastvrouw of gastheer van Testhuis 1" in body
    page = client_of(app, staff[who]).get("/beheer/huis-a/medewerkers").get_data(as_text=True)
    assert "Gijs" in page and "uitgenodigd, nog niet aangenomen" in page
    host = app.test_client()
    token = LINK.search(body).group(1)
    form = {
        "name": "Gijs",
        "password": "een-goed-wachtwoord",
        "password_again": "een-goed-wachtwoord",
    }
    assert post_form(host, f"/uitnodiging/{token}", form).status_code == 302
    assert host.get("/kiosk/gastheer/huis-a").status_code == 200
    assert host.get("/beheer/huis-a/medewerkers").status_code == 404
    assert memberships(app, invited.id) == [(staff["house"].id, "gastheer")]


def test_refusals_of_the_staff_page(app, staff):
    client = client_of(app, staff["beheerder"])
    forged = invite(client, "huis-a", role="beheerder")
    assert forged.status_code == 400 and "Ongeldige keuze" in forged.get_data(as_text=True)
    assert invite(client, "huis-b").status_code == 404  # another house
    duplicate = invite(client, "huis-a", email=staff["gastheer"].email)
    assert duplicate.status_code == 422 and "heeft deze rol al" in duplicate.get_data(as_text=True)
    bad = invite(client, "huis-a", email="geen adres")
    assert bad.status_code == 400
    assert invite(client_of(app, staff["gastheer"]), "huis-a").status_code == 404
    with app.app_context():
        assert db.session.query(User).filter_by(email="gast@example.org").count() == 0
        assert db.session.query(OutboxMail).count() == 0


def test_a_resident_invited_into_the_house_keeps_their_account(app, staff):
    resident = staff["initiatiefnemer"]
    response = invite(
        client_of(app, staff["sociaal_beheerder"]),
        "huis-a",
        email=resident.email,
        role="sociaal_beheerder",
    )
    assert response.status_code == 302
    assert memberships(app, resident.id) == [(staff["house"].id, "sociaal_beheerder")]
    assert client_of(app, resident).get("/beheer/huis-a/medewerkers").status_code == 200


REMOVE = "/beheer/huis-a/medewerkers/{id}/weghalen?rol=gastheer"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("initiatiefnemer", 404),
        ("gastheer", 404),
        ("sociaal_beheerder", 302),
        ("beheerder", 302),
        ("beheerder_b", 404),
        ("gemeente", 302),
    ],
)
def test_taking_a_host_role_answers_each_role_as_designed(app, staff, who, status):
    client = app.test_client()
    if who != "anonymous":
        login(client, staff[who])
    host = staff["gastheer"]
    response = client.post(REMOVE.format(id=host.id), data={"csrf_token": csrf_token(client)})
    assert response.status_code == status
    taken = who in ("sociaal_beheerder", "beheerder", "gemeente")
    assert memberships(app, host.id) == ([] if taken else [(staff["house"].id, "gastheer")])


def test_the_confirmation_page_and_what_may_not_be_taken(app, staff):
    client = client_of(app, staff["sociaal_beheerder"])
    url = REMOVE.format(id=staff["gastheer"].id)
    page = client.get(url)
    assert page.status_code == 200 and "Ja, haal deze rol weg" in page.get_data(as_text=True)
    own = (
        f"/beheer/huis-a/medewerkers/{staff['sociaal_beheerder'].id}/weghalen?rol=sociaal_beheerder"
    )
    refused = client.post(own, data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 422 and "eigen rol" in refused.get_data(as_text=True)
    beheerder = f"/beheer/huis-a/medewerkers/{staff['beheerder'].id}/weghalen?rol=beheerder"
    assert client.get(beheerder).status_code == 422
    outsider = f"/beheer/huis-a/medewerkers/{staff['beheerder_b'].id}/weghalen?rol=beheerder"
    assert client.get(outsider).status_code == 404
    assert (
        client.get(f"/beheer/huis-a/medewerkers/{staff['gastheer'].id}/weghalen?rol=x").status_code
        == 404
    )
    assert memberships(app, staff["sociaal_beheerder"].id) == [
        (staff["house"].id, "sociaal_beheerder")
    ]
