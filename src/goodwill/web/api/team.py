"""API routes for the team: members and roles, invites, tokens, who knows a person best.

Owner-only operations answer 403 for members and viewers (services decide);
viewers and read tokens never get past the API's auth on a non-GET.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from goodwill.services import team

from ..context import web_today

router = Router(tags=["team"])

RoleName = Literal["owner", "member", "viewer"]
ScopeName = Literal["read", "write"]


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    role: str
    joined: dt.datetime


class RoleIn(Schema):
    role: RoleName


class InviteIn(Schema):
    role: RoleName = "member"
    days: int = 7


class InviteOut(Schema):
    id: int
    role: str
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime


class NewInviteOut(Schema):
    id: int
    role: str
    expires_at: dt.datetime
    token: str
    url: str


class TokenIn(Schema):
    scope: ScopeName = "read"
    name: str = ""


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    user: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class NewTokenOut(Schema):
    id: int
    scope: str
    token: str


class KnowsBestOut(Schema):
    user_id: int
    email: str
    interactions: int
    last_contact: dt.date
    score: float


class OkOut(Schema):
    ok: bool


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _member(m: team.MemberRow) -> MemberOut:
    return MemberOut(id=m.id, user_id=m.user_id, email=m.email, role=m.role, joined=m.joined)


@router.get("/team/members", response={200: list[MemberOut], **ERRORS})
def members(request: HttpRequest) -> list[MemberOut]:
    return [_member(m) for m in team.list_members(actor=request.actor)]  # type: ignore[attr-defined]


@router.patch("/team/members/{membership_id}", response={200: MemberOut, **ERRORS})
def change_role(request: HttpRequest, membership_id: int, body: RoleIn) -> MemberOut:
    row = team.set_role(actor=request.actor, member=membership_id, role=body.role)  # type: ignore[attr-defined]
    return _member(row)


@router.delete("/team/members/{membership_id}", response={200: OkOut, **ERRORS})
def remove(request: HttpRequest, membership_id: int) -> OkOut:
    team.remove_member(actor=request.actor, member=membership_id)  # type: ignore[attr-defined]
    return OkOut(ok=True)


@router.get("/team/invites", response={200: list[InviteOut], **ERRORS})
def invites(request: HttpRequest) -> list[InviteOut]:
    rows = team.list_invites(actor=request.actor)  # type: ignore[attr-defined]
    return [InviteOut(**vars(i)) for i in rows]


@router.post("/team/invites", response={201: NewInviteOut, **ERRORS})
def invite(request: HttpRequest, body: InviteIn) -> Status[NewInviteOut]:
    new = team.create_invite(actor=request.actor, role=body.role, days=body.days)  # type: ignore[attr-defined]
    url = request.build_absolute_uri(f"/invite/{new.raw}/")
    return Status(
        201,
        NewInviteOut(id=new.id, role=new.role, expires_at=new.expires_at, token=new.raw, url=url),
    )


@router.delete("/team/invites/{invite_id}", response={200: OkOut, **ERRORS})
def revoke_invite(request: HttpRequest, invite_id: int) -> OkOut:
    team.revoke_invite(actor=request.actor, invite_id=invite_id)  # type: ignore[attr-defined]
    return OkOut(ok=True)


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
def tokens(request: HttpRequest) -> list[TokenOut]:
    return [
        TokenOut(
            id=t.id,
            name=t.name,
            prefix=t.prefix,
            scope=t.scope,
            user=t.user,
            created_at=t.created_at,
            last_used_at=t.last_used_at,
            revoked=t.revoked_at is not None,
        )
        for t in team.list_tokens(actor=request.actor)  # type: ignore[attr-defined]
    ]


@router.post("/tokens", response={201: NewTokenOut, **ERRORS})
def create_token(request: HttpRequest, body: TokenIn) -> Status[NewTokenOut]:
    new = team.create_token(actor=request.actor, scope=body.scope, name=body.name)  # type: ignore[attr-defined]
    return Status(201, NewTokenOut(id=new.id, scope=new.scope, token=new.raw))


@router.delete("/tokens/{token_id}", response={200: OkOut, **ERRORS})
def revoke_token(request: HttpRequest, token_id: int) -> OkOut:
    team.revoke_token(actor=request.actor, token_id=token_id)  # type: ignore[attr-defined]
    return OkOut(ok=True)


@router.get("/people/{person_id}/knows-best", response={200: list[KnowsBestOut], **ERRORS})
def knows_best(request: HttpRequest, person_id: int) -> list[KnowsBestOut]:
    """Members ranked by recency-weighted interactions with the person."""
    ranked = team.who_knows_best(actor=request.actor, person=person_id, today=web_today())  # type: ignore[attr-defined]
    return [KnowsBestOut(**vars(k)) for k in ranked]
