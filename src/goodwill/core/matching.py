"""Match one person's needs to other people's offers, with an explanation.

Pipeline (pure; plain data in, plain data out):

1. **Phrases.** Needs and offers are split into phrases at ``;``, ``,`` (outside
   parentheses), new lines, ``.``, and the words "and", "or", "&", "as well
   as"; "frontend engineer (React, TypeScript)" stays one phrase.
2. **Normalisation** of a phrase into *terms*: accents dropped, lower case,
   words of letters/digits (``c++``, ``m&a`` kept), filler words removed
   (:data:`STOPWORDS`: "need", "help", "looking", "my", ...), a light suffix
   stemmer (:func:`stem`: "investors" → "invest", "bookkeeping" → "bookkeep",
   "hiring" → "hir"), then every 1–3 word sequence found in the business
   vocabulary ``core/data/terms.txt`` adds its *concept* ("books",
   "bookkeeping" and "tax return" all add ``accounting``). The terms of a
   phrase are its stems plus its concepts (:func:`terms`).
3. **Vectors.** Two TF-IDF models (scikit-learn, sublinear tf, smoothed idf,
   L2-normalised) fitted on every phrase of the network: one over terms, one
   over character 3–5-grams of the phrase's content words (catches
   "accountancy" / "accounting", "front-end" / "frontend").
4. **Candidates and raw score.** ``W_need @ W_offer.T`` (sparse, in row
   chunks; no Python loop over pairs) gives the term cosine ``w`` of every
   phrase pair sharing a term; the best :data:`CANDIDATES` offers per need
   phrase are kept and rescored with the character cosine ``c``:
   ``raw = 0.75 * w + 0.25 * c``. Pairs sharing no term are never suggested,
   so every suggestion has shared terms to show.
5. **Calibration** (Platt scaling): ``score = 1 / (1 + exp(-(A * raw + B)))``
   with ``A`` = :data:`CAL_A`, ``B`` = :data:`CAL_B`, fitted by logistic
   regression on the labelled need/offer set shipped with the tests
   (``tests/core/data/intro_pairs.json``: the true offer of each need against
   the other candidates). A score of 0.7 means that, on that set, about 70% of
   pairs scoring so were a right match.
6. **People.** A person pair scores its best phrase pair; its explanation is
   that need phrase, that offer phrase and their shared terms (rarest first).

Ranking by relationship (:func:`rank`):
``rank = score * relationship``, ``relationship = (0.3 + 0.7 * sqrt(ha * hb)) *
stage(a) * stage(b)`` with ``ha``, ``hb`` the health of each relationship in
0..1 (unknown = 0) and ``stage`` = identified 0.6, connected 0.85, nurturing and
productive 1. Let-go people, pairs already introduced (or dismissed) and
providers with :data:`MAX_RECENT_INTROS` or more introductions in the recent
window are left out.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

WORD_WEIGHT = 0.75
CHAR_WEIGHT = 0.25
CONCEPT_REPEAT = 2  # a concept counts as this many words (meaning over spelling)
CANDIDATES = 12  # offer phrases kept per need phrase before rescoring
CAL_A = 8.7
CAL_B = -3.7
CHUNK = 4096  # distinct need phrases per sparse product
VERSION = "2"  # bump when a change here alters matches: stored matches are then rebuilt
MAX_PHRASES = 12  # phrases per text (a pasted essay should not dominate)
MAX_RECENT_INTROS = 3
RELATION_FLOOR = 0.3
STAGE_FACTOR = {"identified": 0.6, "connected": 0.85, "nurturing": 1.0, "productive": 1.0}

_FILLER = """a about above after again all also am an any anyone anything are as at be been
    before being better between both but by can could do does doing done each else etc
    every few for from get gets getting give go going good great has have having he her
    him his how i if in into is it its just let like looking look looks lot lots make me
    more most much my need needed needing needs new next no not now of off on one only
    or other our ours out over own people person please really seek seeking so some
    someone somebody something such than that the their them then there these they this
    those through to too try trying up us very want wanted wants was way ways we well
    were what when where which who whom why will with would year years you your yours
    find finding found help helps helping helped happy able interested month months week
    weeks day days time thing things currently soon right and or must many think thinking
    idea ideas nobody keep keeps kind sort"""
STOPWORDS = frozenset(_FILLER.split())

_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#&]*")
_SPLIT = re.compile(r"[;\n]|\.(?:\s|$)|\s(?:and|or|&|as well as|plus)\s", re.IGNORECASE)
# Suffix rules, tried in order; (suffix, replacement, shortest result allowed).
_RULES = (
    ("ies", "y", 3), ("sses", "ss", 3), ("xes", "x", 2), ("ches", "ch", 3), ("shes", "sh", 3),
    ("ments", "", 4), ("ment", "", 4), ("ations", "at", 4), ("ation", "at", 4),
    ("ancy", "", 5), ("ants", "", 5), ("ant", "", 5), ("ings", "", 3), ("ing", "", 3),
    ("ers", "", 4), ("er", "", 4), ("ors", "", 4), ("or", "", 4), ("ed", "", 3), ("s", "", 3),
)  # fmt: skip


def fold(text: str) -> str:
    """Lower case without accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# Words the stemmer would merge with a different word ("customer" / "customs").
_KEEP = {"customer": "customer", "customers": "customer", "news": "news"}


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light, deterministic suffix stemmer (two passes of :data:`_RULES`, then a
    final silent "e" dropped): enough to make plural, -ing, -er and -ment forms meet."""
    if word in _KEEP:
        return _KEEP[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    for _ in range(2):
        for suffix, repl, shortest in _RULES:
            if not word.endswith(suffix) or len(word) - len(suffix) + len(repl) < shortest:
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            if suffix == "ed" and word.endswith("eed"):
                continue
            word = word[: -len(suffix)] + repl
            break
        else:
            break
    if len(word) >= 4 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The content words of ``text``: folded, tokenised, filler words removed."""
    return [
        w
        for w in _TOKEN.findall(fold(text).replace("-", " ").replace("/", " "))
        if w not in STOPWORDS and (len(w) > 1 or w.isdigit())
    ]


@cache
def vocabulary() -> dict[tuple[str, ...], frozenset[str]]:
    """The concept table: stemmed word sequence → concepts it belongs to."""
    table: dict[tuple[str, ...], set[str]] = {}
    text = resources.files("goodwill.core").joinpath("data/terms.txt").read_text("utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        concept, _, listed = line.partition(":")
        for term in listed.split(","):
            raw = _TOKEN.findall(fold(term).replace("-", " "))
            key = tuple(stem(w) for w in words(term))
            # A term that loses a filler word would match too broadly ("us market").
            if key and len(key) == len(raw):
                table.setdefault(key, set()).add(concept.strip())
    return {k: frozenset(v) for k, v in table.items()}


@dataclass(frozen=True)
class Analysis:
    """A phrase after normalisation: its content words, stems and concepts."""

    words: tuple[str, ...]
    stems: tuple[str, ...]
    concepts: Mapping[str, tuple[str, ...]]  # concept → the words that evoked it

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.stems) | frozenset(self.concepts)

    @property
    def tokens(self) -> list[str]:
        """What the term model sees (concepts marked so they never collide with stems)."""
        return list(self.stems) + ["~" + c for c in self.concepts] * CONCEPT_REPEAT


@lru_cache(maxsize=200_000)
def analyse(phrase: str) -> Analysis:
    ws = words(phrase)
    stems = [stem(w) for w in ws]
    table = vocabulary()
    concepts: dict[str, list[str]] = {}
    for n in (3, 2, 1):
        for i in range(len(stems) - n + 1):
            for concept in table.get(tuple(stems[i : i + n]), ()):
                concepts.setdefault(concept, []).extend(ws[i : i + n])
    return Analysis(
        words=tuple(ws),
        stems=tuple(stems),
        concepts={c: tuple(dict.fromkeys(v)) for c, v in sorted(concepts.items())},
    )


def terms(text: str) -> frozenset[str]:
    """The normalised terms of a text (stems and concepts): the vocabulary of explanations."""
    found: frozenset[str] = frozenset()
    for phrase in split_phrases(text):
        found |= analyse(phrase).terms
    return found


def split_phrases(text: str) -> list[str]:
    """``text`` cut into phrases (see the module docstring); commas inside
    parentheses do not cut. At most :data:`MAX_PHRASES`, each with a content word."""
    pieces: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    phrases: list[str] = []
    for piece in pieces:
        for part in _SPLIT.split(piece):
            part = " ".join(part.split()).strip(" -–:")
            if part.count("(") > part.count(")"):
                part += ")"
            if part and words(part) and part not in phrases:
                phrases.append(part)
    return phrases[:MAX_PHRASES]


@dataclass(frozen=True)
class Profile:
    """What matching knows about one person."""

    id: int
    needs: str = ""
    offers: str = ""


@dataclass(frozen=True)
class Match:
    """``need_id`` needs something ``offer_id`` offers."""

    need_id: int
    offer_id: int
    score: float  # calibrated, 0..1
    need: str  # the matched need phrase
    offer: str  # the matched offer phrase
    shared_terms: tuple[str, ...]  # normalised terms in both phrases, rarest first
    links: tuple[tuple[str, str, str], ...] = field(default=())  # (concept, need word, offer word)


@cache
def fingerprint() -> str:
    """Identifies the matcher's behaviour (its :data:`VERSION` and the term table)."""
    table = resources.files("goodwill.core").joinpath("data/terms.txt").read_bytes()
    return f"{VERSION}-{hashlib.sha256(table).hexdigest()[:12]}"


def calibrate(raw: np.ndarray | float) -> Any:
    """Platt scaling of the raw similarity (see the module docstring)."""
    return 1.0 / (1.0 + np.exp(-(CAL_A * np.asarray(raw, dtype=np.float64) + CAL_B)))


class Matcher:
    """Fitted on a whole network; scores everyone (:meth:`match_all`) or one person
    against everyone (:meth:`match_person`).

    Each distinct phrase is analysed and vectorised once, with its number of
    occurrences as its weight in the document frequencies, so the TF-IDF vectors are
    those of fitting every phrase of the network, and a phrase that many people
    share ("bookkeeping and tax returns") costs one row in the sparse products."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self.need_owner: list[int] = []
        self.need_text: list[str] = []
        self.offer_owner: list[int] = []
        self.offer_text: list[str] = []
        for p in profiles:
            for phrase in split_phrases(p.needs or ""):
                self.need_owner.append(p.id)
                self.need_text.append(phrase)
            for phrase in split_phrases(p.offers or ""):
                self.offer_owner.append(p.id)
                self.offer_text.append(phrase)
        self._need_owner = np.asarray(self.need_owner, dtype=np.int64)
        self._offer_owner = np.asarray(self.offer_owner, dtype=np.int64)
        self._explained: dict[tuple[int, int], tuple[tuple[str, ...], tuple[Any, ...]]] = {}
        if not self.need_text or not self.offer_text:
            return
        distinct: dict[str, int] = {}
        self._need_u = np.fromiter(
            (distinct.setdefault(t, len(distinct)) for t in self.need_text), dtype=np.int64
        )
        self._offer_u = np.fromiter(
            (distinct.setdefault(t, len(distinct)) for t in self.offer_text), dtype=np.int64
        )
        self._phrases = list(distinct)
        times = np.bincount(np.concatenate([self._need_u, self._offer_u]))
        from sklearn.feature_extraction.text import CountVectorizer  # ~1 s: only when fitting

        analyses = [analyse(t) for t in self._phrases]
        terms_cv = CountVectorizer(analyzer=_identity, lowercase=False)
        self._term, idf = _tfidf(terms_cv.fit_transform([a.tokens for a in analyses]), times)
        chars_cv = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5))
        self._char, _ = _tfidf(chars_cv.fit_transform([" ".join(a.words) for a in analyses]), times)
        # A stem and a concept may share a name ("cloud"): keep the rarer, whatever the order.
        self._idf: dict[str, float] = {}
        for tok, i in terms_cv.vocabulary_.items():
            key = tok.lstrip("~")
            self._idf[key] = max(self._idf.get(key, 0.0), float(idf[i]))

    def match_all(self, *, per_person: int = 5, min_score: float = 0.3) -> list[Match]:
        """For every person with needs, the best ``per_person`` people whose offers meet them."""
        rows = np.arange(len(self.need_text))
        cols = np.arange(len(self.offer_text))
        return self._matches(rows, cols, per_person=per_person, min_score=min_score)

    def match_person(
        self, person_id: int, *, per_person: int = 5, min_score: float = 0.3
    ) -> list[Match]:
        """Only ``person_id``'s pairs: their needs against everyone's offers, and everyone's
        needs against their offers (incremental: nobody else's pairs are scored)."""
        mine_n = np.flatnonzero(self._need_owner == person_id)
        mine_o = np.flatnonzero(self._offer_owner == person_id)
        found = self._matches(
            mine_n, np.arange(len(self.offer_text)), per_person=per_person, min_score=min_score
        )
        found += self._matches(
            np.arange(len(self.need_text)), mine_o, per_person=per_person, min_score=min_score
        )
        found.sort(key=_order)
        return found

    # --- the vectorised core -------------------------------------------------

    def _candidates(
        self, rows: np.ndarray, cols: np.ndarray, min_score: float
    ) -> tuple[np.ndarray, ...]:
        """(need row, offer col, term cosine) of the best CANDIDATES offers per need phrase,
        best first, ties by the offering person's id, never the needing person's own.

        Scored per distinct phrase: the best offers of a distinct need phrase are its
        best distinct offer phrases expanded to the rows that carry them; keeping
        CANDIDATES + MAX_PHRASES of them leaves CANDIDATES for every need row once its
        owner's own offers are dropped. A pair whose term cosine is too low to reach
        ``min_score`` even with a perfect character cosine is dropped before sorting
        (exact, not a heuristic)."""
        floor = 0.0
        if 0 < min_score < 1:
            logit = math.log(min_score / (1 - min_score))
            floor = max(0.0, ((logit - CAL_B) / CAL_A - CHAR_WEIGHT) / WORD_WEIGHT)
        keep = CANDIDATES + MAX_PHRASES
        # Offer rows grouped by distinct phrase, each group in (owner, row) order.
        order = np.lexsort((cols, self._offer_owner[cols], self._offer_u[cols]))
        g_cols = cols[order]
        offer_u, g_start, g_count = np.unique(
            self._offer_u[g_cols], return_index=True, return_counts=True
        )
        wo_t = self._term[offer_u].T.tocsc()
        # Need rows grouped by distinct phrase.
        need_u = self._need_u[rows]
        by_phrase = np.argsort(need_u, kind="stable")
        need_uniq, n_start, n_count = np.unique(
            need_u[by_phrase], return_index=True, return_counts=True
        )
        out_r: list[np.ndarray] = []
        out_c: list[np.ndarray] = []
        out_w: list[np.ndarray] = []
        for first in range(0, len(need_uniq), CHUNK):
            chunk = need_uniq[first : first + CHUNK]
            prod = (self._term[chunk] @ wo_t).tocsr()
            for i in range(len(chunk)):
                lo, hi = prod.indptr[i], prod.indptr[i + 1]
                strong = prod.data[lo:hi] > floor
                if not strong.any():
                    continue
                vs = prod.indices[lo:hi][strong]
                ws = np.round(prod.data[lo:hi][strong], 5)
                best = np.argsort(-ws, kind="stable")
                vs, ws = vs[best], ws[best]
                enough = int(np.searchsorted(np.cumsum(g_count[vs]), keep))
                if enough < len(vs):  # ... and every phrase tied with the last one kept
                    enough = int(np.searchsorted(-ws, -ws[enough], side="right"))
                vs, ws = vs[:enough], ws[:enough]
                reps = g_count[vs]
                at = np.repeat(g_start[vs] - np.cumsum(reps) + reps, reps) + np.arange(reps.sum())
                c, w = g_cols[at], np.repeat(ws, reps)
                top = np.lexsort((c, self._offer_owner[c], -w))[:keep]
                c, w = c[top], w[top]
                k = first + i
                need_rows = rows[by_phrase[n_start[k] : n_start[k] + n_count[k]]]
                mask = self._need_owner[need_rows][:, None] != self._offer_owner[c][None, :]
                ri, ci = np.nonzero(mask & (np.cumsum(mask, axis=1) <= CANDIDATES))
                out_r.append(need_rows[ri])
                out_c.append(c[ci])
                out_w.append(w[ci])
        if not out_r:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float32)
        return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_w)

    def _char_cosine(self, r: np.ndarray, c: np.ndarray) -> np.ndarray:
        """Character cosine of each (need row, offer row) pair, once per distinct pair."""
        n = len(self._phrases)
        key = self._need_u[r] * n + self._offer_u[c]
        pairs, back = np.unique(key, return_inverse=True)
        a, b = self._char[pairs // n], self._char[pairs % n]
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()[back.ravel()]

    def _matches(
        self, rows: np.ndarray, cols: np.ndarray, *, per_person: int, min_score: float
    ) -> list[Match]:
        if not len(rows) or not len(cols) or not self.need_text or not self.offer_text:
            return []
        r, c, w = self._candidates(rows, cols, min_score)
        if not len(r):
            return []
        char = self._char_cosine(r, c)
        # Rounded so that float noise from input order never reorders ties.
        score = np.round(calibrate(np.round(WORD_WEIGHT * w + CHAR_WEIGHT * char, 5)), 6)
        a, b = self._need_owner[r], self._offer_owner[c]
        keep = score >= min_score
        r, c, a, b, score = r[keep], c[keep], a[keep], b[keep], score[keep]
        # Best phrase pair per person pair, then the best per_person per needing person.
        order = np.lexsort((c, r, -score, b, a))
        r, c, a, b, score = r[order], c[order], a[order], b[order], score[order]
        first = np.ones(len(a), dtype=bool)
        first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        r, c, a, b, score = r[first], c[first], a[first], b[first], score[first]
        order = np.lexsort((b, -score, a))
        r, c, a, b, score = r[order], c[order], a[order], b[order], score[order]
        start = np.searchsorted(a, a, side="left")
        top = (np.arange(len(a)) - start) < per_person
        found = [
            self._explain(int(ri), int(ci), float(si))
            for ri, ci, si in zip(r[top], c[top], score[top], strict=True)
        ]
        found.sort(key=_order)
        return found

    def _explain(self, row: int, col: int, score: float) -> Match:
        need, offer = self.need_text[row], self.offer_text[col]
        pair = (int(self._need_u[row]), int(self._offer_u[col]))
        if pair not in self._explained:
            an, ao = analyse(need), analyse(offer)
            shared = sorted(an.terms & ao.terms, key=lambda t: (-self._idf.get(t, 0.0), t))
            links = tuple(
                (concept, " ".join(an.concepts[concept]), " ".join(ao.concepts[concept]))
                for concept in sorted(set(an.concepts) & set(ao.concepts))
            )
            self._explained[pair] = (tuple(shared[:6]), links)
        shared_terms, links = self._explained[pair]
        return Match(
            need_id=self.need_owner[row],
            offer_id=self.offer_owner[col],
            score=round(score, 3),
            need=need,
            offer=offer,
            shared_terms=shared_terms,
            links=links,
        )


def _tfidf(counts: Any, times: np.ndarray) -> tuple[Any, np.ndarray]:
    """TF-IDF rows (sublinear tf, smoothed idf, L2-normalised, float32) of distinct
    phrases, each occurring ``times[i]`` times: ``idf = ln((1 + n) / (1 + df)) + 1``
    with ``n`` and ``df`` counted over every occurrence."""
    x = counts.tocsr().astype(np.float64)
    seen = x.copy()
    seen.data[:] = 1.0
    df = np.asarray(seen.T @ times.astype(np.float64)).ravel()
    idf = np.log((1.0 + times.sum()) / (1.0 + df)) + 1.0
    x.data = (1.0 + np.log(x.data)) * idf[x.indices]
    norms = np.sqrt(
        np.bincount(
            np.repeat(np.arange(x.shape[0]), np.diff(x.indptr)),
            weights=x.data**2,
            minlength=x.shape[0],
        )
    )
    x.data /= np.repeat(np.where(norms > 0, norms, 1.0), np.diff(x.indptr))
    return x.astype(np.float32), idf


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _order(m: Match) -> tuple[float, int, int]:
    return (-m.score, m.need_id, m.offer_id)


def match_all(
    profiles: Sequence[Profile], *, per_person: int = 5, min_score: float = 0.3
) -> list[Match]:
    """Every person's best matches across the network (the public entry point for benches)."""
    return Matcher(profiles).match_all(per_person=per_person, min_score=min_score)


# --- ranking by relationship ---------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """What ranking needs to know about a person's relationship with us."""

    id: int
    stage: str
    health: int | None = None  # 0..100
    recent_intros: int = 0  # introductions they were part of in the recent window


@dataclass(frozen=True)
class Ranked:
    match: Match
    relationship: float
    rank: float


def relationship(a: Standing, b: Standing) -> float:
    """How well placed we are to introduce ``a`` and ``b`` (module docstring), 0..1."""
    ha = max(0.0, min(1.0, (a.health or 0) / 100))
    hb = max(0.0, min(1.0, (b.health or 0) / 100))
    warmth = RELATION_FLOOR + (1 - RELATION_FLOOR) * math.sqrt(ha * hb)
    return warmth * STAGE_FACTOR.get(a.stage, 0.0) * STAGE_FACTOR.get(b.stage, 0.0)


def rank(
    matches: Iterable[Match],
    standing: Mapping[int, Standing],
    *,
    introduced: set[frozenset[int]] | frozenset[frozenset[int]] = frozenset(),
    max_recent: int = MAX_RECENT_INTROS,
) -> list[Ranked]:
    """Matches worth suggesting, best first: ``rank = score * relationship``; let-go
    or unknown people, pairs in ``introduced`` and overloaded providers are left out."""
    ranked = []
    for m in matches:
        a, b = standing.get(m.need_id), standing.get(m.offer_id)
        if a is None or b is None or m.need_id == m.offer_id:
            continue
        if frozenset((m.need_id, m.offer_id)) in introduced or b.recent_intros >= max_recent:
            continue
        rel = relationship(a, b)
        if rel <= 0:
            continue
        ranked.append(Ranked(match=m, relationship=round(rel, 3), rank=round(m.score * rel, 3)))
    ranked.sort(key=lambda x: (-x.rank, -x.match.score, x.match.need_id, x.match.offer_id))
    return ranked
