"""The team page (members, roles, invites, API tokens), invite links, /healthz.

Writes are plain POST forms (htmx-boosted); a secret (invite link, token) is
rendered once in the response that created it and never stored in the session.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goodwill.db.models import MemberRole, TokenScope
from goodwill.services import team
from goodwill.services.accounts import USER_BACKEND
from goodwill.services.context import actor_for
from goodwill.services.errors import BadInput

from ..context import web_today, with_actor

ROLES = list(MemberRole.values)
SCOPES = list(TokenScope.values)


def _page(
    request: HttpRequest,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    owner = actor.role == MemberRole.OWNER
    context = {
        "actor": actor,
        "is_owner": owner,
        "members": team.list_members(actor=actor),
        "workspaces": team.my_workspaces(actor=actor),
        "invites": team.list_invites(actor=actor) if owner else [],
        "tokens": team.list_tokens(actor=actor),
        "roles": ROLES,
        "scopes": SCOPES if actor.can_write else ["read"],
        "errors": errors or {},
        "form": request.POST if request.method == "POST" else {},
        **extra,
    }
    return render(request, "goodwill/team.html", context, status=status)


def _failed(request: HttpRequest, exc: BadInput, form: str) -> HttpResponse:
    return _page(request, errors={f"{form}.{exc.field or 'form'}": exc.message}, status=exc.status)


@require_GET
@with_actor
def team_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@with_actor
def invite_create(request: HttpRequest) -> HttpResponse:
    try:
        days = int(request.POST.get("days") or 7)
    except ValueError:
        return _failed(request, BadInput("days must be a whole number", field="days"), "invite")
    try:
        invite = team.create_invite(
            actor=request.actor,  # type: ignore[attr-defined]
            role=request.POST.get("role", MemberRole.MEMBER),
            days=days,
        )
    except BadInput as exc:
        return _failed(request, exc, "invite")
    link = request.build_absolute_uri(f"/invite/{invite.raw}/")
    return _page(request, new_invite=invite, new_invite_link=link)


@require_POST
@with_actor
def invite_revoke(request: HttpRequest, invite_id: int) -> HttpResponse:
    try:
        team.revoke_invite(actor=request.actor, invite_id=invite_id)  # type: ignore[attr-defined]
    except BadInput as exc:
        return _failed(request, exc, "invites")
    return redirect("team")


@require_POST
@with_actor
def member_role(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        team.set_role(
            actor=request.actor,  # type: ignore[attr-defined]
            member=membership_id,
            role=request.POST.get("role", ""),
        )
    except BadInput as exc:
        return _failed(request, exc, f"member{membership_id}")
    return redirect("team")


@require_POST
@with_actor
def member_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        team.remove_member(actor=request.actor, member=membership_id)  # type: ignore[attr-defined]
    except BadInput as exc:
        return _failed(request, exc, f"member{membership_id}")
    return redirect("team")


@require_POST
@with_actor
def token_create(request: HttpRequest) -> HttpResponse:
    try:
        token = team.create_token(
            actor=request.actor,  # type: ignore[attr-defined]
            scope=request.POST.get("scope", TokenScope.READ),
            name=request.POST.get("name", ""),
        )
    except BadInput as exc:
        return _failed(request, exc, "token")
    return _page(request, new_token=token)


@require_POST
@with_actor
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        team.revoke_token(actor=request.actor, token_id=token_id)  # type: ignore[attr-defined]
    except BadInput as exc:
        return _failed(request, exc, "tokens")
    return redirect("team")


@require_POST
@with_actor
def workspace_delete(request: HttpRequest) -> HttpResponse:
    try:
        team.delete_workspace(
            actor=request.actor,  # type: ignore[attr-defined]
            confirm=request.POST.get("confirm", ""),
        )
    except BadInput as exc:
        return _failed(request, exc, "delete")
    request.session.pop("workspace_id", None)
    return redirect("/")


@require_GET
@with_actor
def knows_best(request: HttpRequest, person_id: int) -> HttpResponse:
    """The partial the person page can load (or include) by htmx."""
    try:
        ranked = team.who_knows_best(
            actor=request.actor,  # type: ignore[attr-defined]
            person=person_id,
            today=web_today(),
        )
    except BadInput as exc:
        raise Http404(exc.message) from None
    return render(request, "goodwill/partials/team_knows_best.html", {"knows_best": ranked})


@require_POST
@login_required
def workspace_switch(request: HttpRequest) -> HttpResponse:
    """Act in another of one's workspaces. Not ``with_actor``: a viewer here may still
    switch to a workspace where they write; it changes only the session."""
    try:
        workspace_id = int(request.POST.get("workspace_id", ""))
    except ValueError:
        raise Http404("no such workspace") from None
    if actor_for(request.user, workspace_id) is None:  # type: ignore[arg-type]
        raise Http404("no such workspace")
    request.session["workspace_id"] = workspace_id
    return redirect("team")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to anyone holding the link: a member joins; a newcomer signs up and joins."""
    try:
        info = team.invite_info(raw=token)
    except BadInput as exc:
        return render(request, "goodwill/invite.html", {"invalid": exc.message}, status=404)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                actor = team.accept_invite(raw=token, user=request.user)
            else:
                actor = team.accept_invite_as_new_user(
                    raw=token,
                    email=request.POST.get("email", ""),
                    password=request.POST.get("password", ""),
                )
                login(request, actor.user, backend=USER_BACKEND)
        except BadInput as exc:
            errors[exc.field or "form"] = exc.message
        else:
            request.session["workspace_id"] = actor.workspace.pk
            return redirect("/")
    context = {"info": info, "errors": errors, "form": request.POST, "token": token}
    return render(request, "goodwill/invite.html", context, status=400 if errors else 200)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: no login, the database must answer."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as exc:  # noqa: BLE001  (any database failure means unhealthy)
        return JsonResponse(
            {"ok": False, "database": connection.vendor, "error": type(exc).__name__},
            status=503,
        )
    return JsonResponse({"ok": True, "database": connection.vendor})


urlpatterns = [
    path("team/", team_page, name="team"),
    path("team/invites/", invite_create, name="team-invite-create"),
    path("team/invites/<int:invite_id>/revoke/", invite_revoke, name="team-invite-revoke"),
    path("team/members/<int:membership_id>/role/", member_role, name="team-member-role"),
    path("team/members/<int:membership_id>/remove/", member_remove, name="team-member-remove"),
    path("team/tokens/", token_create, name="team-token-create"),
    path("team/tokens/<int:token_id>/revoke/", token_revoke, name="team-token-revoke"),
    path("team/delete/", workspace_delete, name="team-delete"),
    path("team/workspace/", workspace_switch, name="team-workspace"),
    path("team/knows-best/<int:person_id>/", knows_best, name="team-knows-best"),
    path("invite/<str:token>/", invite_accept, name="invite"),
    path("healthz", healthz, name="healthz"),
]
