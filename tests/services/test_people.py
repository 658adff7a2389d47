"""People and roles as use cases: invitations (one link, once, seven days), roles given and
taken within DESIGN section 3, the last gemeente account, and deactivation that ends every
session and token at once. Through the services, on the test database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from booking.errors import Forbidden, NotFound, RuleViolation
from booking.extensions import db
from booking.models import ApiToken, AuditEntry, House, HouseMembership, OutboxMail, User
from booking.models.accounts import Invitation
from booking.rules.permissions import Role
from booking.rules.staff_roles import PENDING_PASSWORD, LinkState
from booking.services import accounts
from booking.services import login as login_service
from booking.services.people import activation, invitations, operator, roles
from booking.services.people.roles import Grant
from tests.conftest import PASSWORD, HouseRef, UserRef

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LINK = re.compile(r"/uitnodiging/([A-Za-z0-9_-]+)")


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.test_request_context():
        yield


@pytest.fixture
def town(make_house, make_user) -> dict:
    house, other = make_house("de-haard"), make_house("het-anker")
    return {
        "house": house,
        "other": other,
        "gemeente": make_user("gemeente", email="gemeente@example.org"),
        "beheerder": make_user("beheerder", house, email="beheer@example.org"),
        "sociaal": make_user("sociaal_beheerder", house, email="sociaal@example.org"),
        "gastheer": make_user("gastheer", house, email="gast@example.org"),
        "organiser": make_user("initiatiefnemer", email="anna@example.org"),
    }


def user(ref: UserRef) -> User:
    return db.session.get(User, ref.id)


def house(ref: HouseRef) -> House:
    return db.session.get(House, ref.id)


def mails(kind: str | None = None) -> list[OutboxMail]:
    query = select(OutboxMail).order_by(OutboxMail.id)
    if kind:
        query = query.where(OutboxMail.kind == kind)
    return list(db.session.scalars(query))


def token_in(mail: OutboxMail) -> str:
    found = LINK.search(mail.body_text)
    assert found, mail.body_text
    return found.group(1)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def invite_beheerder(town: dict, email: str = "nieuw@example.org") -> invitations.Invited:
    return invitations.invite_to(
        user(town["gemeente"]), email, "Noor", Role.beheerder, [town["house"].id], NOW
    )


# Inviting a new address ------------------------------------------------------------------


def test_the_gemeente_invites_a_new_beheerder_who_cannot_log_in_before_accepting(ctx, town):
    invited = invite_beheerder(town, " Nieuw@Example.org ")
    db.session.flush()
    new = invited.user
    assert invited.new_account and new.email == "nieuw@example.org"
    assert new.role == "beheerder" and new.password_hash == PENDING_PASSWORD
    assert [(m.house_id, m.role) for m in new.memberships] == [(town["house"].id, "beheerder")]
    (mail,) = mails("invitation")
    assert mail.to_address == "nieuw@example.org"
    assert "Beheerder van Testhuis" in mail.body_text and "7 dagen" not in mail.subject
    invitation = db.session.scalar(select(Invitation))
    assert invitation.expires_at == NOW + timedelta(days=7)
    assert invitation.token_hash != token_in(mail)  # only the hash is kept
    assert actions()[-2:] == ["role_granted", "user_invited"]
    result = login_service.authenticate("nieuw@example.org", PENDING_PASSWORD, NOW)
    assert result.user is None


def test_accepting_sets_name_and_password_once(ctx, town):
    invite_beheerder(town)
    token = token_in(mails("invitation")[0])
    assert invitations.look_up(token, NOW + timedelta(days=6)).state == LinkState.open
    accepted = invitations.accept(token, "Noor de Vries", "een-goed-wachtwoord", NOW)
    assert accepted.name == "Noor de Vries" and accepted.last_login_at == NOW
    assert accepted.password_hash != PENDING_PASSWORD
    assert login_service.authenticate("nieuw@example.org", "een-goed-wachtwoord", NOW).user
    assert "invitation_accepted" in actions()
    with pytest.raises(RuleViolation) as twice:
        invitations.accept(token, "Iemand anders", "nog-een-wachtwoord", NOW)
    assert "al gebruikt" in twice.value.message.template
    assert invitations.look_up(token, NOW).state == LinkState.used


def test_a_link_too_late_is_refused_and_changes_nothing(ctx, town):
    invite_beheerder(town)
    db.session.commit()
    token = token_in(mails("invitation")[0])
    late = NOW + timedelta(days=7, seconds=1)
    assert invitations.look_up(token, late).state == LinkState.expired
    with pytest.raises(RuleViolation) as refused:
        invitations.accept(token, "Noor", "een-goed-wachtwoord", late)
    assert "verlopen" in refused.value.message.template
    db.session.rollback()
    again = accounts.find_user("nieuw@example.org")
    assert again.password_hash == PENDING_PASSWORD and again.name == "Noor"


def test_a_short_password_or_no_name_is_refused_next_to_its_field(ctx, town):
    invite_beheerder(town)
    token = token_in(mails("invitation")[0])
    with pytest.raises(RuleViolation) as short:
        invitations.accept(token, "Noor", "kort", NOW)
    assert short.value.field == "password"
    with pytest.raises(RuleViolation) as nameless:
        invitations.accept(token, "   ", "een-goed-wachtwoord", NOW)
    assert nameless.value.field == "name"


def test_unknown_or_malformed_links_are_not_found(ctx, town):
    for token in ("x", "a" * 43, "\ud800" * 40, "../" * 20):
        with pytest.raises(NotFound):
            invitations.look_up(token, NOW)


def test_a_new_link_withdraws_the_old_one(ctx, town):
    invited = invite_beheerder(town)
    old = token_in(mails("invitation")[0])
    invitations.resend_as_gemeente(user(town["gemeente"]), invited.user.id, NOW + timedelta(days=8))
    new = token_in(mails("invitation")[1])
    later = NOW + timedelta(days=9)
    assert invitations.look_up(old, later).state == LinkState.withdrawn
    assert invitations.look_up(new, later).state == LinkState.open
    invitations.accept(new, "Noor", "een-goed-wachtwoord", later)
    with pytest.raises(RuleViolation):  # accepted: nothing to resend any more
        invitations.resend_as_gemeente(user(town["gemeente"]), invited.user.id, later)


# Inviting an address that has an account ---------------------------------------------


def test_an_existing_account_gets_the_role_and_a_mail_not_a_second_account(ctx, town):
    count = db.session.query(User).count()
    invited = invitations.invite_to_house(
        user(town["sociaal"]), "de-haard", "ANNA@example.org", "", Role.gastheer, NOW
    )
    assert not invited.new_account and invited.user.id == town["organiser"].id
    assert db.session.query(User).count() == count
    assert invited.user.role == "gastheer"
    (mail,) = mails("roles_changed")
    assert mail.to_address == "anna@example.org"
    assert "U heeft een nieuwe rol: Gastvrouw of gastheer van Testhuis" in mail.body_text
    with pytest.raises(RuleViolation) as duplicate:
        invitations.invite_to_house(
            user(town["beheerder"]), "de-haard", "anna@example.org", "", Role.gastheer, NOW
        )
    assert (
        duplicate.value.field == "email" and "heeft deze rol al" in duplicate.value.message.template
    )


def test_a_deactivated_account_is_not_invited(ctx, town):
    activation.deactivate(user(town["gemeente"]), town["organiser"].id, NOW)
    with pytest.raises(RuleViolation) as refused:
        invitations.invite_to_house(
            user(town["beheerder"]), "de-haard", "anna@example.org", "", Role.gastheer, NOW
        )
    assert "gedeactiveerd" in refused.value.message.template


# Who may invite whom --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["beheerder", "sociaal"])
def test_house_staff_invite_hosts_and_sociaal_beheerders_of_their_own_house(ctx, town, who):
    actor = user(town[who])
    for role in (Role.gastheer, Role.sociaal_beheerder):
        invited = invitations.invite_to_house(
            actor, "de-haard", f"{role}-{who}@example.org", "", role, NOW
        )
        assert invited.grants == [Grant(role, house(town["house"]))]
    with pytest.raises(RuleViolation) as beheerder:
        invitations.invite_to_house(actor, "de-haard", "b@example.org", "", Role.beheerder, NOW)
    assert beheerder.value.field == "role"
    with pytest.raises(Forbidden):  # another house answers 404
        invitations.invite_to_house(actor, "het-anker", "c@example.org", "", Role.gastheer, NOW)
    with pytest.raises(Forbidden):  # and so does the gemeente's page
        invitations.invite_to(actor, "d@example.org", "", Role.gastheer, [town["house"].id], NOW)


def test_a_host_or_a_resident_invites_nobody(ctx, town):
    for who in ("gastheer", "organiser"):
        with pytest.raises(Forbidden):
            invitations.invite_to_house(
                user(town[who]), "de-haard", "e@example.org", "", Role.gastheer, NOW
            )


def test_a_house_role_needs_a_house_and_the_gemeente_role_none(ctx, town):
    gemeente = user(town["gemeente"])
    with pytest.raises(RuleViolation) as houseless:
        invitations.invite_to(gemeente, "f@example.org", "", Role.gastheer, [], NOW)
    assert houseless.value.field == "houses"
    with pytest.raises(RuleViolation):
        invitations.invite_to(gemeente, "f@example.org", "", Role.gastheer, [999_999], NOW)
    invited = invitations.invite_to(gemeente, "g@example.org", "", Role.gemeente, [1], NOW)
    assert invited.user.role == "gemeente" and invited.user.memberships == []


def test_one_invitation_for_several_houses(ctx, town):
    invited = invitations.invite_to(
        user(town["gemeente"]),
        "h@example.org",
        "",
        Role.sociaal_beheerder,
        [town["house"].id, town["other"].id, town["house"].id],
        NOW,
    )
    assert sorted(m.house_id for m in invited.user.memberships) == [
        town["house"].id,
        town["other"].id,
    ]


# Taking roles, and the last gemeente ------------------------------------------------------


def test_taking_the_only_house_role_makes_a_resident_again(ctx, town):
    gastheer = town["gastheer"]
    roles.remove_staff_role(user(town["sociaal"]), "de-haard", gastheer.id, Role.gastheer)
    assert user(gastheer).role == "initiatiefnemer" and user(gastheer).memberships == []
    (mail,) = mails("roles_changed")
    assert "Deze rol is weggehaald: Gastvrouw of gastheer van Testhuis" in mail.body_text
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role_removed"))
    assert entry.house_id == town["house"].id and entry.actor_id == town["sociaal"].id


def test_staff_take_no_beheerder_role_and_not_their_own(ctx, town):
    sociaal = user(town["sociaal"])
    with pytest.raises(RuleViolation):
        roles.remove_staff_role(sociaal, "de-haard", town["beheerder"].id, Role.beheerder)
    with pytest.raises(RuleViolation) as own:
        roles.remove_staff_role(sociaal, "de-haard", sociaal.id, Role.sociaal_beheerder)
    assert "eigen rol" in own.value.message.template
    with pytest.raises(NotFound):  # not staff of that house: as if unknown
        roles.remove_staff_role(sociaal, "de-haard", town["organiser"].id, Role.gastheer)
    with pytest.raises(Forbidden):
        roles.remove_staff_role(user(town["gastheer"]), "de-haard", sociaal.id, Role.gastheer)


def test_the_last_active_gemeente_cannot_be_demoted_or_deactivated(ctx, town):
    gemeente = user(town["gemeente"])
    with pytest.raises(RuleViolation) as demoted:
        roles.remove_role(gemeente, gemeente.id, Role.gemeente, None)
    assert "laatste actieve account van de gemeente" in demoted.value.message.template
    # an invited colleague who has not accepted yet cannot log in: it does not count
    colleague = invitations.invite_to(gemeente, "k@example.org", "", Role.gemeente, [], NOW).user
    with pytest.raises(RuleViolation):
        roles.remove_role(gemeente, gemeente.id, Role.gemeente, None)
    token = token_in(mails("invitation")[-1])
    invitations.accept(token, "Karin", "een-goed-wachtwoord", NOW)
    roles.refuse_last_gemeente(gemeente)  # two in use now: no refusal
    roles.remove_role(gemeente, gemeente.id, Role.gemeente, None)
    assert gemeente.role == "initiatiefnemer"
    with pytest.raises(RuleViolation):  # Karin is the last one now
        roles.remove_role(colleague, colleague.id, Role.gemeente, None)
    with pytest.raises(RuleViolation) as deactivation:
        roles.refuse_last_gemeente(colleague, activation.LAST_GEMEENTE_ACTIVE)
    assert "niet gedeactiveerd" in deactivation.value.message.template
    with pytest.raises(Forbidden):  # no longer gemeente: the pages are gone for them
        roles.remove_role(gemeente, colleague.id, Role.gemeente, None)


def test_the_gemeente_gives_and_takes_roles_in_any_house(ctx, town):
    gemeente, organiser = user(town["gemeente"]), town["organiser"]
    roles.grant_role(gemeente, organiser.id, Role.beheerder, town["other"].id)
    assert user(organiser).role == "beheerder"
    with pytest.raises(RuleViolation):
        roles.grant_role(gemeente, organiser.id, Role.beheerder, town["other"].id)
    with pytest.raises(RuleViolation) as houseless:
        roles.grant_role(gemeente, organiser.id, Role.gastheer, None)
    assert houseless.value.field == "houses"
    roles.grant_role(gemeente, organiser.id, Role.gemeente, None)
    roles.remove_role(gemeente, organiser.id, Role.beheerder, town["other"].id)
    assert user(organiser).role == "gemeente"
    with pytest.raises(NotFound):
        roles.remove_role(gemeente, organiser.id, Role.beheerder, town["other"].id)
    assert [m.kind for m in mails()] == ["roles_changed"] * 3


# Deactivation ------------------------------------------------------------------------------


def test_deactivating_ends_every_session_and_token_at_once(ctx, town):
    target = user(town["beheerder"])
    version = target.session_version
    token = accounts.issue_api_token(target)
    assert accounts.user_for_api_token(token) is not None
    activation.deactivate(user(town["gemeente"]), target.id, NOW)
    db.session.flush()
    db.session.refresh(target)
    assert not target.active and target.session_version == version + 1
    assert accounts.user_for_api_token(token) is None
    assert all(t.revoked_at == NOW for t in db.session.scalars(select(ApiToken)))
    assert login_service.authenticate(target.email, PASSWORD, NOW).user is None
    assert db.session.query(HouseMembership).filter_by(user_id=target.id).count() == 1
    (mail,) = mails("account_deactivated")
    assert "gedeactiveerd" in mail.body_text and "Inloggen:" not in mail.body_text
    with pytest.raises(RuleViolation):
        activation.deactivate(user(town["gemeente"]), target.id, NOW)
    activation.reactivate(user(town["gemeente"]), target.id)
    assert target.active and accounts.user_for_api_token(token) is None  # tokens stay ended
    assert login_service.authenticate(target.email, PASSWORD, NOW).user is target
    assert actions()[-2:] == ["account_deactivated", "account_reactivated"]
    with pytest.raises(RuleViolation):
        activation.reactivate(user(town["gemeente"]), target.id)


def test_nobody_deactivates_themselves_or_without_the_right(ctx, town):
    gemeente = user(town["gemeente"])
    with pytest.raises(RuleViolation) as own:
        activation.deactivate(gemeente, gemeente.id, NOW)
    assert "eigen account" in own.value.message.template
    with pytest.raises(Forbidden):
        activation.deactivate(user(town["beheerder"]), town["gastheer"].id, NOW)


def test_deactivating_an_invited_account_withdraws_its_link(ctx, town):
    invited = invite_beheerder(town)
    token = token_in(mails("invitation")[0])
    activation.deactivate(user(town["gemeente"]), invited.user.id, NOW)
    assert invitations.look_up(token, NOW).state == LinkState.withdrawn
    activation.reactivate(user(town["gemeente"]), invited.user.id)
    assert invitations.look_up(token, NOW).state == LinkState.withdrawn


# The operator's commands ------------------------------------------------------------------


def test_the_operator_creates_and_extends_accounts_through_the_same_use_cases(ctx, town):
    made = operator.create_account(
        "ops@example.org", Role.gastheer, "lang-wachtwoord", house=house(town["other"])
    )
    assert made.role == "gastheer" and actions()[-2:] == ["user_created", "role_granted"]
    operator.create_account(
        "ops@example.org", Role.sociaal_beheerder, "lang-wachtwoord", house=house(town["other"])
    )
    assert made.role == "sociaal_beheerder"
    assert [m.kind for m in mails()] == ["roles_changed"]
    activation.deactivate(user(town["gemeente"]), made.id, NOW)
    with pytest.raises(RuleViolation):
        operator.api_token("ops@example.org")
    with pytest.raises(RuleViolation):
        operator.create_account(
            "ops@example.org", Role.gastheer, "lang-wachtwoord", house=house(town["house"])
        )
    with pytest.raises(NotFound):
        operator.api_token("niemand@example.org")


def test_the_commands_refuse_a_deactivated_account_in_dutch(app, runner, town):
    with app.test_request_context():
        activation.deactivate(user(town["gemeente"]), town["beheerder"].id, NOW)
        db.session.commit()
    token = runner.invoke(args=["users", "token", "beheer@example.org"])
    assert token.exit_code != 0 and "gedeactiveerd" in token.output
    create = runner.invoke(
        args=[
            "users",
            "create",
            "beheer@example.org",
            "--role",
            "gastheer",
            "--house",
            "het-anker",
            "--password",
            "lang-wachtwoord",
        ]
    )
    assert create.exit_code != 0 and "gedeactiveerd" in create.output
    with app.app_context():
        assert db.session.query(ApiToken).count() == 0
        assert [m.house_id for m in user(town["beheerder"]).memberships] == [town["house"].id]
    made = runner.invoke(
        args=[
            "users",
            "create",
            "nieuw@example.org",
            "--role",
            "gemeente",
            "--password",
            "lang-wachtwoord",
        ]
    )
    assert made.exit_code == 0, made.output
    with app.app_context():
        assert accounts.find_user("nieuw@example.org").role == "gemeente"
