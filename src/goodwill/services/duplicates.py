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

from .bulkwork import gc_paused
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
    return _keys(fold(name))


def _keys(folded: str) -> list[str]:
    words = folded.split()
    if not words:
        return []
    if len(words) == 1:
        return [words[0]]
    first, last = words[0], words[-1]
    return [f"{last}|{first[0]}", f"{first}|{last[0]}"]


def _sorted(folded: str) -> str:
    """The words of a folded text in order: rapidfuzz's ``token_sort_ratio(a, b)`` is
    ``ratio(_sorted(a), _sorted(b))``, so sorting once beats sorting at every comparison."""
    return " ".join(sorted(folded.split()))


@dataclass
class NameIndex:
    """People by block key, to find fuzzy matches of a name + organization quickly.

    The name half of a lookup depends on the name alone, so it is remembered per
    name: a file that mentions one name many times scores it against its blocks once.
    Names and organizations are compared with ``token_sort_ratio``, computed as
    ``ratio`` of their words sorted once (the same scores).
    """

    blocks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    names: dict[int, str] = field(default_factory=dict)
    orgs: dict[int, str] = field(default_factory=dict)
    # Words in order, by person id: what the scores are computed on.
    sorted_names: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    sorted_orgs: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    # Memos: name -> (folded, block keys, sorted); organization -> (folded, sorted);
    # name -> the people it resembles.
    _names: dict[str, tuple[str, list[str], str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _orgs: dict[str, tuple[str, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _hits: dict[str, _Hits] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _name(self, name: str) -> tuple[str, list[str], str]:
        found = self._names.get(name)
        if found is None:
            folded = fold(name)
            found = self._names[name] = (folded, _keys(folded), _sorted(folded))
        return found

    def _org(self, org: str) -> tuple[str, str]:
        found = self._orgs.get(org)
        if found is None:
            folded = fold(org)
            found = self._orgs[org] = (folded, _sorted(folded))
        return found

    def add(self, pid: int, name: str, org: str) -> None:
        self.add_many([(pid, name, org)])

    def add_many(self, people: Iterable[tuple[int, str, str]]) -> None:
        """``add`` for each (id, name, organization), with the lookups bound once."""
        names, orgs, blocks = self.names, self.orgs, self.blocks
        sorted_names, sorted_orgs = self.sorted_names, self.sorted_orgs
        name_memo, org_memo = self._names, self._orgs
        for pid, name, org in people:
            folded, keys, words = name_memo.get(name) or self._name(name)
            names[pid], sorted_names[pid] = folded, words
            orgs[pid], sorted_orgs[pid] = org_memo.get(org) or self._org(org)
            for key in keys:
                blocks[key].append(pid)
        self._hits.clear()

    def _name_hits(self, name: str, skip: set[int]) -> _Hits:
        """The 20 best names of the name's blocks scoring at least NAME_CUTOFF, best first."""
        folded, keys, words = self._name(name)
        ids: set[int] = set()
        for key in keys:
            ids.update(self.blocks.get(key, ()))
        ids -= skip
        if not ids:
            return _Hits([], [], [], [])
        candidates = list(ids)
        found = process.extract(
            words,
            list(map(self.sorted_names.__getitem__, candidates)),
            scorer=fuzz.ratio,
            score_cutoff=NAME_CUTOFF,
            limit=20,
        )  # best first; equal scores in the order of ``candidates``
        pids = [candidates[i] for _, _, i in found]
        orgs = [self.sorted_orgs[pid] for pid in pids]
        blank = [
            (pid, score)
            for pid, (_, score, _), org in zip(pids, found, orgs, strict=True)
            if not org and self.names[pid] == folded
        ]
        return _Hits(pids, [score for _, score, _ in found], orgs, blank)

    def best(self, name: str, org: str, exclude: Iterable[int] = ()) -> tuple[int, float] | None:
        """The closest person (id, score) with a similar name and organization, if any."""
        skip = set(exclude)
        cached = None if skip else self._hits.get(name)
        hits = self._name_hits(name, skip) if cached is None else cached
        if cached is None and not skip:
            self._hits[name] = hits
        if not hits.pids:
            return None
        org_words = self._org(org)[1]
        if org_words:  # only people at an agreeing organization; all scored in one call
            found = process.extract(
                org_words, hits.orgs, scorer=fuzz.ratio, score_cutoff=ORG_CUTOFF, limit=None
            )
            agreeing = [
                (hits.pids[i], (hits.scores[i] + org_score) / 2)
                for i, org_score in sorted((i, org_score) for _, org_score, i in found)
            ]
        else:  # two blank organizations agree only on an exact name
            agreeing = hits.blank
        best: tuple[int, float] | None = None
        for pid, combined in agreeing:
            if best is None or combined > best[1]:
                best = (pid, round(combined, 1))
        return best


@dataclass
class _Hits:
    """The people a name resembles, best first: ids, name scores, organizations (words
    sorted), and (id, score) of those with a blank organization and exactly that name."""

    pids: list[int]
    scores: list[float]
    orgs: list[str]
    blank: list[tuple[int, float]]


def _orgs_agree(a: str, b: str, *, exact_name: bool) -> bool:
    """Whether two organizations (words sorted, see ``_sorted``) agree."""
    if not a and not b:
        return exact_name
    if not a or not b:
        return False
    return fuzz.ratio(a, b) >= ORG_CUTOFF


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
    with gc_paused():
        return _find_duplicates(actor, limit)


def _find_duplicates(actor: Actor, limit: int) -> list[DuplicatePair]:
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
    index.add_many((ref.id, ref.name, ref.organization) for ref in people.values())
    for block in index.blocks.values():
        if len(block) < 2:
            continue
        names = [index.sorted_names[p] for p in block]
        for start in range(0, len(block), 1000):  # bounded memory for a huge block
            scores = process.cdist(
                names[start : start + 1000], names, scorer=fuzz.ratio, score_cutoff=NAME_CUTOFF
            )
            for i, j in zip(*scores.nonzero(), strict=True):
                x, y = block[start + int(i)], block[int(j)]
                same = index.names[x] == index.names[y]
                orgs = index.sorted_orgs
                if x < y and _orgs_agree(orgs[x], orgs[y], exact_name=same):
                    add(x, y, float(scores[i, j]), "similar name and organization")
    return sorted(pairs.values(), key=lambda p: (-p.score, p.a.id, p.b.id))[:limit]
