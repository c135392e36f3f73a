"""Team and token commands."""

from __future__ import annotations

import re

from goodwill.db.models import ApiToken, Membership
from goodwill.services.context import local_actor
from goodwill.services.team import accept_invite, create_token


def test_team_invite_prints_a_single_use_link(cli, mallory):
    r = cli("team", "invite", "--role", "viewer", "--days", "3", "--base-url", "https://gw.test")
    assert r.code == 0, r.err
    link = re.search(r"https://gw\.test/invite/(\S+)/", r.out)
    assert link
    joined = accept_invite(raw=link.group(1), user=mallory.user)
    assert joined.role == "viewer" and joined.workspace == local_actor().workspace


def test_team_members_lists_emails_and_roles_as_json(cli, mallory):
    owner = local_actor()
    Membership.objects.create(workspace=owner.workspace, user=mallory.user, role="viewer")
    rows = cli("team", "members", "--json").json
    assert [(m["email"], m["role"]) for m in rows] == [
        ("local", "owner"),
        ("mallory@example.com", "viewer"),
    ]
    assert set(rows[0]) >= {"id", "email", "role", "joined"}


def test_team_role_and_remove_change_membership(cli, mallory):
    owner = local_actor()
    Membership.objects.create(workspace=owner.workspace, user=mallory.user, role="viewer")
    assert cli("team", "role", "mallory@example.com", "member").code == 0
    assert Membership.objects.get(workspace=owner.workspace, user=mallory.user).role == "member"
    assert cli("team", "remove", "mallory@example.com").code == 0
    assert not Membership.objects.filter(workspace=owner.workspace, user=mallory.user).exists()


def test_bad_team_input_is_exit_2_and_one_line(cli):
    for args in (
        ("team", "invite", "--role", "admin"),
        ("team", "invite", "--days", "0"),
        ("team", "role", "nobody@example.com", "viewer"),
        ("team", "remove", "local"),
        ("token", "revoke", "999"),
    ):
        r = cli(*args)
        assert r.code == 2, args
        assert len(r.err.strip().splitlines()) == 1 and r.err.startswith("error: ")


def test_token_list_never_shows_the_token_and_revoke_stops_it(cli):
    token = create_token(actor=local_actor(), scope="write", name="ci")
    rows = cli("token", "list", "--json").json
    assert [(t["id"], t["name"], t["scope"], t["revoked"]) for t in rows] == [
        (token.id, "ci", "write", False)
    ]
    assert token.raw not in cli("token", "list").out
    assert cli("token", "revoke", str(token.id)).code == 0
    assert ApiToken.objects.get(pk=token.id).revoked_at is not None
    assert cli("token", "list", "--json").json[0]["revoked"] is True


def test_migrate_to_needs_a_postgresql_url_and_writes_nothing(cli):
    r = cli("migrate-to", "mysql://somewhere/db")
    assert r.code == 2 and "postgresql://" in r.err
