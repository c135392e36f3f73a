"""The daily digest: today's plan and the overdue list as a plain-text and HTML email.

Sent through Django's email backend: the console by default, SMTP when
``GOODWILL_SMTP_HOST`` is set (see settings.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from .context import Actor
from .errors import BadInput
from .people import EMAIL_RE
from .plan import OverdueItem, Plan, build_plan, overdue

OVERDUE_SHOWN = 10


@dataclass
class Digest:
    subject: str
    text: str
    html: str
    plan: Plan
    overdue: list[OverdueItem]


def build_digest(*, actor: Actor, today: dt.date, count: int = 3) -> Digest:
    plan = build_plan(actor=actor, today=today, count=count)
    late = overdue(actor=actor, today=today, limit=OVERDUE_SHOWN)
    context = {"plan": plan, "overdue": late, "today": today}
    n = len(plan.items)
    subject = f"goodwill: {n} {'person' if n == 1 else 'people'} to reach out to today"
    return Digest(
        subject=subject,
        text=render_to_string("goodwill/dashboard_digest.txt", context),
        html=render_to_string("goodwill/dashboard_digest.html", context),
        plan=plan,
        overdue=late,
    )


def send_digest(
    *, actor: Actor, today: dt.date, to: str = "", count: int = 3, stream: Any = None
) -> Digest:
    """Build the digest and send it to ``to`` (default: the user's email). ``stream``:
    where the console backend writes (the CLI keeps stdout for --json)."""
    address = (to or actor.user.email or "").strip()
    if not EMAIL_RE.match(address):
        raise BadInput(
            "no email address to send the digest to (use --to EMAIL)"
            if not address
            else f"bad email {address!r}",
            field="to",
        )
    digest = build_digest(actor=actor, today=today, count=count)
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=digest.text,
        from_email=getattr(settings, "DEFAULT_FROM_EMAIL", None),
        to=[address],
        connection=get_connection(stream=stream) if stream is not None else None,
    )
    message.attach_alternative(digest.html, "text/html")
    message.send()
    return digest
