"""Find people recorded twice: the same email or profile URL, or a fuzzy same
name at the same organization.

Fuzzy matching is *blocked*: a person is only compared with people who share a
block key, ``surname|first initial`` or ``first name|surname initial``, so a
typo in either half of a name is still found and 100k people never means
5 billion comparisons. Within a block, rapidfuzz's ``token_sort_ratio`` scores
names (word order ignored) and organizations; a pair is a candidate when the
name scores at least ``NAME_CUTOFF`` and the organizations at least
``ORG_CUTOFF`` (two blank organizations count as agreeing only on an exact name).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from goodwill.db.models import Channel, ChannelKind, Person

from .context import Actor, scoped

NAME_CUTOFF = 88.0
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
ORG_CUTOFF = 85.0


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation as spaces: what names are compared in."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NON_ALNUM.sub(" ", text.lower()).split())


def block_keys(name: str) -> list[str]:
    words = fold(name).split()
    if not words:
        return []
    if len(words) == 1:
        return [words[0]]
    first, last = words[0], words[-1]
    return [f"{last}|{first[0]}", f"{first}|{last[0]}"]


@dataclass
class NameIndex:
    """People by block key, to find fuzzy matches of a name + organization quickly."""

    blocks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    names: dict[int, str] = field(default_factory=dict)
    orgs: dict[int, str] = field(default_factory=dict)

    def add(self, pid: int, name: str, org: str) -> None:
        self.names[pid], self.orgs[pid] = fold(name), fold(org)
        for key in block_keys(name):
            self.blocks[key].append(pid)

    def best(self, name: str, org: str, exclude: Iterable[int] = ()) -> tuple[int, float] | None:
        """The closest person (id, score) with a similar name and organization, if any."""
        folded, org_f = fold(name), fold(org)
        skip = set(exclude)
        ids = {
            pid for key in block_keys(name) for pid in self.blocks.get(key, ()) if pid not in skip
        }
        if not ids:
            return None
        choices = {pid: self.names[pid] for pid in ids}
        best: tuple[int, float] | None = None
        for _, score, pid in process.extract(
            folded, choices, scorer=fuzz.token_sort_ratio, score_cutoff=NAME_CUTOFF, limit=20
        ):
            if not _orgs_agree(org_f, self.orgs[pid], exact_name=folded == self.names[pid]):
                continue
            combined = (
                score + (fuzz.token_sort_ratio(org_f, self.orgs[pid]) if org_f else score)
            ) / 2
            if best is None or combined > best[1]:
                best = (pid, round(combined, 1))
        return best


def _orgs_agree(a: str, b: str, *, exact_name: bool) -> bool:
    if not a and not b:
        return exact_name
    if not a or not b:
        return False
    return fuzz.token_sort_ratio(a, b) >= ORG_CUTOFF


@dataclass
class PersonRef:
    id: int
    name: str
    organization: str


@dataclass
class DuplicatePair:
    a: PersonRef
    b: PersonRef
    score: float
    reasons: list[str]


def find_duplicates(*, actor: Actor, limit: int = 1000) -> list[DuplicatePair]:
    """Pairs of people who are probably one person, best first (three queries)."""
    people = {
        pid: PersonRef(pid, name, org or "")
        for pid, name, org in scoped(Person, actor.workspace).values_list(
            "id", "name", "organization__name"
        )
    }
    pairs: dict[tuple[int, int], DuplicatePair] = {}

    def add(x: int, y: int, score: float, reason: str) -> None:
        key = (min(x, y), max(x, y))
        if key[0] == key[1] or key[0] not in people or key[1] not in people:
            return
        pair = pairs.get(key)
        if pair is None:
            pairs[key] = DuplicatePair(people[key[0]], people[key[1]], score, [reason])
        else:
            pair.score = max(pair.score, score)
            if reason not in pair.reasons:
                pair.reasons.append(reason)

    owners: dict[tuple[str, str], list[int]] = defaultdict(list)
    channels = scoped(Channel, actor.workspace).filter(
        kind__in=[ChannelKind.EMAIL, ChannelKind.URL]
    )
    for kind, norm, pid in channels.values_list("kind", "normalized", "person_id"):
        if pid not in owners[(kind, norm)]:
            owners[(kind, norm)].append(pid)
    for pid, email in scoped(Person, actor.workspace).exclude(email="").values_list("id", "email"):
        key = (ChannelKind.EMAIL.value, email.strip().lower())
        if pid not in owners[key]:
            owners[key].append(pid)
    for (kind, norm), pids in owners.items():
        for other in pids[1:]:
            add(pids[0], other, 100.0, f"same {kind} {norm}")

    index = NameIndex()
    for ref in people.values():
        index.add(ref.id, ref.name, ref.organization)
    for block in index.blocks.values():
        if len(block) < 2:
            continue
        names = [index.names[p] for p in block]
        for start in range(0, len(block), 1000):  # bounded memory for a huge block
            scores = process.cdist(
                names[start : start + 1000],
                names,
                scorer=fuzz.token_sort_ratio,
                score_cutoff=NAME_CUTOFF,
            )
            for i, j in zip(*scores.nonzero(), strict=True):
                x, y = block[start + int(i)], block[int(j)]
                same = index.names[x] == index.names[y]
                if x < y and _orgs_agree(index.orgs[x], index.orgs[y], exact_name=same):
                    add(x, y, float(scores[i, j]), "similar name and organization")
    return sorted(pairs.values(), key=lambda p: (-p.score, p.a.id, p.b.id))[:limit]
