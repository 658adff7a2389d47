"""The mail viewer: the outbox in the browser, for beheerders and the gemeente, in dev only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.extensions import db
from booking.models import OutboxMail
from tests.conftest import login

HOSTILE_HTML = '<p onclick="steel()">Hallo</p><script>alert("mail")</script><img src=x>'


def _mails(app, count: int) -> list[int]:
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with app.app_context():
        mails = [
            OutboxMail(
                kind="test",
                to_address=f"p{i}@example.org",
                subject=f"Mail {i:03d}",
                body_text=f"Beste {i},\n\nregel twee",
                body_html=HOSTILE_HTML,
                created_at=start + timedelta(minutes=i),
            )
            for i in range(count)
        ]
        db.session.add_all(mails)
        db.session.commit()
        return [m.id for m in mails]


@pytest.fixture
def viewers(make_house, make_user):
    house = make_house()
    return {
        "initiatiefnemer": make_user("initiatiefnemer"),
        "gastheer": make_user("gastheer", house),
        "sociaal_beheerder": make_user("sociaal_beheerder", house),
        "beheerder": make_user("beheerder", house),
        "gemeente": make_user("gemeente"),
    }


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        login(client, user)
    return client


def test_only_gemeente_and_beheerders_see_the_outbox(app, viewers):
    (mail_id,) = _mails(app, 1)
    expected = {
        "initiatiefnemer": 404,
        "gastheer": 404,
        "sociaal_beheerder": 404,
        "beheerder": 200,
        "gemeente": 200,
    }
    for role, status in expected.items():
        client = _client(app, viewers[role])
        assert client.get("/post").status_code == status, role
        assert client.get(f"/post/{mail_id}").status_code == status, role
    anonymous = _client(app)
    for path in ("/post", f"/post/{mail_id}"):
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_viewer_does_not_exist_when_switched_off(app, viewers):
    (mail_id,) = _mails(app, 1)
    app.config["SHOW_MAIL_VIEWER"] = False
    for role in ("gemeente", "beheerder"):
        client = _client(app, viewers[role])
        assert client.get("/post").status_code == 404
        assert client.get(f"/post/{mail_id}").status_code == 404


def test_the_outbox_lists_newest_first_fifty_per_page(app, viewers):
    _mails(app, 60)
    with app.app_context():
        failed = db.session.scalars(db.select(OutboxMail).filter_by(subject="Mail 059")).one()
        failed.attempts, failed.last_error = 3, "ConnectionRefusedError: [Errno 111]"
        db.session.commit()
    client = _client(app, viewers["gemeente"])
    page = client.get("/post").get_data(as_text=True)
    subjects = re.findall(r">(Mail \d{3})</a>", page)
    assert subjects == [f"Mail {i:03d}" for i in range(59, 9, -1)]
    assert "pagina 1 van 2 (60 mails)" in page
    assert "ConnectionRefusedError" in page and "wachtend" in page
    assert '<th scope="col">Aan</th>' in page and "<caption>" in page
    assert 'href="/post?pagina=2"' in page
    second = client.get("/post?pagina=2").get_data(as_text=True)
    assert re.findall(r">(Mail \d{3})</a>", second) == [f"Mail {i:03d}" for i in range(9, -1, -1)]
    assert client.get("/post?pagina=0").status_code == 400
    assert client.get("/post?pagina=x").status_code == 400


def test_a_mail_shows_its_text_and_never_renders_its_html(app, viewers):
    (mail_id,) = _mails(app, 1)
    client = _client(app, viewers["beheerder"])
    response = client.get(f"/post/{mail_id}")
    page = response.get_data(as_text=True)
    assert "<pre>Beste 0,\n\nregel twee</pre>" in page
    assert "&lt;script&gt;alert(" in page
    assert "<script" not in page.lower()
    assert "onclick=" not in page.replace("onclick=&#34;", "")
    assert "<img src=x>" not in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/post/999999").status_code == 404
