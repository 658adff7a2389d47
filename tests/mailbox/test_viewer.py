"""The mail viewer: the outbox in the browser, for beheerders and the gemeente, in dev only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from booking.extensions import db
from booking.models import OutboxAttachment, OutboxMail
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


def test_each_user_reads_only_their_own_mail_the_gemeente_all(app, viewers):
    (mail_id,) = _mails(app, 1)
    for role in ("initiatiefnemer", "gastheer", "sociaal_beheerder", "beheerder"):
        client = _client(app, viewers[role])
        assert client.get("/post").status_code == 200, role
        assert "Mail 000" not in client.get("/post").get_data(as_text=True), role
        assert client.get(f"/post/{mail_id}").status_code == 404, role
    gemeente = _client(app, viewers["gemeente"])
    assert gemeente.get(f"/post/{mail_id}").status_code == 200
    assert "Mail 000" in gemeente.get("/post").get_data(as_text=True)


def test_a_beheerder_cannot_read_a_reset_link_for_the_gemeente(app, viewers):
    """The takeover of the hardening issue: reset requested for someone else, read in /post."""
    from tests.conftest import post_form

    beheerder = _client(app, viewers["beheerder"])
    with app.app_context():
        gemeente_email = viewers["gemeente"].email
    anonymous = _client(app)
    post_form(anonymous, "/wachtwoord-vergeten", {"email": gemeente_email})
    with app.app_context():
        reset = db.session.scalars(db.select(OutboxMail).filter_by(kind="password_reset")).one()
        reset_id, subject = reset.id, reset.subject
    page = beheerder.get("/post").get_data(as_text=True)
    assert "wachtwoord-herstellen" not in page and subject not in page
    assert beheerder.get(f"/post/{reset_id}").status_code == 404
    own = _client(app, viewers["gemeente"]).get(f"/post/{reset_id}")
    assert own.status_code == 200


def test_beheerder_sees_mail_addressed_to_them(app, viewers):
    with app.app_context():
        mail = OutboxMail(
            kind="test",
            to_address=viewers["beheerder"].email,
            subject="Voor de beheerder",
            body_text="Hallo",
            body_html="<p>Hallo</p>",
        )
        db.session.add(mail)
        db.session.commit()
        mail_id = mail.id
    client = _client(app, viewers["beheerder"])
    assert "Voor de beheerder" in client.get("/post").get_data(as_text=True)
    assert client.get(f"/post/{mail_id}").status_code == 200
    assert _client(app, viewers["sociaal_beheerder"]).get(f"/post/{mail_id}").status_code == 404
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
    client = _client(app, viewers["gemeente"])
    response = client.get(f"/post/{mail_id}")
    page = response.get_data(as_text=True)
    assert "<pre>Beste 0,\n\nregel twee</pre>" in page
    assert "&lt;script&gt;alert(" in page
    assert "<script>alert(" not in page.lower()
    assert not re.search(r"<script(?![^>]*\bsrc=)", page, re.IGNORECASE)
    assert "onclick=" not in page.replace("onclick=&#34;", "")
    assert "<img src=x>" not in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/post/999999").status_code == 404


def test_sent_files_download_for_their_reader_only(app, viewers):
    """An invoice's PDF and UBL can be read where the mail is read, by whom may read it."""
    owner = viewers["initiatiefnemer"]
    with app.app_context():
        mail = OutboxMail(kind="invoice", to_address=owner.email, subject="Factuur", body_text="x")
        mail.files.append(
            OutboxAttachment(
                filename="F2026-0001.pdf", content_type="application/pdf", body=b"%PDF-1"
            )
        )
        db.session.add(mail)
        db.session.commit()
        mail_id, file_id = mail.id, mail.files[0].id
    reader = _client(app, owner)
    page = reader.get(f"/post/{mail_id}").get_data(as_text=True)
    url = f"/post/{mail_id}/bijlage/{file_id}"
    assert url in page and "F2026-0001.pdf" in page
    download = reader.get(url)
    assert download.status_code == 200 and download.data == b"%PDF-1"
    assert download.content_type == "application/pdf"
    assert download.headers["Content-Disposition"] == 'attachment; filename="F2026-0001.pdf"'
    assert reader.get(f"/post/{mail_id}/bijlage/{file_id + 1}").status_code == 404
    assert _client(app, viewers["beheerder"]).get(url).status_code == 404
    assert _client(app, viewers["gemeente"]).get(url).status_code == 200
