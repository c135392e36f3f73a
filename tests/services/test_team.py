"""Team services: invites, roles, members, tokens, who knows a person best."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from goodwill.db.models import ApiToken, Invite, Membership, Person, Workspace, hash_token
from goodwill.services.accounts import authenticate_token
from goodwill.services.context import actor_for
from goodwill.services.errors import BadInput, Forbidden, NotFound
from goodwill.services.interactions import log_interaction
from goodwill.services.team import (
    accept_invite,
    accept_invite_as_new_user,
    create_invite,
    create_token,
    delete_workspace,
    invite_info,
    list_invites,
    list_members,
    list_tokens,
    remove_member,
    revoke_invite,
    revoke_token,
    set_role,
    who_knows_best,
)

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def test_an_invite_link_is_stored_only_as_its_hash(alice):
    invite = create_invite(actor=alice, role="viewer", now=NOW)
    row = Invite.objects.get(pk=invite.id)
    assert row.key_hash == hash_token(invite.raw)
    assert invite.raw not in str(list(Invite.objects.values()))
    assert row.expires_at == NOW + dt.timedelta(days=7)


def test_accepting_an_invite_makes_the_user_a_member_with_its_role(alice, mallory):
    invite = create_invite(actor=alice, role="viewer", now=NOW)
    assert invite_info(raw=invite.raw, now=NOW).role == "viewer"
    joined = accept_invite(raw=invite.raw, user=mallory.user, now=NOW)
    assert joined.workspace == alice.workspace
    assert joined.role == "viewer"
    assert actor_for(mallory.user, alice.workspace.pk).role == "viewer"


def test_an_invite_works_only_once(alice, mallory):
    invite = create_invite(actor=alice, now=NOW)
    accept_invite_as_new_user(raw=invite.raw, email="new@example.com", password="a long passphrase")
    with pytest.raises(NotFound):
        accept_invite(raw=invite.raw, user=mallory.user, now=NOW)


def test_an_expired_or_revoked_invite_is_refused(alice, mallory):
    old = create_invite(actor=alice, days=1, now=NOW)
    with pytest.raises(NotFound, match="not valid"):
        accept_invite(raw=old.raw, user=mallory.user, now=NOW + dt.timedelta(days=1, seconds=1))
    revoked = create_invite(actor=alice, now=NOW)
    revoke_invite(actor=alice, invite_id=revoked.id, now=NOW)
    with pytest.raises(NotFound):
        accept_invite(raw=revoked.raw, user=mallory.user, now=NOW)
    assert not Membership.objects.filter(user=mallory.user, workspace=alice.workspace).exists()
    assert list_invites(actor=alice, now=NOW + dt.timedelta(days=2)) == []


def test_signing_up_through_an_invite_joins_only_the_team_workspace(alice):
    invite = create_invite(actor=alice, role="member", now=NOW)
    joined = accept_invite_as_new_user(
        raw=invite.raw, email="Newbie@Example.com", password="a long passphrase", now=NOW
    )
    assert joined.user.username == "newbie@example.com"
    assert list(
        Membership.objects.filter(user=joined.user).values_list("workspace", flat=True)
    ) == [alice.workspace.pk]


def test_signing_up_with_a_weak_password_writes_nothing(alice):
    invite = create_invite(actor=alice, now=NOW)
    with pytest.raises(BadInput, match="password"):
        accept_invite_as_new_user(raw=invite.raw, email="n@example.com", password="123", now=NOW)
    assert invite_info(raw=invite.raw, now=NOW).role == "member"


def test_only_owners_invite_and_manage_members(alice, bob, vera):
    for actor in (bob, vera):
        with pytest.raises(Forbidden):
            create_invite(actor=actor, now=NOW)
        with pytest.raises(Forbidden):
            set_role(actor=actor, member="vera@example.com", role="member")
        with pytest.raises(Forbidden):
            remove_member(actor=actor, member="vera@example.com")
        with pytest.raises(Forbidden):
            delete_workspace(actor=actor, confirm=alice.workspace.name)


def test_an_owner_changes_roles_and_removes_members(alice, bob, vera):
    assert [m.email for m in list_members(actor=alice)] == [
        "alice@example.com",
        "bob@example.com",
        "vera@example.com",
    ]
    assert set_role(actor=alice, member="vera@example.com", role="member").role == "member"
    remove_member(actor=alice, member="bob@example.com")
    assert actor_for(bob.user, alice.workspace.pk) is None


def test_the_last_owner_can_be_neither_demoted_nor_removed(alice, bob):
    with pytest.raises(BadInput, match="owner"):
        set_role(actor=alice, member="alice@example.com", role="member")
    with pytest.raises(BadInput, match="last owner"):
        remove_member(actor=alice, member="alice@example.com")
    set_role(actor=alice, member="bob@example.com", role="owner")
    set_role(actor=alice, member="alice@example.com", role="member")


def test_an_owner_cannot_touch_members_of_another_workspace(alice, mallory):
    with pytest.raises(NotFound):
        remove_member(actor=alice, member="mallory@example.com")
    other = Membership.objects.get(user=mallory.user)
    with pytest.raises(NotFound):
        set_role(actor=alice, member=other.pk, role="viewer")


def test_removing_a_member_revokes_their_tokens_for_the_workspace(alice, bob):
    token = create_token(actor=bob, scope="write")
    remove_member(actor=alice, member="bob@example.com", now=NOW)
    assert authenticate_token(token.raw) is None


def test_deleting_the_workspace_needs_its_name_and_removes_everything(alice, network):
    with pytest.raises(BadInput):
        delete_workspace(actor=alice, confirm="nope")
    delete_workspace(actor=alice, confirm=alice.workspace.name)
    assert not Workspace.objects.filter(pk=alice.workspace.pk).exists()
    assert Person.objects.count() == 0


def test_tokens_are_hashed_listed_with_last_use_and_revocable(alice, bob):
    token = create_token(actor=bob, scope="write", name="laptop")
    row = ApiToken.objects.get(pk=token.id)
    assert row.key_hash == hash_token(token.raw) and token.raw not in row.key_hash
    assert list_tokens(actor=bob)[0].last_used_at is None
    authenticate_token(token.raw, now=NOW)
    assert list_tokens(actor=bob)[0].last_used_at == NOW
    revoke_token(actor=bob, token_id=token.id, now=NOW)
    assert authenticate_token(token.raw) is None
    assert list_tokens(actor=bob)[0].revoked_at == NOW


def test_members_see_and_revoke_only_their_own_tokens_but_owners_see_all(alice, bob):
    mine = create_token(actor=alice)
    create_token(actor=bob)
    assert {t.user for t in list_tokens(actor=bob)} == {"bob@example.com"}
    assert {t.user for t in list_tokens(actor=alice)} == {"alice@example.com", "bob@example.com"}
    with pytest.raises(NotFound):
        revoke_token(actor=bob, token_id=mine.id)


def test_a_viewer_may_only_have_read_tokens(vera):
    with pytest.raises(Forbidden):
        create_token(actor=vera, scope="write")
    assert create_token(actor=vera, scope="read").scope == "read"


def test_tokens_of_another_workspace_cannot_be_revoked(alice, mallory):
    theirs = create_token(actor=mallory)
    with pytest.raises(NotFound):
        revoke_token(actor=alice, token_id=theirs.id)


def test_the_member_with_more_recent_contact_knows_a_person_best(alice, bob, network, today):
    carol = network.carol  # alice met her 60 days ago
    for days in (3, 10):
        log_interaction(
            actor=bob, person=carol, kind="call", today=today, date=today - dt.timedelta(days)
        )
    ranked = who_knows_best(actor=alice, person=carol, today=today)
    assert [k.email for k in ranked] == ["bob@example.com", "alice@example.com"]
    assert ranked[0].interactions == 2
    assert ranked[0].last_contact == today - dt.timedelta(days=3)
    assert ranked[1].score == pytest.approx(0.5 ** (60 / 90), abs=1e-3)


def test_who_knows_best_leaves_out_people_who_left_the_team(alice, bob, network, today):
    log_interaction(actor=bob, person=network.paul, kind="call", today=today)
    remove_member(actor=alice, member="bob@example.com")
    assert [k.email for k in who_knows_best(actor=alice, person=network.paul, today=today)] == [
        "alice@example.com"
    ]


def test_who_knows_best_refuses_a_person_of_another_workspace(network, mallory, today):
    with pytest.raises(NotFound):
        who_knows_best(actor=mallory, person=network.carol.pk, today=today)


def test_invite_days_are_bounded(alice):
    with pytest.raises(BadInput, match="days"):
        create_invite(actor=alice, days=0)
    with pytest.raises(BadInput, match="role"):
        create_invite(actor=alice, role="admin")
    assert timezone.now() < create_invite(actor=alice, days=90).expires_at
