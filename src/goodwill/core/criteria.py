"""Target criteria: "industry=fintech role=cfo" parsed, printed and matched.

Grammar: whitespace-separated ``field=value`` tokens; a value with spaces is
quoted (``industry="financial services"``). Fields: industry, role, source,
tier, stage, organization, title, tag, location.

Matching (case-insensitive)::

    person matches  <=>  for every field named: any of its values matches
    title, organization, location  match as substrings
    industry        matches the person's or their organization's industry
    role            matches the role (client, partner, …) or a word in the title
                    (so "role=cfo" finds the CFOs)
    tag             matches any of the person's tags
    other fields    match exactly

Several values for one field are alternatives ("role=cfo role=ceo"); different
fields must all match.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field

FIELDS = (
    "industry",
    "role",
    "source",
    "tier",
    "stage",
    "organization",
    "title",
    "tag",
    "location",
)
SUBSTRING_FIELDS = frozenset({"title", "organization", "location"})


class CriteriaError(ValueError):
    """A malformed criteria string; ``token`` is the offending token."""

    def __init__(self, message: str, token: str) -> None:
        super().__init__(message)
        self.token = token


@dataclass(frozen=True)
class Criterion:
    field: str
    value: str  # lower-cased

    def __str__(self) -> str:
        return f"{self.field}={quote(self.value)}"


@dataclass(frozen=True)
class Profile:
    """What criteria can see of a person (all text lower-cased by :func:`profile`)."""

    industry: str = ""
    org_industry: str = ""
    role: str = ""
    source: str = ""
    tier: str = ""
    stage: str = ""
    organization: str = ""
    title: str = ""
    location: str = ""
    tags: frozenset[str] = field(default_factory=frozenset)


def profile(
    *,
    industry: str = "",
    org_industry: str = "",
    role: str = "",
    source: str = "",
    tier: str = "",
    stage: str = "",
    organization: str = "",
    title: str = "",
    location: str = "",
    tags: Iterable[str] = (),
) -> Profile:
    """A :class:`Profile` with every value normalised for matching."""
    return Profile(
        industry=(industry or "").strip().lower(),
        org_industry=(org_industry or "").strip().lower(),
        role=(role or "").strip().lower(),
        source=(source or "").strip().lower(),
        tier=(tier or "").strip().lower(),
        stage=(stage or "").strip().lower(),
        organization=(organization or "").strip().lower(),
        title=(title or "").strip().lower(),
        location=(location or "").strip().lower(),
        tags=frozenset(t.strip().lower() for t in tags),
    )


def quote(value: str) -> str:
    return f'"{value}"' if re.search(r"\s", value) or not value else value


def parse_criteria(text: str) -> list[Criterion]:
    """Parse a criteria string; raise :class:`CriteriaError` naming the bad token."""
    try:
        tokens = shlex.split(text or "")
    except ValueError:
        raise CriteriaError(f"unbalanced quote in criteria {text!r}", text) from None
    result: list[Criterion] = []
    for token in tokens:
        name, sep, value = token.partition("=")
        name = name.strip().lower()
        value = value.strip().lower()
        if not sep or not name:
            raise CriteriaError(f"bad criterion {token!r}: use field=value", token)
        if name not in FIELDS:
            raise CriteriaError(
                f"bad criterion {token!r}: unknown field {name!r}, use one of {', '.join(FIELDS)}",
                token,
            )
        if not value:
            raise CriteriaError(f"bad criterion {token!r}: no value after '='", token)
        criterion = Criterion(name, value)
        if criterion not in result:
            result.append(criterion)
    return result


def format_criteria(criteria: Iterable[Criterion]) -> str:
    return " ".join(str(c) for c in criteria)


def _one(c: Criterion, p: Profile) -> bool:
    v = c.value
    if c.field == "industry":
        return v in (p.industry, p.org_industry)
    if c.field == "role":
        return v == p.role or v in re.findall(r"[\w&+-]+", p.title)
    if c.field == "tag":
        return v in p.tags
    actual: str = getattr(p, c.field)
    return v in actual if c.field in SUBSTRING_FIELDS else v == actual


def matches(criteria: Iterable[Criterion], p: Profile) -> bool:
    """True when ``p`` meets every field named in ``criteria`` (no criteria: False)."""
    by_field: dict[str, list[Criterion]] = {}
    for c in criteria:
        by_field.setdefault(c.field, []).append(c)
    if not by_field:
        return False
    return all(any(_one(c, p) for c in group) for group in by_field.values())


def matched(criteria: Iterable[Criterion], p: Profile) -> list[Criterion]:
    """The criteria that ``p`` meets (for explanations)."""
    return [c for c in criteria if _one(c, p)]
