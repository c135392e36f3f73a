"""User-written text is always rendered inert.

Stores `<script>alert(1)</script>` and `"><img src=x onerror=alert(1)>` in every
free-text field of every row in alice's workspace, then GETs every page (every
URL pattern, path parameters filled with real ids by name, so pages added later
are covered too) and asserts the raw markup never appears unescaped.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from goodwill.db import models as m
from tests.reporting import report

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMG
SKIP = ("admin/", "api/", "static/", "logout/", "healthz")


def _more_records(alice, n, today):
    """One row of each kind the network fixture does not make."""
    ws = alice.workspace
    event = m.Event.objects.create(workspace=ws, name="Fair", date=today, location="Hall")
    m.EventMet.objects.create(workspace=ws, event=event, person=n.pia, note="met")
    m.EventTarget.objects.create(workspace=ws, event=event, person=n.paul)
    deal = m.Deal.objects.create(
        workspace=ws, client=n.bruno, amount=Decimal("1200"), date=today, origin="referral",
        referrer=n.rita, event=event, title="Audit", note="note",
    )  # fmt: skip
    intro = m.Introduction.objects.create(
        workspace=ws, a=n.carol, b=n.paul, reason="books", suggested_on=today, outcome="ok"
    )
    m.Favour.objects.create(
        workspace=ws, person=n.rita, direction="received", kind="referral", date=today, note="n"
    )
    commitment = m.Commitment.objects.create(
        workspace=ws, person=n.carol, description="send deck", created_on=today,
        due_date=today + dt.timedelta(days=3),
    )  # fmt: skip
    tag = m.Tag.objects.create(workspace=ws, name="golf")
    m.PersonTag.objects.create(workspace=ws, person=n.carol, tag=tag)
    m.Channel.objects.create(
        workspace=ws, person=n.carol, kind="url", value="https://x.test", normalized="x.test"
    )
    return {"event": event, "deal": deal, "introduction": intro, "intro": intro,
            "commitment": commitment, "tag": tag}  # fmt: skip


def _poison(workspace) -> int:
    """Put the payload into every free-text field of every row of the workspace."""
    fields_set = 0
    for model in apps.get_app_config("goodwill").get_models():
        texts = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices
            and not isinstance(f, models.SlugField)
            and (f.max_length is None or f.max_length >= len(PAYLOAD) + 8)
            # target_criteria is a query validated on write, not free text
            and f.name not in ("key_hash", "prefix", "normalized", "currency", "target_criteria")
        ]
        if not texts:
            continue
        if model is m.Workspace:
            rows = model._default_manager.filter(pk=workspace.pk)
        elif any(f.name == "workspace" for f in model._meta.fields):
            rows = model._default_manager.filter(workspace=workspace)
        else:
            continue
        for pk in rows.values_list("pk", flat=True):
            # A per-row suffix keeps unique names unique.
            model._default_manager.filter(pk=pk).update(
                **{f.name: f"{PAYLOAD} {pk}" for f in texts}
            )
            fields_set += len(texts)
    return fields_set


def _routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    found: list[str] = []
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            found += _routes(p, route)
        elif isinstance(p, URLPattern) and not route.startswith(SKIP):
            found.append(route)
    return found


def _url(route: str, ids: dict[str, int]) -> str:
    def fill(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        if kind == "int":
            return str(ids.get(name.removesuffix("_id"), 1))
        return "x"

    return "/" + re.sub(r"<(\w+):(\w+)>", fill, route).lstrip("^/").rstrip("$")


def test_stored_markup_is_escaped_on_every_page(alice, network, today):
    more = _more_records(alice, network, today)
    stored = _poison(alice.workspace)
    ids = {k: v.pk for k, v in more.items()}
    ids.update(person=network.carol.pk, membership=m.Membership.objects.get(user=alice.user).pk)
    client = Client()
    client.force_login(alice.user, backend="goodwill.services.accounts.UserBackend")
    pages = shown = 0
    for route in _routes():
        url = _url(route, ids)
        r = client.get(url, follow=True)
        assert r.status_code < 500, (url, r.status_code)
        if "html" not in r.headers.get("Content-Type", ""):
            continue
        body = r.content.decode()
        pages += 1
        assert SCRIPT not in body and "<img src=x" not in body, f"unescaped markup on {url}"
        shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert shown >= 1  # at least the team page shows the workspace name
    report(
        "escaping",
        f"markup stored in {stored} text fields; {pages} pages rendered, "
        f"{shown} showed it escaped, 0 unescaped",
    )
