"""Team commands: invite links, members and roles; listing and revoking API tokens.

The CLI acts as the owner of the local workspace (the first `user add` adopts it),
so on a team server these manage that workspace.
"""

from __future__ import annotations

import os

import typer
from rich.text import Text

from .accounts import token_app
from .app import JSON_OPT, actor, app, console, print_json
from .render import table

team_app = typer.Typer(help="Team members, roles and invite links.", no_args_is_help=True)
app.add_typer(team_app, name="team")


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "never"  # type: ignore[attr-defined]


@team_app.command("invite")
def team_invite(
    role: str = typer.Option("member", help="owner, member or viewer."),
    days: int = typer.Option(7, help="Days until the link expires (1-90)."),
    base_url: str = typer.Option(
        None, "--base-url", envvar="GOODWILL_URL", help="The server's address for the link."
    ),
) -> None:
    """Create a single-use invite link and print it (once)."""
    from goodwill.services.team import create_invite

    invite = create_invite(actor=actor(), role=role, days=days)
    base = (base_url or os.environ.get("GOODWILL_URL") or "http://127.0.0.1:8000").rstrip("/")
    console.print(
        Text(f"Invite ({invite.role}, expires {_when(invite.expires_at)} UTC), shown once:"),
    )
    console.print(Text(f"{base}/invite/{invite.raw}/"), soft_wrap=True)


@team_app.command("members")
def team_members(as_json: bool = JSON_OPT) -> None:
    """List the members of the workspace and their roles."""
    from goodwill.services.team import list_members

    members = list_members(actor=actor())
    if as_json:
        print_json(
            [
                {"id": m.id, "email": m.email, "role": m.role, "joined": m.joined.isoformat()}
                for m in members
            ]
        )
        return
    console.print(
        table(
            "Team",
            ["id", "email", "role", "joined"],
            [[str(m.id), m.email, m.role, _when(m.joined)] for m in members],
        )
    )


@team_app.command("remove")
def team_remove(email: str = typer.Argument(..., help="The member's email.")) -> None:
    """Take a member out of the workspace (their tokens stop working)."""
    from goodwill.services.team import remove_member

    remove_member(actor=actor(), member=email)
    console.print(Text(f"Removed {email.strip().lower()}."))


@team_app.command("role")
def team_role(
    email: str = typer.Argument(..., help="The member's email."),
    role: str = typer.Argument(..., help="owner, member or viewer."),
) -> None:
    """Change a member's role."""
    from goodwill.services.team import set_role

    row = set_role(actor=actor(), member=email, role=role)
    console.print(Text(f"{row.email} is now {row.role}."))


@token_app.command("list")
def token_list(as_json: bool = JSON_OPT) -> None:
    """List API tokens (never the tokens themselves) with their last use."""
    from goodwill.services.team import list_tokens

    tokens = list_tokens(actor=actor())
    if as_json:
        print_json(
            [
                {
                    "id": t.id,
                    "name": t.name,
                    "prefix": t.prefix,
                    "scope": t.scope,
                    "user": t.user,
                    "created_at": t.created_at.isoformat(),
                    "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                    "revoked": t.revoked_at is not None,
                }
                for t in tokens
            ]
        )
        return
    console.print(
        table(
            "API tokens",
            ["id", "name", "prefix", "scope", "user", "last used", "state"],
            [
                [
                    str(t.id),
                    t.name,
                    t.prefix + "…",
                    t.scope,
                    t.user,
                    _when(t.last_used_at),
                    "revoked" if t.revoked_at else "active",
                ]
                for t in tokens
            ],
        )
    )


@token_app.command("revoke")
def token_revoke(token_id: int = typer.Argument(..., help="The token's id (token list).")) -> None:
    """Revoke an API token: it stops working at once."""
    from goodwill.services.team import revoke_token

    revoke_token(actor=actor(), token_id=token_id)
    console.print(Text(f"Revoked token {token_id}."))
