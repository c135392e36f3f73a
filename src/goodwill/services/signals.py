"""Reasons to reach out to someone today, contributed by every area.

The daily plan (services/plan.py, core/outreach.py) ranks people from these
signals. Each area exposes one provider ``signals(*, actor, today) -> list[Signal]``
listed in PROVIDERS; a provider runs a bounded number of queries (never one per
person) and returns only people with something worth doing.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from .context import Actor


@dataclass(frozen=True)
class Signal:
    person_id: int
    kind: str  # e.g. "thank_referrer", "intro_follow_up", "event_follow_up", "intro_meets_need"
    weight: float  # 0..1, how strongly this alone argues for reaching out today
    reason: str  # plain words: "referred Bruno Buyer, a $12,000 deal, not thanked yet"
    action: str  # a concrete helpful action: "Send Rita a thank-you note …"


# "module:function" of each area's provider; each may be absent while that area is built.
PROVIDERS = [
    "goodwill.services.thanks:signals",  # referrals to thank (reciprocity & value)
    "goodwill.services.intros:signals",  # introductions to follow up / that meet a need
    "goodwill.services.events:signals",  # people met at events, not followed up
]


def collect(*, actor: Actor, today: dt.date) -> list[Signal]:
    """All providers' signals, in provider order."""
    found: list[Signal] = []
    for spec in PROVIDERS:
        module_name, func_name = spec.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        provider = getattr(module, func_name, None)
        if provider is not None:
            found.extend(provider(actor=actor, today=today))
    return found
