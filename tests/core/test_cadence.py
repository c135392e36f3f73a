"""Cadence defaults by tier and role, overridden per person and per workspace."""

from __future__ import annotations

from goodwill.core.cadence import CadencePolicy, policy_from_settings


def test_clients_and_partners_get_a_tighter_cadence_than_peers():
    policy = CadencePolicy()
    for tier in ("inner", "key", "network"):
        assert policy.days(tier=tier, role="client") < policy.days(tier=tier, role="peer")
        assert policy.days(tier=tier, role="partner") < policy.days(tier=tier, role="peer")


def test_inner_circle_is_tighter_than_key_which_is_tighter_than_network():
    policy = CadencePolicy()
    days = [policy.days(tier=t, role="client") for t in ("inner", "key", "network")]
    assert days == sorted(days) and len(set(days)) == 3


def test_a_cadence_set_on_the_person_wins():
    assert CadencePolicy().days(tier="network", role="peer", override=7) == 7


def test_a_workspace_overrides_tier_days_and_role_factors_and_ignores_nonsense():
    policy = policy_from_settings({"key": 20, "client": 0.5, "peer": "fast", "inner": -3})
    assert policy.days(tier="key", role="client") == 10
    assert policy.tier_days["inner"] == CadencePolicy().tier_days["inner"]
    assert policy.role_factor["peer"] == CadencePolicy().role_factor["peer"]
