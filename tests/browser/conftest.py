"""Browser tests: pytest-playwright driving Debian's chromium (never a downloaded
browser) against pytest-django's live server."""

from __future__ import annotations

import os
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio loop marked as running in this thread from
# the first browser test to the end of the session, so Django's guard against ORM
# calls from async code would refuse every later database call (the test database
# is even created after it starts). Nothing here is async: the guard may be off.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def logged_in(live_server: Any, page: Any, alice: Any) -> Any:
    """A page logged in as alice through the real login form."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "alice@example.com")
    page.fill("input[name=password]", "correct horse battery")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" not in page.url
    return page
