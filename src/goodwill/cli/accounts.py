"""Accounts for the web app and API: users and tokens."""

from __future__ import annotations

import os

import typer
from rich.text import Text

from .app import app, console

user_app = typer.Typer(help="Users of the web app and API.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


@user_app.command("add")
def user_add(
    email: str = typer.Argument(...),
    password: str = typer.Option(None, help="Prompted for (or GOODWILL_PASSWORD) if omitted."),
    staff: bool = typer.Option(False, "--staff", help="May use the Django admin."),
) -> None:
    """Create a user with their own workspace."""
    from goodwill.services.accounts import create_user

    if password is None:
        password = os.environ.get("GOODWILL_PASSWORD") or typer.prompt(
            "Password", hide_input=True, confirmation_prompt=True
        )
    user = create_user(email=email, password=password, staff=staff)
    console.print(Text(f"Created user {user.get_username()}."))


@token_app.command("create")
def token_create(
    user: str = typer.Option(None, "--user", help="Email of the user (default: the only user)."),
    scope: str = typer.Option("read", help="read or write."),
    name: str = typer.Option("", help="A label for the token."),
) -> None:
    """Create an API token; it is printed once, as the last word."""
    from django.contrib.auth import get_user_model

    from goodwill.services.accounts import create_token
    from goodwill.services.errors import BadInput

    if user is None:
        emails = list(
            get_user_model()
            .objects.exclude(username="local")
            .values_list("username", flat=True)[:2]
        )
        if len(emails) != 1:
            raise BadInput("say which user with --user EMAIL")
        user = emails[0]
    token = create_token(email=user, scope=scope, name=name)
    console.print(
        Text(f"Token for {user} ({token.scope}), shown once: {token.raw}"), soft_wrap=True
    )
