"""An iCalendar (RFC 5545) view of the daily discipline, and its secret feed URL.

The calendar holds all-day events for: follow-ups (each relationship's next
touchpoint, last contact + cadence, within the next 60 days; overdue ones on
today), commitments due (open ones with a due date) and plan items (this
user's plan entries of the last and next week). UIDs are stable, so a
subscribed calendar updates events instead of duplicating them.

A feed URL carries a random token; only its SHA-256 is stored. Creating a new
URL revokes the user's previous one; revoking removes all.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from goodwill.db.models import CalendarFeed, Commitment, Party, PlanEntry, PlanStatus, hash_token

from .context import Actor, actor_for, scoped
from .plan import load_network, names_of

FOLLOW_UP_DAYS = 60
MAX_FOLLOW_UPS = 200


def _event(
    uid: str, day: dt.date, summary: str, stamp: dt.datetime, description: str = ""
) -> Event:
    ev = Event()
    ev.add("uid", f"{uid}@goodwill")
    ev.add("dtstamp", stamp)
    ev.add("dtstart", day)
    ev.add("dtend", day + dt.timedelta(days=1))
    ev.add("summary", summary)
    if description:
        ev.add("description", description)
    ev.add("transp", "TRANSPARENT")
    return ev


def calendar_ics(*, actor: Actor, today: dt.date) -> bytes:
    """Follow-ups, commitments due and plan items as one iCalendar file."""
    cal = Calendar()
    cal.add("prodid", "-//goodwill//daily discipline//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"goodwill: {actor.workspace.name}")
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)

    net = load_network(actor, today)
    pool = net.pool
    due_in = pool.cadence - pool.days_since
    follow: list[tuple[dt.date, int, int]] = []
    for i in range(len(pool)):
        if not pool.active[i] or not pool.contacted[i] or due_in[i] > FOLLOW_UP_DAYS:
            continue
        day = today + dt.timedelta(days=max(0, int(due_in[i])))
        follow.append((day, int(pool.ids[i]), i))
    follow.sort()
    follow = follow[:MAX_FOLLOW_UPS]
    names = names_of(actor, [pid for _, pid, _ in follow])
    for day, pid, i in follow:
        name = names.get(pid, "")
        late = int(-due_in[i])
        note = f"{late} days past the {int(pool.cadence[i])}-day cadence" if late > 0 else ""
        cal.add_component(_event(f"follow-up-{pid}", day, f"Follow up with {name}", stamp, note))

    for c in (
        scoped(Commitment, actor.workspace)
        .filter(kept_on__isnull=True, broken=False, due_date__isnull=False)
        .select_related("person")
        .order_by("due_date", "id")[:500]
    ):
        assert c.due_date is not None
        who = "Promise to" if c.by == Party.ME else "Promised by"
        cal.add_component(
            _event(
                f"commitment-{c.pk}",
                c.due_date,
                f"{who} {c.person.name}: {c.description}",
                stamp,
            )
        )

    for e in (
        scoped(PlanEntry, actor.workspace)
        .filter(
            user=actor.user,
            date__gte=today - dt.timedelta(days=7),
            date__lte=today + dt.timedelta(days=7),
            status__in=[PlanStatus.SUGGESTED, PlanStatus.DONE],
        )
        .select_related("person")
        .order_by("date", "id")
    ):
        done = " (done)" if e.status == PlanStatus.DONE else ""
        cal.add_component(
            _event(
                f"plan-{e.pk}",
                e.date,
                f"Reach out to {e.person.name}{done}",
                stamp,
                "\n".join([e.action, *e.reasons]),
            )
        )
    return bytes(cal.to_ical())


@dataclass
class NewFeed:
    token: str  # shown once, never stored
    path: str  # /calendar/<token>.ics


@transaction.atomic
def create_feed(*, actor: Actor) -> NewFeed:
    """A new secret feed URL for this user; their previous one stops working."""
    revoke_feeds(actor=actor)
    raw = "cal_" + secrets.token_urlsafe(32)
    CalendarFeed.objects.create(
        workspace=actor.workspace, user=actor.user, key_hash=hash_token(raw)
    )
    return NewFeed(token=raw, path=f"/calendar/{raw}.ics")


@transaction.atomic
def revoke_feeds(*, actor: Actor) -> int:
    """Revoke every feed URL of this user in this workspace; returns how many."""
    revoked: int = CalendarFeed.objects.filter(
        workspace=actor.workspace, user=actor.user, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return revoked


def feed_actor(token: str) -> Actor | None:
    """The actor a feed token belongs to, or None if unknown or revoked."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return actor_for(feed.user, feed.workspace_id)
