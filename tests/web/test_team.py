"""The team page, invite links, the team API and /healthz."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from goodwill.db.models import ApiToken, Invite, Membership
from goodwill.services.interactions import log_interaction
from goodwill.services.team import create_invite, create_token


def _client(actor) -> Client:
    """Logged in and acting in the actor's workspace (bob and vera also own one of their own)."""
    c = Client()
    c.force_login(actor.user, backend="goodwill.services.accounts.UserBackend")
    session = c.session
    session["workspace_id"] = actor.workspace.pk
    session.save()
    return c


def _bearer(actor, scope="write") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(actor=actor, scope=scope).raw}"}


def test_the_team_page_lists_members_with_their_roles(alice, bob, vera):
    page = _client(alice).get("/team/").content.decode()
    for email in ("alice@example.com", "bob@example.com", "vera@example.com"):
        assert email in page
    assert "Create invite link" in page


def test_a_member_sees_the_team_but_no_owner_controls(bob):
    page = _client(bob).get("/team/").content.decode()
    assert "alice@example.com" in page and "Create invite link" not in page


def test_an_owner_creates_an_invite_link_shown_once(alice):
    r = _client(alice).post("/team/invites/", {"role": "viewer", "days": "3"})
    assert r.status_code == 200
    link = re.search(r"/invite/(inv_[\w-]+)/", r.content.decode())
    assert link and Invite.objects.get().role == "viewer"
    assert link.group(1) not in _client(alice).get("/team/").content.decode()


def test_bad_invite_input_shows_the_error_next_to_the_field(alice):
    r = _client(alice).post("/team/invites/", {"role": "member", "days": "500"})
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.content.decode() and "1 to 90 days" in r.content.decode()
    assert not Invite.objects.exists()


def test_a_member_cannot_invite_or_change_roles(alice, bob, vera):
    c = _client(bob)
    assert c.post("/team/invites/", {"role": "owner"}).status_code == 403
    vera_id = Membership.objects.get(user=vera.user, workspace=alice.workspace).pk
    assert c.post(f"/team/members/{vera_id}/role/", {"role": "owner"}).status_code == 403
    assert Membership.objects.get(pk=vera_id).role == "viewer"


def test_a_viewer_is_refused_every_write_on_the_web(vera):
    c = _client(vera)
    for url in ("/team/tokens/", "/team/invites/", "/team/delete/"):
        assert c.post(url, {"scope": "read"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert c.get("/team/").status_code == 200


def test_an_owner_changes_a_role_and_removes_a_member(alice, bob):
    c = _client(alice)
    bob_id = Membership.objects.get(user=bob.user, workspace=alice.workspace).pk
    assert c.post(f"/team/members/{bob_id}/role/", {"role": "viewer"}).status_code == 302
    assert Membership.objects.get(pk=bob_id).role == "viewer"
    assert c.post(f"/team/members/{bob_id}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=bob_id).exists()


def test_a_newcomer_signs_up_through_an_invite_and_lands_in_the_team(alice):
    invite = create_invite(actor=alice, role="member")
    c = Client()
    page = c.get(f"/invite/{invite.raw}/").content.decode()
    assert "Join alice" in page and "Sign up and join" in page
    r = c.post(f"/invite/{invite.raw}/", {"email": "new@example.com", "password": "a long pass"})
    assert r.status_code == 302
    assert Membership.objects.get(user__username="new@example.com").workspace == alice.workspace
    assert c.get("/team/").status_code == 200
    assert c.get(f"/invite/{invite.raw}/").status_code == 404


def test_a_signup_error_shows_next_to_the_field_and_keeps_the_invite(alice):
    invite = create_invite(actor=alice)
    r = Client().post(f"/invite/{invite.raw}/", {"email": "not-an-email", "password": "x"})
    assert r.status_code == 400 and "bad email" in r.content.decode()
    assert Invite.objects.get().accepted_at is None


def test_a_logged_in_user_accepts_an_invite_with_one_click(alice, mallory):
    invite = create_invite(actor=alice, role="viewer")
    assert _client(mallory).post(f"/invite/{invite.raw}/").status_code == 302
    assert Membership.objects.get(user=mallory.user, workspace=alice.workspace).role == "viewer"


def test_a_made_up_invite_link_is_404(db):
    assert Client().get("/invite/inv_nothing/").status_code == 404


def test_an_owner_deletes_the_workspace_only_with_its_name(alice, network):
    c = _client(alice)
    assert c.post("/team/delete/", {"confirm": "wrong"}).status_code == 400
    assert c.post("/team/delete/", {"confirm": alice.workspace.name}).status_code == 302
    assert not Membership.objects.filter(user=alice.user).exists()


def test_tokens_created_on_the_team_page_work_and_show_last_use(alice):
    c = _client(alice)
    r = c.post("/team/tokens/", {"scope": "read", "name": "laptop"})
    raw = re.search(r'value="(gw_[\w-]+)"', r.content.decode()).group(1)
    assert (
        Client().get("/api/v1/team/members", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    )
    assert ApiToken.objects.get().last_used_at is not None
    page = c.get("/team/").content.decode()
    assert "laptop" in page and raw not in page


def test_the_api_lists_members_and_lets_an_owner_invite(alice, bob):
    c = Client()
    rows = c.get("/api/v1/team/members", **_bearer(alice)).json()
    assert {(m["email"], m["role"]) for m in rows} == {
        ("alice@example.com", "owner"),
        ("bob@example.com", "member"),
    }
    r = c.post(
        "/api/v1/team/invites",
        {"role": "viewer"},
        content_type="application/json",
        **_bearer(alice),
    )
    assert r.status_code == 201 and "/invite/inv_" in r.json()["url"]


def test_the_api_refuses_owner_operations_to_a_member(alice, bob):
    r = Client().post(
        "/api/v1/team/invites", {"role": "owner"}, content_type="application/json", **_bearer(bob)
    )
    assert r.status_code == 403 and "owner" in r.json()["detail"]


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_read_tokens_and_viewers_cannot_write_through_the_api(alice, vera, method):
    member = Membership.objects.get(user=alice.user).pk
    url = {"post": "/api/v1/tokens", "patch": f"/api/v1/team/members/{member}"}.get(
        method, "/api/v1/tokens/1"
    )
    for headers in (_bearer(alice, "read"), _bearer(vera, "read")):
        r = getattr(Client(), method)(
            url, {"role": "owner"}, content_type="application/json", **headers
        )
        assert r.status_code == 401
    r = getattr(_client(vera), method)(url, {"role": "owner"}, content_type="application/json")
    assert r.status_code == 401
    assert Membership.objects.get(pk=member).role == "owner"


def test_the_api_says_who_knows_a_person_best(alice, bob, network, today):
    log_interaction(actor=bob, person=network.carol, kind="call", today=today)
    rows = Client().get(f"/api/v1/people/{network.carol.pk}/knows-best", **_bearer(alice)).json()
    assert [r["email"] for r in rows][:1] == ["bob@example.com"]
    assert set(rows[0]) == {"user_id", "email", "interactions", "last_contact", "score"}


def test_knows_best_of_another_workspace_s_person_is_404(network, mallory):
    r = Client().get(f"/api/v1/people/{network.carol.pk}/knows-best", **_bearer(mallory))
    assert r.status_code == 404


def test_the_knows_best_partial_renders_for_the_person_page(alice, network):
    page = _client(alice).get(f"/team/knows-best/{network.carol.pk}/").content.decode()
    assert "Who on the team knows them best" in page and "alice@example.com" in page


def test_the_api_revokes_a_token(alice):
    token = create_token(actor=alice, scope="read")
    r = Client().delete(f"/api/v1/tokens/{token.id}", **_bearer(alice))
    assert r.status_code == 200
    assert (
        Client().get("/api/v1/tokens", HTTP_AUTHORIZATION=f"Bearer {token.raw}").status_code == 401
    )


def test_healthz_answers_without_login(db):
    r = Client().get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"ok": True, "database": "sqlite"} or r.json()["database"] == "postgresql"


def test_healthz_is_503_when_the_database_fails(db, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise RuntimeError("database is gone")

    with monkeypatch.context() as patched:
        patched.setattr(CursorWrapper, "execute", broken)
        r = Client().get("/healthz")
    assert r.status_code == 503 and r.json()["ok"] is False


def test_a_member_of_several_workspaces_switches_between_them(alice, bob):
    c = Client()
    c.force_login(bob.user, backend="goodwill.services.accounts.UserBackend")
    assert "bob&#x27;s network" in c.get("/team/").content.decode()
    assert c.post("/team/workspace/", {"workspace_id": alice.workspace.pk}).status_code == 302
    assert "alice&#x27;s network" in c.get("/team/").content.decode()


def test_switching_to_a_workspace_one_is_not_in_is_404(alice, mallory):
    c = _client(alice)
    r = c.post("/team/workspace/", {"workspace_id": mallory.workspace.pk})
    assert r.status_code == 404
    assert "alice&#x27;s network" in c.get("/team/").content.decode()


def test_the_knows_best_partial_of_another_workspace_s_person_is_404(network, mallory):
    assert _client(mallory).get(f"/team/knows-best/{network.carol.pk}/").status_code == 404
