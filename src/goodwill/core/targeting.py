"""Learn whom to target from relationships that became productive versus those
let go, and score prospects by fit.

Each person is a set of ``attribute=value`` facts (source, role, industry,
event, the three qualification answers, organization size, introduced
yes/no). Only *decided* relationships teach: productive (a success) and let_go
(a failure). For each attribute=value A with ``n`` decided people having A
(``k`` of them productive) and ``m`` decided people without A (``j``
productive)::

    rate        = k / n                       (with a Wilson interval)
    lift        = (k / n) / (j / m)           how many times as often people
                                              with A became productive as those
                                              without (a risk ratio)
    lift CI     = exp(ln lift ± z·sqrt(1/k − 1/n + 1/j − 1/m))   (Katz);
                  a zero count gets 0.5 added to each cell first (Haldane)
    z           = the normal quantile for 99 % confidence, Bonferroni-corrected
                  for the number of values tested (so random outcomes do not
                  produce "findings": a false lead costs real evenings)
    significant = enough data and the lift CI excludes 1
    enough data = n ≥ MIN_SUPPORT and m ≥ MIN_SUPPORT, and at least
                  MIN_DECIDED decided people in all

Criteria are listed significant-and-positive first (by the CI's lower bound),
then the rest by lift.

Fit of a prospect (identified or connected) combines the criteria it meets,
shrunk toward "no effect" when the support is small::

    fit = exp( Σ  ln(lift_A) · n_A / (n_A + SHRINK) )   over A with enough data

fit 1.0 means "as likely as anyone"; 2.0 "twice as likely"; the reasons are
the criteria that contributed most.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

MIN_SUPPORT = 5
MIN_DECIDED = 20
SHRINK = 10.0
CONFIDENCE = 0.99


@dataclass(frozen=True)
class Example:
    person_id: int
    facts: frozenset[tuple[str, str]]
    productive: bool | None  # True productive, False let_go, None undecided


@dataclass(frozen=True)
class Finding:
    attribute: str
    value: str
    support: int  # decided people with this value
    productive: int
    rate: float
    rate_low: float
    rate_high: float
    lift: float
    lift_low: float
    lift_high: float
    enough_data: bool
    significant: bool


@dataclass(frozen=True)
class Learned:
    decided: int
    productive: int
    base_rate: float | None
    enough_data: bool
    message: str
    findings: list[Finding]


@dataclass(frozen=True)
class Fit:
    person_id: int
    fit: float
    why: list[str]


def wilson(k: int, n: int, z: float) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def risk_ratio(k: int, n: int, j: int, m: int, z: float) -> tuple[float, float, float]:
    """(lift, low, high): the risk ratio (k/n)/(j/m) with a Katz log interval."""
    if 0 in (k, j) or k == n or j == m:
        k2, n2, j2, m2 = k + 0.5, n + 1.0, j + 0.5, m + 1.0
    else:
        k2, n2, j2, m2 = float(k), float(n), float(j), float(m)
    rr = (k2 / n2) / (j2 / m2)
    se = math.sqrt(1 / k2 - 1 / n2 + 1 / j2 - 1 / m2)
    return rr, rr * math.exp(-z * se), rr * math.exp(z * se)


def learn(examples: Iterable[Example]) -> Learned:
    """Findings for every attribute=value seen among decided people."""
    decided = [e for e in examples if e.productive is not None]
    total = len(decided)
    wins = sum(1 for e in decided if e.productive)
    counts: dict[tuple[str, str], list[int]] = {}
    for e in decided:
        for fact in e.facts:
            c = counts.setdefault(fact, [0, 0])
            c[0] += 1
            c[1] += 1 if e.productive else 0
    enough_overall = total >= MIN_DECIDED and 0 < wins < total
    tested = [f for f, (n, _) in counts.items() if n >= MIN_SUPPORT and total - n >= MIN_SUPPORT]
    z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / (2 * max(1, len(tested))))
    findings = []
    for (attribute, value), (n, k) in counts.items():
        m, j = total - n, wins - k
        enough = enough_overall and n >= MIN_SUPPORT and m >= MIN_SUPPORT
        lift, low, high = risk_ratio(k, n, j, m, z) if m else (1.0, 0.0, math.inf)
        r_low, r_high = wilson(k, n, z)
        findings.append(
            Finding(
                attribute=attribute,
                value=value,
                support=n,
                productive=k,
                rate=k / n,
                rate_low=r_low,
                rate_high=r_high,
                lift=lift,
                lift_low=low,
                lift_high=high,
                enough_data=enough,
                significant=enough and (low > 1 or high < 1),
            )
        )
    findings.sort(
        key=lambda f: (
            not (f.significant and f.lift > 1),
            -(f.lift_low if f.significant and f.lift > 1 else f.lift),
            -f.support,
            f.attribute,
            f.value,
        )
    )
    if total < MIN_DECIDED or not 0 < wins < total:
        message = (
            f"too little data: {total} decided relationships ({wins} productive); "
            f"at least {MIN_DECIDED} with both outcomes are needed to learn anything"
        )
    elif not any(f.significant for f in findings):
        message = "no attribute clearly predicts a productive relationship yet"
    else:
        message = ""
    return Learned(
        decided=total,
        productive=wins,
        base_rate=wins / total if total else None,
        enough_data=enough_overall,
        message=message,
        findings=findings,
    )


def score(examples: Iterable[Example], learned: Learned) -> list[Fit]:
    """Fit of each example (best first), from the findings with enough data."""
    usable = {(f.attribute, f.value): f for f in learned.findings if f.enough_data}
    fits = []
    for e in examples:
        parts = []
        for fact in e.facts:
            f = usable.get(fact)
            if f is None:
                continue
            weight = math.log(f.lift) * f.support / (f.support + SHRINK)
            parts.append((weight, f))
        parts.sort(key=lambda p: (-abs(p[0]), p[1].attribute, p[1].value))
        why = [
            f"{f.attribute}={f.value}: {'×' if w >= 0 else '÷'}"
            f"{math.exp(abs(w)):.1f} (lift {f.lift:.1f}, {f.support} people)"
            for w, f in parts[:3]
            if abs(w) >= 0.05
        ]
        fits.append(Fit(e.person_id, math.exp(sum(w for w, _ in parts)), why))
    fits.sort(key=lambda f: (-f.fit, f.person_id))
    return fits


def top_criteria(learned: Learned, attributes: Iterable[str], limit: int = 2) -> list[Finding]:
    """The best significant positive findings, one per attribute, among ``attributes``."""
    allowed = set(attributes)
    chosen: list[Finding] = []
    for f in learned.findings:
        if not (f.significant and f.lift > 1) or f.attribute not in allowed:
            continue
        if any(c.attribute == f.attribute for c in chosen):
            continue
        chosen.append(f)
        if len(chosen) == limit:
            break
    return chosen
