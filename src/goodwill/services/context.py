"""Who is acting, in which workspace, and the one place queries are scoped.

Workspace isolation lives here: services never call ``Model.objects`` on a
workspace-owned model directly, they call :func:`scoped`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import models, transaction

from goodwill.db.models import MemberRole, Membership, Workspace, WorkspaceOwned

from .compiled import instances_of, of_id
from .errors import Forbidden

M = TypeVar("M", bound=WorkspaceOwned)

LOCAL_USERNAME = "local"
LOCAL_WORKSPACE = "local"


@dataclass(frozen=True)
class Actor:
    """A user acting in one workspace with one role."""

    workspace: Workspace
    user: User
    role: str

    @property
    def can_write(self) -> bool:
        return self.role in (MemberRole.OWNER, MemberRole.MEMBER)

    def require_write(self) -> None:
        if not self.can_write:
            raise Forbidden("viewers cannot change anything in this workspace")

    def require_owner(self) -> None:
        if self.role != MemberRole.OWNER:
            raise Forbidden("only an owner of the workspace can do this")


def scoped(model: type[M], workspace: Workspace) -> models.QuerySet[M]:
    """All rows of ``model`` that belong to ``workspace``: the only way services query."""
    return model._default_manager.filter(workspace=workspace)


def local_actor() -> Actor:
    """The CLI's actor: the owner of the default local workspace, made on first use.

    Until someone runs ``goodwill user add`` that owner is a password-less user
    named "local"; the first real user adopts that row (see services.accounts),
    so the CLI and the web app share one network, one plan and one streak."""
    workspace = Workspace.objects.filter(slug=LOCAL_WORKSPACE).first()
    membership = (
        Membership.objects.select_related("user")
        .filter(workspace=workspace, role=MemberRole.OWNER)
        .order_by("id")
        .first()
        if workspace
        else None
    )
    if workspace is None or membership is None:
        with transaction.atomic():
            user, _ = get_user_model().objects.get_or_create(
                username=LOCAL_USERNAME, defaults={"password": make_password(None)}
            )
            workspace, _ = Workspace.objects.get_or_create(
                slug=LOCAL_WORKSPACE, defaults={"name": "My network"}
            )
            membership, _ = Membership.objects.get_or_create(
                workspace=workspace, user=user, defaults={"role": MemberRole.OWNER}
            )
    return Actor(workspace=workspace, user=membership.user, role=MemberRole.OWNER)


def actor_for(user: User, workspace_id: int | None = None) -> Actor | None:
    """The user's actor in ``workspace_id`` (or their first workspace); None if not a
    member. Every request asks: the query is compiled once per workspace."""

    def build() -> Any:
        memberships = of_id(Membership.objects.select_related("workspace"), Membership, "user_id")
        if workspace_id is not None:
            memberships = memberships.filter(workspace_id=workspace_id)
        return memberships.order_by("id")[:1]

    found = instances_of(("actor", workspace_id), build, [user.pk])
    if not found:
        return None
    return Actor(workspace=found[0].workspace, user=user, role=found[0].role)
