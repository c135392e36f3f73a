"""Cadence: the desired number of days between touchpoints with someone.

Formula, first rule that applies wins::

    cadence = person.cadence_days                        (set on the person)
            = round(tier_days[tier] * role_factor[role])  (otherwise), at least 1

``tier_days`` and ``role_factor`` have defaults below; a workspace overrides any
of them in ``Workspace.settings["cadence"]``: a tier name maps to days
(``{"inner": 10}``), a role name maps to a factor (``{"client": 0.5}``).
Clients and partners get a tighter cadence than peers because they are the ones
who leave when they feel ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

TIER_DAYS: dict[str, int] = {"inner": 14, "key": 30, "network": 90}
ROLE_FACTOR: dict[str, float] = {
    "client": 0.75,
    "partner": 0.75,
    "referral_source": 0.85,
    "prospect": 1.0,
    "supervisor": 1.0,
    "employee": 1.0,
    "friend": 1.0,
    "peer": 1.25,
    "vendor": 1.5,
    "other": 1.25,
}


@dataclass(frozen=True)
class CadencePolicy:
    """The defaults in force for one workspace."""

    tier_days: dict[str, int] = field(default_factory=lambda: dict(TIER_DAYS))
    role_factor: dict[str, float] = field(default_factory=lambda: dict(ROLE_FACTOR))

    def days(self, *, tier: str, role: str, override: int | None = None) -> int:
        if override:
            return int(override)
        base = self.tier_days.get(tier, TIER_DAYS["network"])
        return max(1, round(base * self.role_factor.get(role, 1.0)))

    def as_settings(self) -> dict[str, float]:
        """The policy as the flat mapping stored in ``Workspace.settings["cadence"]``."""
        return {**self.tier_days, **self.role_factor}


def policy_from_settings(settings: Mapping[str, object] | None) -> CadencePolicy:
    """Defaults overridden by a workspace's ``settings["cadence"]`` (bad values ignored)."""
    tiers = dict(TIER_DAYS)
    roles = dict(ROLE_FACTOR)
    for key, value in (settings or {}).items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            continue
        if key in tiers:
            tiers[key] = int(value)
        elif key in roles:
            roles[key] = float(value)
    return CadencePolicy(tier_days=tiers, role_factor=roles)
