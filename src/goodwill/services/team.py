"""Team workspaces: invites, members and roles, API tokens, who knows whom best.

Roles: an owner manages members, invites and the workspace itself; a member
reads and writes the shared network; a viewer only reads. Invite links and API
tokens are random secrets: only their SHA-256 is stored, so a leaked database
does not leak a working link or token.

"Who knows this person best" ranks the members who logged interactions with
the person by a recency-weighted count:

    score = Σ over their interactions of 0.5 ** (days_ago / 90)

so a touchpoint today counts 1, one 90 days ago counts 0.5, one a year ago
about 0.06. Ties go to the most recent contact, then to the member's email.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goodwill.db.models import (
    ApiToken,
    Interaction,
    Invite,
    MemberRole,
    Membership,
    Person,
    TokenScope,
    Workspace,
    hash_token,
)

from .context import Actor, scoped
from .errors import BadInput, Forbidden, NotFound
from .parse import parse_choice
from .people import EMAIL_RE

HALF_LIFE_DAYS = 90
MAX_INVITE_DAYS = 90


# --- invites -------------------------------------------------------------


@dataclass
class NewInvite:
    id: int
    raw: str  # shown once, never stored
    role: str
    expires_at: dt.datetime


@dataclass
class InviteRow:
    id: int
    role: str
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass
class InviteInfo:
    """What the accept page shows about a still valid invite."""

    workspace: str
    role: str
    expires_at: dt.datetime


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


@transaction.atomic
def create_invite(
    *, actor: Actor, role: str = MemberRole.MEMBER, days: int = 7, now: dt.datetime | None = None
) -> NewInvite:
    """A single-use invite link to the actor's workspace, valid for ``days``."""
    actor.require_owner()
    role = parse_choice(role, MemberRole.values, field="role")
    if not 1 <= days <= MAX_INVITE_DAYS:
        raise BadInput(f"an invite lasts 1 to {MAX_INVITE_DAYS} days, not {days}", field="days")
    raw = "inv_" + ApiToken.new_raw()[3:]
    invite = Invite.objects.create(
        workspace=actor.workspace,
        role=role,
        key_hash=hash_token(raw),
        created_by=actor.user,
        expires_at=_now(now) + dt.timedelta(days=days),
    )
    return NewInvite(id=invite.pk, raw=raw, role=role, expires_at=invite.expires_at)


def list_invites(*, actor: Actor, now: dt.datetime | None = None) -> list[InviteRow]:
    """Invites of the workspace that can still be accepted (owners only)."""
    actor.require_owner()
    invites = (
        Invite.objects.filter(
            workspace=actor.workspace,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=_now(now),
        )
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
    return [
        InviteRow(
            id=i.pk,
            role=i.role,
            created_by=i.created_by.get_username() if i.created_by else "",
            created_at=i.created_at,
            expires_at=i.expires_at,
        )
        for i in invites
    ]


@transaction.atomic
def revoke_invite(*, actor: Actor, invite_id: int, now: dt.datetime | None = None) -> None:
    actor.require_owner()
    invite = Invite.objects.filter(workspace=actor.workspace, pk=invite_id).first()
    if invite is None:
        raise NotFound(f"no invite with id {invite_id}")
    if invite.revoked_at is None:
        invite.revoked_at = _now(now)
        invite.save(update_fields=["revoked_at"])


def _usable_invite(raw: str, now: dt.datetime, *, lock: bool = False) -> Invite:
    invites = Invite.objects.select_related("workspace")
    if lock:
        invites = invites.select_for_update()
    invite = invites.filter(key_hash=hash_token(raw.strip())).first()
    # One message for every failure: a guessed link learns nothing.
    if (
        invite is None
        or invite.accepted_at is not None
        or invite.revoked_at is not None
        or invite.expires_at <= now
    ):
        raise NotFound("this invite link is not valid: it was used, revoked or has expired")
    return invite


def invite_info(*, raw: str, now: dt.datetime | None = None) -> InviteInfo:
    """The workspace and role an invite link offers, or NotFound."""
    invite = _usable_invite(raw, _now(now))
    return InviteInfo(
        workspace=invite.workspace.name, role=invite.role, expires_at=invite.expires_at
    )


def _join(invite: Invite, user: User, now: dt.datetime) -> Actor:
    if Membership.objects.filter(workspace=invite.workspace, user=user).exists():
        raise BadInput(f"{user.get_username()} is already a member of {invite.workspace.name}")
    Membership.objects.create(workspace=invite.workspace, user=user, role=invite.role)
    invite.accepted_at = now
    invite.accepted_by = user
    invite.save(update_fields=["accepted_at", "accepted_by"])
    return Actor(workspace=invite.workspace, user=user, role=invite.role)


@transaction.atomic
def accept_invite(*, raw: str, user: User, now: dt.datetime | None = None) -> Actor:
    """Make ``user`` a member with the invite's role; the link then stops working."""
    now = _now(now)
    return _join(_usable_invite(raw, now, lock=True), user, now)


@transaction.atomic
def accept_invite_as_new_user(
    *, raw: str, email: str, password: str, now: dt.datetime | None = None
) -> Actor:
    """Sign up through an invite: the new user joins the team's workspace only."""
    now = _now(now)
    invite = _usable_invite(raw, now, lock=True)
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise BadInput(f"bad email {email!r}", field="email")
    model = get_user_model()
    if model.objects.filter(username=email).exists():
        raise BadInput(
            f"a user {email} already exists: log in, then open the link again", field="email"
        )
    try:
        validate_password(password)
    except ValidationError as exc:
        raise BadInput("password: " + " ".join(exc.messages), field="password") from None
    user = model.objects.create_user(username=email, email=email, password=password)
    return _join(invite, user, now)


# --- members -------------------------------------------------------------


@dataclass
class MemberRow:
    id: int  # the membership's id
    user_id: int
    email: str
    role: str
    joined: dt.datetime


def list_members(*, actor: Actor) -> list[MemberRow]:
    """Everyone in the actor's workspace, owners first."""
    order: dict[str, int] = {MemberRole.OWNER: 0, MemberRole.MEMBER: 1, MemberRole.VIEWER: 2}
    rows = [
        MemberRow(
            id=m.pk,
            user_id=m.user_id,
            email=m.user.get_username(),
            role=m.role,
            joined=m.created_at,
        )
        for m in Membership.objects.filter(workspace=actor.workspace).select_related("user")
    ]
    return sorted(rows, key=lambda r: (order.get(r.role, 3), r.email))


def my_workspaces(*, actor: Actor) -> list[tuple[int, str, str]]:
    """(id, name, role) of every workspace the actor's user belongs to."""
    return [
        (m.workspace_id, m.workspace.name, m.role)
        for m in Membership.objects.filter(user=actor.user)
        .select_related("workspace")
        .order_by("workspace__name", "workspace_id")
    ]


def _membership(actor: Actor, member: int | str) -> Membership:
    """A membership of the actor's workspace by its id or the member's email."""
    memberships = Membership.objects.select_for_update().filter(workspace=actor.workspace)
    if isinstance(member, int):
        found = memberships.filter(pk=member).first()
    else:
        found = memberships.filter(user__username=member.strip().lower()).first()
    if found is None:
        raise NotFound(f"no member {member!r} in this workspace")
    return found


def _other_owners(membership: Membership) -> bool:
    return (
        Membership.objects.filter(workspace_id=membership.workspace_id, role=MemberRole.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def set_role(*, actor: Actor, member: int | str, role: str) -> MemberRow:
    """Change a member's role (owners only); a workspace always keeps an owner."""
    actor.require_owner()
    role = parse_choice(role, MemberRole.values, field="role")
    membership = _membership(actor, member)
    demoted = membership.role == MemberRole.OWNER and role != MemberRole.OWNER
    if demoted and not _other_owners(membership):
        raise BadInput("the workspace needs an owner: make someone else owner first")
    membership.role = role
    membership.save(update_fields=["role"])
    return MemberRow(
        id=membership.pk,
        user_id=membership.user_id,
        email=membership.user.get_username(),
        role=role,
        joined=membership.created_at,
    )


@transaction.atomic
def remove_member(*, actor: Actor, member: int | str, now: dt.datetime | None = None) -> None:
    """Take someone out of the workspace (owners only); their tokens for it stop working.

    Their interactions stay in the shared network."""
    actor.require_owner()
    membership = _membership(actor, member)
    if membership.role == MemberRole.OWNER and not _other_owners(membership):
        raise BadInput("the last owner cannot be removed")
    ApiToken.objects.filter(
        workspace=actor.workspace, user_id=membership.user_id, revoked_at__isnull=True
    ).update(revoked_at=_now(now))
    membership.delete()


@transaction.atomic
def delete_workspace(*, actor: Actor, confirm: str) -> None:
    """Delete the workspace and everything in it (owners only; ``confirm`` is its name)."""
    actor.require_owner()
    if confirm.strip() != actor.workspace.name:
        raise BadInput("type the workspace's name to confirm", field="confirm")
    Workspace.objects.filter(pk=actor.workspace.pk).delete()


# --- API tokens ----------------------------------------------------------


@dataclass
class TokenRow:
    id: int
    name: str
    prefix: str
    scope: str
    user: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def list_tokens(*, actor: Actor) -> list[TokenRow]:
    """The actor's own tokens for this workspace; an owner sees everyone's."""
    tokens = ApiToken.objects.filter(workspace=actor.workspace).select_related("user")
    if actor.role != MemberRole.OWNER:
        tokens = tokens.filter(user=actor.user)
    return [
        TokenRow(
            id=t.pk,
            name=t.name,
            prefix=t.prefix,
            scope=t.scope,
            user=t.user.get_username(),
            created_at=t.created_at,
            last_used_at=t.last_used_at,
            revoked_at=t.revoked_at,
        )
        for t in tokens.order_by("-created_at", "-id")
    ]


@dataclass
class NewToken:
    id: int
    raw: str  # shown once, never stored
    scope: str


@transaction.atomic
def create_token(*, actor: Actor, scope: str = TokenScope.READ, name: str = "") -> NewToken:
    """A token for the actor in this workspace; a viewer may only have read tokens."""
    scope = parse_choice(scope, TokenScope.values, field="scope")
    if scope == TokenScope.WRITE and not actor.can_write:
        raise Forbidden("a viewer can only have read tokens")
    if len(name) > 100:
        raise BadInput("the name is longer than 100 characters", field="name")
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        workspace=actor.workspace,
        user=actor.user,
        name=name.strip(),
        key_hash=hash_token(raw),
        prefix=raw[:10],
        scope=scope,
    )
    return NewToken(id=token.pk, raw=raw, scope=scope)


@transaction.atomic
def revoke_token(*, actor: Actor, token_id: int, now: dt.datetime | None = None) -> None:
    """Stop a token working: one's own, or (owners) anyone's in the workspace."""
    token = ApiToken.objects.filter(workspace=actor.workspace, pk=token_id).first()
    if token is None or (token.user_id != actor.user.pk and actor.role != MemberRole.OWNER):
        raise NotFound(f"no token with id {token_id}")
    if token.revoked_at is None:
        token.revoked_at = _now(now)
        token.save(update_fields=["revoked_at"])


# --- who knows this person best -----------------------------------------


@dataclass
class KnowsBest:
    user_id: int
    email: str
    interactions: int
    last_contact: dt.date
    score: float


def who_knows_best(*, actor: Actor, person: Person | int, today: dt.date) -> list[KnowsBest]:
    """Members ranked by how much and how recently they were in touch with ``person``
    (formula in the module docstring). Two queries, whatever the history's length."""
    person_id = person if isinstance(person, int) else person.pk
    if not scoped(Person, actor.workspace).filter(pk=person_id).exists():
        raise NotFound(f"no person with id {person_id}")
    rows = (
        scoped(Interaction, actor.workspace)
        .filter(person_id=person_id, member__isnull=False)
        .values_list("member_id", "date")
    )
    score: dict[int, float] = defaultdict(float)
    count: dict[int, int] = defaultdict(int)
    last: dict[int, dt.date] = {}
    for member_id, date in rows:
        age = max((today - date).days, 0)
        score[member_id] += 0.5 ** (age / HALF_LIFE_DAYS)
        count[member_id] += 1
        last[member_id] = max(last.get(member_id, date), date)
    # Only current members: someone who left the team cannot be asked.
    emails = dict(
        Membership.objects.filter(workspace=actor.workspace, user_id__in=list(score)).values_list(
            "user_id", "user__username"
        )
    )
    ranked = [
        KnowsBest(
            user_id=uid,
            email=emails[uid],
            interactions=count[uid],
            last_contact=last[uid],
            score=round(score[uid], 3),
        )
        for uid in score
        if uid in emails
    ]
    ranked.sort(key=lambda k: (-k.score, -k.last_contact.toordinal(), k.email))
    return ranked
