"""Money: Decimal amounts kept per currency, never added across currencies.

An amount is a ``Decimal`` with two places; a currency is an ISO 4217 code
from :data:`CURRENCIES` (active codes, without precious metals, funds and test
codes). Totals are ``dict[currency, Decimal]``: there is no exchange rate in
goodwill, so 100 USD and 100 EUR stay two numbers. Where one currency must be
picked (a chart, a correlation), :func:`main_currency` is the one with the
largest total, ties broken alphabetically, so the choice is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

_CODES = """
    AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
    ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD
    IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD
    MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD
    OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
    SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
    UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """
CURRENCIES: frozenset[str] = frozenset(_CODES.split())
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

Totals = dict[str, Decimal]


def is_currency(code: str) -> bool:
    return code in CURRENCIES


def add(totals: Totals, currency: str, amount: Decimal) -> None:
    """Add ``amount`` to ``totals[currency]`` in place (exact Decimal arithmetic)."""
    totals[currency] = totals.get(currency, ZERO) + amount


def total(pairs: Iterable[tuple[str, Decimal]]) -> Totals:
    """Per-currency totals of ``(currency, amount)`` pairs."""
    out: Totals = {}
    for currency, amount in pairs:
        add(out, currency, amount)
    return out


def ordered(totals: Mapping[str, Decimal]) -> Totals:
    """The same totals, largest first (then by code), so output is stable."""
    return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))


def main_currency(totals: Mapping[str, Decimal], default: str = "USD") -> str:
    """The currency with the largest total; ``default`` when there is none."""
    if not totals:
        return default
    return next(iter(ordered(totals)))


def share(part: Decimal, whole: Decimal) -> float:
    """``part / whole`` rounded to 4 places, 0 when ``whole`` is 0 (a ratio, not money)."""
    return round(float(part / whole), 4) if whole else 0.0


def fmt(amount: Decimal, currency: str) -> str:
    """``12,000.00 USD`` — two decimals, thousands separators, the code after."""
    return f"{amount.quantize(CENT):,} {currency}"
