"""Units at the edges: read what a person writes, format results for display.

The library computes in one unit per quantity (watts, watt-hours, hours or
seconds, FLOP, FLOP/s, kilograms, litres, currency units). This module is the
only place that knows about MW, TWh or days: :func:`parse` turns "1 GW",
"90 days" or "989 TFLOP/s" into a number in a target unit, :func:`to_unit`
rescales numbers (or arrays) for display axes, :func:`format_value` turns one
number into the text every display shows ("150 MW", "54.3 days", "41.0%",
"$1.22M"), with :func:`format_header` for the header of a column of such
cells, and the ``format_*`` functions are the per-quantity formatters it uses.

Reading rules (shared by every target unit):

- A number with an optional sign (``+``, ``-`` or the Unicode minus ``−``),
  optional thousands separators (``100,000`` or ``100_000``, digits grouped in
  threes), an optional decimal point (always ``.``) and an optional exponent
  (``3.8e25``, ``3.8 × 10^25``, ``3.8×10²⁵``; a power of ten alone, ``10^9``
  or ``10⁹``, is a number too), then optionally a unit. Whitespace between
  them is optional; non-breaking and thin spaces count as spaces, and the
  text is NFKC-normalised first (so "m³" reads as "m3", "CO₂" as "CO2").
- Superscript digits are exponents, never digits: "10²⁵" is 10²⁵, not 1025.
  They are read only after a lone 10 ("3.8×10²⁵", "10⁻³"); after any other
  number ("5²", "110²") they are refused. After a letter they belong to the
  unit ("m³").
- In counts only, digits may also be grouped in threes by spaces ("100 000",
  "24 576", with ordinary, thin or narrow no-break spaces), and what is
  counted may follow ("16k GPUs", "24,576 H100", "1.5 million GPUs",
  "405B parameters"). A count with '.' grouping ("1.234.567") is refused with
  the ',' spelling suggested. A count of accelerators (a field named "gpus")
  must be whole: "24.576" is refused, suggesting "24,576" in case '.' was a
  thousands separator.
- A bare number is taken to be in the target unit: ``parse("700", "W")`` is
  700 W, ``parse("2160", "h")`` is 2160 h.
- Unit symbols are read case-insensitively ("gw", "Kwh", "tflops") except for
  the letter m/M: "M" is mega (10⁶) and a leading lower-case "m" (milli,
  10⁻³) is rejected with a hint, because milliwatts, milli-FLOP or millilitres
  are never what a person means here. "MT" is refused as ambiguous (metric
  ton in many US reports, megatonne in SI); "Mt" is a megatonne and "t" a
  metric ton.
- NaN and infinity are rejected, including numbers that overflow to infinity
  ("1e400") once converted. Ranges are not checked here (validation happens
  elsewhere), so "-5 W" reads as -5.0.

Units accepted per kind (the canonical spelling first; spelled-out words such
as "megawatts", "hours", "exaflop" or "million" are accepted too):

    ========================  ===========================================================
    kind (base unit)          units
    ========================  ===========================================================
    power (W)                 W, kW, MW, GW, TW
    energy (Wh)               Wh, kWh, MWh, GWh, TWh; J, mJ, kJ, MJ, GJ (1 J = 1/3600 Wh)
    duration (s; also h)      s, min, h, days, weeks, months (730 h), years (8760 h)
    FLOP amount (FLOP)        FLOP, kFLOP, ..., YFLOP; FLOP/s-day, ..., PFLOP/s-day, ...
    FLOP rate (FLOP/s)        FLOP/s, kFLOP/s, ..., YFLOP/s, also TFLOPS-style
    count                     k (thousand), M (million), B/bn (billion), T (trillion),
                              then optionally GPUs, accelerators, H100, parameters, ...
    token rate (tokens/s)     [k, M, B] then optionally tokens/s, tok/s, tokens per second
    ratio                     plain number, x or × (1.1x reads as 1.1), % (40% as 0.4)
    mass (kg)                 g, kg, t, kt, Mt (MMT), Gt, optionally "CO2"/"CO2e"
    volume (L)                L, kL, ML, GL, m3 / m³, thousand/million/billion m³
    carbon intensity (kg/kWh) mass/energy, e.g. kg/kWh, g/kWh, t/MWh, kg CO2e/kWh
    water intensity (L/kWh)   volume/energy, e.g. L/kWh, L/MWh, m3/MWh
    energy price ($/kWh)      [currency]/energy, e.g. 0.08, $0.08/kWh, 80 USD/MWh, 8 ¢/kWh
    capital per power ($/W)   [currency][k, M, B]/power, e.g. $12/W, $12M/MW, $12B/GW, $12,000/kW
    money ($)                 [currency][k, M, B, T], e.g. $1.2M, 456k, 12.3 bn EUR; a sign
                              before or after the symbol ("-$5", "$-5")
    data (B), data rate (B/s) B, kB, MB, GB, TB, PB, KiB, ..., TiB (bytes, never bits), a
                              bare k, M, G, T; with /s for a rate, e.g. 3.35 TB/s, 320 KiB
    ========================  ===========================================================

"FLOPs" and "FLOPS" are read as whatever the target asks for (an amount for
the "FLOP" target, a rate for "FLOP/s"), since both uses are common in
writing; an explicit "FLOP" is always an amount and "FLOP/s" always a rate.
A FLOP/s-day ("PFLOP/s-day", "petaflop/s-days") is an amount: the rate kept
up for a day, so 1 PFLOP/s-day is 10¹⁵ × 86,400 FLOP.
A month is defined as 730 h (one twelfth of a 365-day year) and a year as
8760 h (365 days, no leap day). Prices are currency-agnostic: a leading
currency symbol ($, €, £, ¥, ...) or a three-letter code (USD, EUR; a known
ISO 4217 code in any case, "usd") is allowed and ignored; cents ("¢",
"cents") are a hundredth of the currency unit.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

from estimator import fields

if TYPE_CHECKING:  # numpy.typing costs ~20 ms at import; annotations only
    from numpy.typing import ArrayLike

__all__ = [
    "DAYS_PER_WEEK",
    "DAYS_PER_YEAR",
    "HOURS_PER_DAY",
    "HOURS_PER_MONTH",
    "HOURS_PER_WEEK",
    "HOURS_PER_YEAR",
    "KG_PER_TONNE",
    "LITRES_PER_CUBIC_METRE",
    "MINUTES_PER_HOUR",
    "SECONDS_PER_DAY",
    "SECONDS_PER_HOUR",
    "SECONDS_PER_MINUTE",
    "SECONDS_PER_YEAR",
    "WH_PER_GWH",
    "WH_PER_KWH",
    "WH_PER_MWH",
    "WH_PER_TWH",
    "format_count",
    "format_duration",
    "format_energy",
    "format_flop",
    "format_flop_rate",
    "format_header",
    "format_mass",
    "format_money",
    "format_power",
    "format_value",
    "format_volume",
    "parse",
    "to_unit",
]

SECONDS_PER_MINUTE = 60
MINUTES_PER_HOUR = 60
SECONDS_PER_HOUR = 3600
HOURS_PER_DAY = 24
SECONDS_PER_DAY = SECONDS_PER_HOUR * HOURS_PER_DAY  # 86,400
DAYS_PER_WEEK = 7
HOURS_PER_WEEK = HOURS_PER_DAY * DAYS_PER_WEEK  # 168
DAYS_PER_YEAR = 365
"""A year is 365 days here (no leap day): the convention of annual energy figures."""
HOURS_PER_YEAR = HOURS_PER_DAY * DAYS_PER_YEAR  # 8,760
SECONDS_PER_YEAR = SECONDS_PER_HOUR * HOURS_PER_YEAR  # 31,536,000
HOURS_PER_MONTH = HOURS_PER_YEAR // 12  # 730: one twelfth of a 365-day year
WH_PER_KWH = 1000
WH_PER_MWH = 1000 * WH_PER_KWH
WH_PER_GWH = 1000 * WH_PER_MWH
WH_PER_TWH = 1000 * WH_PER_GWH
KG_PER_TONNE = 1000
LITRES_PER_CUBIC_METRE = 1000

# Decimal arithmetic makes "1.1 GW" exactly 1.1e9 (one correct rounding at the
# end) and never raises: overflow becomes Infinity, which is then rejected.
_EXACT = Context(prec=60, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])
_MAX_TEXT_IN_MESSAGE = 60
_CURRENCY_SYMBOLS = "$€£¥₹₩₽₺₪₫฿₦₱₴"

_SI_SYMBOLS = {"": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18, "Z": 21, "Y": 24}
_SI_WORDS = {
    "": 0, "kilo": 3, "mega": 6, "giga": 9, "tera": 12, "peta": 15, "exa": 18, "zetta": 21, "yotta": 24,
}  # fmt: skip


class _UnitError(Exception):
    """Internal: a unit text that a kind cannot read; ``reason`` completes the message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Kind:
    """One kind of quantity: how its units are spelled and what they are worth.

    ``aliases`` maps each accepted spelling (exact case) to its factor in the
    base unit and its canonical spelling. Look-up tries the exact spelling,
    then rejects a milli prefix, then tries the case-folded spelling.
    """

    def __init__(self, name, noun, base, examples, valid, aliases, *, milli=(), ambiguous=None,
                 currency=False):  # fmt: skip
        self.name = name
        self.noun = noun
        self.base = base
        self.examples = examples
        self.valid = valid
        self.aliases = {k: (Fraction(f), c) for k, (f, c) in aliases.items()}
        self.folded = {}
        for spelling, entry in self.aliases.items():
            self.folded.setdefault(spelling.casefold(), entry)
        self.milli = frozenset(milli)
        self.ambiguous = dict(ambiguous or {})
        self.currency = currency

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        """Return (factor in the base unit, canonical spelling) of ``unit``."""
        if unit in self.aliases:
            return self.aliases[unit]
        if unit in self.ambiguous:
            raise _UnitError(f"{unit!r} is ambiguous; {self.ambiguous[unit]}")
        if strict:
            raise _UnitError("")
        if unit[:1] == "m" and unit[1:].casefold() in self.milli:
            hint = ""
            mega = self.folded.get(("M" + unit[1:]).casefold())
            if mega is not None:
                hint = f"; write {mega[1]!r} for mega (10⁶)"
            raise _UnitError(f"the prefix 'm' in {unit!r} means milli (10⁻³), which is never meant here{hint}")
        entry = self.folded.get(unit.casefold())
        if entry is None:
            raise _UnitError("")
        return entry

    def suggestions(self) -> list[str]:
        return list(self.aliases)


class _PerEnergyKind(_Kind):
    """An intensity: a numerator kind per unit of energy, e.g. kg/kWh or L/MWh."""

    _GAS = re.compile(r"\s*-?\s*co2(?:\s*-?\s*(?:e|eq|equiv|equivalent))?$", re.IGNORECASE)

    def __init__(self, name, noun, base, examples, valid, numerator, *, gas=False):
        super().__init__(name, noun, base, examples, valid, {})
        self.numerator = numerator
        self.gas = gas
        self.pool = [f"{n}/{d}" for n in numerator.aliases if n for d in ("Wh", "kWh", "MWh")]

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        parts = re.split(r"\s*/\s*|\s+per\s+", unit, flags=re.IGNORECASE)
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise _UnitError("")
        top = self._GAS.sub("", parts[0]) if self.gas else parts[0]
        n_factor, n_name = self.numerator.resolve(top, strict)
        e_factor, e_name = _ENERGY.resolve(parts[1], strict)
        return n_factor * WH_PER_KWH / e_factor, f"{n_name}/{e_name}"

    def suggestions(self) -> list[str]:
        return self.pool


class _PriceKind(_Kind):
    """An energy price: an optional currency, then an optional '/kWh' or 'per MWh'.

    A currency is a symbol, an upper-case three-letter code that is not a
    power or energy unit ('KWH' is not a currency), or a known ISO 4217 code
    in any case ('usd', 'Eur'). Cents ('¢', 'cent', 'cents') are a hundredth
    of the currency unit: "8 ¢/kWh" is 0.08 per kWh.
    """

    _PATTERN = re.compile(
        rf"(?P<cur>[{_CURRENCY_SYMBOLS}]|[A-Za-z]{{3}}|¢|(?i:cents?))?\s*"
        r"(?:(?:/|(?i:per)\s)\s*(?P<den>.+))?"
    )

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        match = self._PATTERN.fullmatch(unit)
        if match is None:
            raise _UnitError("")
        cur, den = match["cur"], match["den"]
        scale = Fraction(1)
        if cur is not None and (cur == "¢" or cur.casefold() in ("cent", "cents")):
            scale = Fraction(1, 100)
        elif cur is not None and cur.isalpha() and not _is_currency_code(cur):
            raise _UnitError("")
        if den is None:
            if strict or scale != 1:
                raise _UnitError("")  # a lone currency names money, not a price
            return Fraction(1), "/kWh"
        e_factor, e_name = _ENERGY.resolve(den, strict)
        return scale * WH_PER_KWH / e_factor, f"/{e_name}"

    def suggestions(self) -> list[str]:
        return ["/kWh", "/MWh", "$/kWh", "$/MWh", "USD/kWh", "EUR/MWh", "¢/kWh", "cents/kWh"]


# ISO 4217 codes read in any case ("usd/MWh"); other three-letter codes only in capitals.
_CURRENCY_CODES = frozenset(
    "usd eur gbp jpy cny rmb inr krw cad aud nzd chf sek nok dkk pln czk huf brl mxn ars clp cop "
    "zar ngn egp kes rub uah try ils aed sar qar sgd hkd twd thb myr idr php vnd pkr bdt".split()
)


def _is_currency_code(token: str) -> bool:
    """A three-letter currency code: upper case (and no power or energy unit), or a known code."""
    if len(token) != 3 or not token.isascii() or not token.isalpha():
        return False
    if token.casefold() in _CURRENCY_CODES:
        return True
    return token.isupper() and not _is_power_or_energy(token)


class _MoneyKind(_Kind):
    """An amount of money: a k/M/B/T scale with an optional currency symbol or code."""

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        tokens = unit.split(" ") if unit else []
        if tokens and tokens[0] and tokens[0] in _CURRENCY_SYMBOLS:
            tokens = tokens[1:]
        elif tokens and self._is_code(tokens[0]):
            tokens = tokens[1:]
        if tokens and (self._is_code(tokens[-1]) or (tokens[-1] and tokens[-1] in _CURRENCY_SYMBOLS)):
            tokens = tokens[:-1]
        return super().resolve(" ".join(tokens), strict)

    def _is_code(self, token: str) -> bool:
        return _is_currency_code(token) and token.casefold() not in self.folded


class _PerPowerMoneyKind(_Kind):
    """Capital per unit of power: an optional currency and scale, then '/W', '/kW', '/MW' or '/GW'.

    How builders quote a facility's cost: "$12/W", "12 USD/W", "$12M/MW",
    "$12B/GW" and "$12,000/kW" are all 12 per watt. The denominator is
    required: a lone "$12M" is an amount of money.
    """

    _PATTERN = re.compile(
        rf"(?P<cur>[{_CURRENCY_SYMBOLS}]|[A-Za-z]{{3}})?\s*"
        r"(?P<scale>k|K|M|B|bn|T|thousand|million|billion|trillion)?\s*"
        r"(?P<cur2>[A-Za-z]{3})?\s*(?:/|(?i:per)\s)\s*(?P<den>.+)"
    )

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        match = self._PATTERN.fullmatch(unit)
        if match is None:
            raise _UnitError("")
        for cur in (match["cur"], match["cur2"]):
            if cur is not None and cur.isalpha() and not _is_currency_code(cur):
                raise _UnitError("")
        scale = Fraction(1) if match["scale"] is None else _SCALE_ALIASES[match["scale"]][0]
        p_factor, p_name = _POWER.resolve(match["den"], strict)
        return scale / p_factor, f"/{p_name}"

    def suggestions(self) -> list[str]:
        return ["$/W", "/W", "$/kW", "$M/MW", "$B/GW", "USD/W", "EUR/kW"]


class _CountKind(_Kind):
    """A count: a k/M/B/T scale, then optionally what is counted ("16k GPUs", "24,576 H100").

    The counted noun is one of a short list (accelerators, GPUs, parameters,
    tokens, ...) or an accelerator model name such as H100, B200 or MI300X;
    it does not change the number.
    """

    _NOUN = re.compile(
        r"(?P<scale>.*?)\s*(?<![A-Za-z])(?:"
        r"(?:[A-Za-z]{1,3}[0-9]{2,4}[A-Za-z]{0,2}(?:\s+(?:SXM[0-9]?|PCIe|NVL[0-9]*|OAM))?s?)"
        r"(?:\s+(?:GPUs?|accelerators?|chips?|cards?))?"
        r"|(?:GPUs?|TPUs?|accelerators?|chips?|devices?|cards?|parameters?|params?|tokens?)"
        r")",
        re.IGNORECASE | re.ASCII,
    )

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        match = self._NOUN.fullmatch(unit)
        if match is not None:
            unit = match["scale"]
        return super().resolve(unit, strict)


class _MassKind(_Kind):
    """A mass, optionally of CO2 or CO2e: "10 t", "10 tCO2e", "5 kt CO2"."""

    GAS = re.compile(r"(?<=[A-Za-z])\s*-?\s*co2(?:\s*-?\s*(?:e|eq|equiv|equivalent))?$", re.IGNORECASE)

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        return super().resolve(self.GAS.sub("", unit), strict)


def _prefixed(symbols, words, prefixes, canonical_suffix=None):
    """Aliases for every prefix × spelling, e.g. 'kW', 'kilowatts'."""
    out = {}
    suffix = canonical_suffix or symbols[0]
    for prefix in prefixes:
        factor = Fraction(10) ** _SI_SYMBOLS[prefix]
        canonical = prefix + suffix
        for symbol in symbols:
            out[prefix + symbol] = (factor, canonical)
        word_prefix = next(w for w, e in _SI_WORDS.items() if e == _SI_SYMBOLS[prefix])
        for word in words:
            out[word_prefix + word] = (factor, canonical)
    return out


_POWER = _Kind(
    "power", "a power", "W", "'700 W', '150 MW', '1 GW'", "W, kW, MW, GW, TW",
    _prefixed(["W"], ["watt", "watts"], ["", "k", "M", "G", "T"]),
    milli={"w", "watt", "watts"},
)  # fmt: skip
# A joule is 1/3600 Wh. Energy per token is quoted in J and mJ (ML.ENERGY), so "mJ" is read as
# milli here, by its exact spelling only ("mj" stays MJ's, as every other lower-case m).
_JOULES = {spelling: (factor / SECONDS_PER_HOUR, canonical) for spelling, (factor, canonical) in _prefixed(
    ["J"], ["joule", "joules"], ["", "k", "M", "G", "T"]).items()}
_JOULES["mJ"] = (Fraction(1, 1000 * SECONDS_PER_HOUR), "mJ")
_JOULES["millijoules"] = _JOULES["millijoule"] = _JOULES["mJ"]
_ENERGY = _Kind(
    "energy", "an energy", "Wh", "'500 kWh', '8.76 TWh', '0.3 Wh', '1 kJ'", "Wh, kWh, MWh, GWh, TWh, J, kJ, MJ, GJ",
    {
        **_prefixed(
            ["Wh"],
            ["watt-hour", "watt-hours", "watt hour", "watt hours", "watthour", "watthours"],
            ["", "k", "M", "G", "T"],
        ),
        **_JOULES,
    },
    milli={"wh", "j", "joule", "joules"},
)  # fmt: skip

_DURATION_UNITS = {
    "s": (1, ["s", "sec", "secs", "second", "seconds"]),
    "min": (SECONDS_PER_MINUTE, ["min", "mins", "minute", "minutes"]),
    "h": (SECONDS_PER_HOUR, ["h", "hr", "hrs", "hour", "hours"]),
    "days": (SECONDS_PER_DAY, ["d", "day", "days"]),
    "weeks": (SECONDS_PER_HOUR * HOURS_PER_WEEK, ["wk", "wks", "week", "weeks"]),
    "months": (SECONDS_PER_HOUR * HOURS_PER_MONTH, ["mo", "mos", "month", "months"]),
    "years": (SECONDS_PER_YEAR, ["y", "yr", "yrs", "year", "years"]),
}
_DURATION = _Kind(
    "duration", "a duration", "s", "'90 days', '2160 h'",
    "s, min, h, days, weeks, months (730 h), years (8760 h)",
    {a: (f, c) for c, (f, spellings) in _DURATION_UNITS.items() for a in spellings},
    ambiguous={
        "m": "write 'min' for minutes or 'months' for months",
        "M": "write 'min' for minutes or 'months' for months",
    },
)  # fmt: skip
_ALL_SI = list(_SI_SYMBOLS)
# A FLOP/s-day (e.g. "PFLOP/s-day", OpenAI's "petaflop/s-days") is an amount of
# compute: the rate sustained for one day, 1 PFLOP/s-day = 10¹⁵ × 86,400 FLOP.
_FLOP_DAY_SYMBOLS = [
    f"{rate}{sep}{day}" for rate in ("FLOP/s", "FLOPS", "FLOPs") for sep in ("-", " ", "·")
    for day in ("day", "days")
]  # fmt: skip
_FLOP_DAY_WORDS = [f"flop/s{sep}{day}" for sep in ("-", " ") for day in ("day", "days")]
_FLOP_DAYS = {
    spelling: (factor * SECONDS_PER_DAY, canonical)
    for spelling, (factor, canonical) in _prefixed(
        _FLOP_DAY_SYMBOLS, _FLOP_DAY_WORDS, _ALL_SI, canonical_suffix="FLOP/s-day"
    ).items()
}
_FLOP = _Kind(
    "flop", "an amount of FLOP", "FLOP", "'3.8e25 FLOP', '38 YFLOP'",
    "FLOP, kFLOP, MFLOP, GFLOP, TFLOP, PFLOP, EFLOP, ZFLOP, YFLOP, or a FLOP/s-day (PFLOP/s-day = "
    "10¹⁵ FLOP/s for 86,400 s)",
    {**_prefixed(["FLOP", "FLOPs", "FLOPS"], ["flop", "flops"], _ALL_SI), **_FLOP_DAYS},
    milli={"flop", "flops", *(s.casefold() for s in _FLOP_DAY_SYMBOLS)},
)  # fmt: skip
_FLOP_RATE = _Kind(
    "flop_rate", "a FLOP rate", "FLOP/s", "'989 TFLOP/s', '2.5 PFLOPS'",
    "FLOP/s, kFLOP/s, MFLOP/s, GFLOP/s, TFLOP/s, PFLOP/s, EFLOP/s, ZFLOP/s, YFLOP/s (or TFLOPS-style)",
    _prefixed(
        ["FLOP/s", "FLOPS", "FLOPs", "FLOP/sec", "FLOPs/s"], ["flops", "flop/s", "flops/s"], _ALL_SI
    ),
    milli={"flop/s", "flops", "flop/sec", "flops/s"},
)  # fmt: skip

class _DataKind(_Kind):
    """An amount of data or a data rate in bytes: decimal (kB, MB, GB, TB, PB) and binary (KiB, MiB, GiB, TiB).

    Spelled in bytes only: a lower-case 'b' is a bit (a factor of 8), so 'Gb/s' is refused, not read as GB/s.
    """

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        bare = unit.removesuffix("/s") if self.base == "B/s" else unit
        if bare.endswith("b") and not bare.casefold().endswith("byte") and bare not in self.aliases:
            raise _UnitError(f"{unit!r} counts bits; write {(bare[:-1] + 'B' + unit[len(bare):])!r} for bytes "
                             "(8 bits each)")
        return super().resolve(unit, strict)


def _bytes(suffix: str) -> dict[str, tuple[Fraction, str]]:
    """Byte units with decimal and binary prefixes, each followed by ``suffix`` ("" or "/s")."""
    out = {f"{p}B{suffix}": (Fraction(10) ** _SI_SYMBOLS[p], f"{p}B{suffix}") for p in ("", "k", "M", "G", "T", "P")}
    out[f"KB{suffix}"] = out[f"kB{suffix}"]
    out.update({f"{p}iB{suffix}": (Fraction(2) ** (10 * (i + 1)), f"{p}iB{suffix}")
                for i, p in enumerate(("K", "M", "G", "T"))})
    out.update({f"byte{suffix}": (Fraction(1), f"B{suffix}"), f"bytes{suffix}": (Fraction(1), f"B{suffix}")})
    # A bare scale ("3.35T", as a datasheet's table writes it) is read in bytes too.
    out.update({p: out[f"{p}B{suffix}"] for p in ("k", "M", "G", "T", "P")})
    out["K"] = out["k"]
    return out


_DATA = _DataKind(
    "data", "an amount of data", "B", "'320 KiB', '80 GB'", "B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB (bytes)",
    _bytes(""), milli={"b", "byte", "bytes"},
)  # fmt: skip
_DATA_RATE = _DataKind(
    "data_rate", "a data rate", "B/s", "'3.35 TB/s', '900 GB/s'",
    "B/s, kB/s, MB/s, GB/s, TB/s, PB/s, KiB/s, MiB/s, GiB/s, TiB/s (bytes per second)",
    _bytes("/s"), milli={"b/s", "byte/s", "bytes/s"},
)  # fmt: skip

_SCALES = {
    "": (1, [""]),
    "k": (10**3, ["k", "K", "thousand", "thousands"]),
    "M": (10**6, ["M", "million", "millions", "mn", "mln", "mio"]),
    "B": (10**9, ["B", "bn", "billion", "billions"]),
    "T": (10**12, ["T", "tn", "trillion", "trillions"]),
}
_SCALE_ALIASES = {a: (f, c) for c, (f, spellings) in _SCALES.items() for a in spellings}
_M_IS_AMBIGUOUS = {"m": "write 'M' or 'million' for millions"}
_COUNT = _CountKind(
    "count", "a count", "", "'100,000', '100k', '1.2 million'",
    "a plain number, k (thousand), M (million), B or bn (billion), T (trillion), optionally "
    "followed by what is counted ('16k GPUs', '24,576 H100', '405B parameters')",
    _SCALE_ALIASES, ambiguous=_M_IS_AMBIGUOUS,
)  # fmt: skip
class _TokenRateKind(_Kind):
    """A serving throughput in tokens per second: a k/M/B scale, then optionally "tokens/s".

    "3k tokens/s", "3,000 tok/s", "1.5M tokens per second" and a bare "3k" are all read; the
    noun is optional because a throughput field already says what is counted.
    """

    _PATTERN = re.compile(
        r"(?P<scale>k|K|M|B|bn|thousand|million|billion)?\s*"
        r"(?:(?:tokens?|toks?)\s*(?:/|(?i:per)\s)\s*(?:s|sec|secs|second|seconds))?",
    )

    def resolve(self, unit: str, strict: bool = False) -> tuple[Fraction, str]:
        match = self._PATTERN.fullmatch(unit)
        if match is None or not unit:
            raise _UnitError("")
        return (Fraction(1) if match["scale"] is None else _SCALE_ALIASES[match["scale"]][0]), "tokens/s"

    def suggestions(self) -> list[str]:
        return ["tokens/s", "k tokens/s", "tok/s", "tokens per second"]


_MONEY = _MoneyKind(
    "money", "an amount of money", "", "'$1.2M', '456k', '12.3 bn EUR'",
    "a plain number, k (thousand), M (million), B or bn (billion), T (trillion), "
    "with an optional currency symbol or code",
    _SCALE_ALIASES, ambiguous=_M_IS_AMBIGUOUS, currency=True,
)  # fmt: skip
_TOKEN_RATE = _TokenRateKind(
    "token_rate", "a token rate", "tokens/s", "'3000', '3k tokens/s', '20k tok/s'",
    "tokens/s (tok/s, tokens per second), optionally after k (thousand), M (million) or B (billion), or a "
    "plain number", {},
)  # fmt: skip
_RATIO = _Kind(
    "ratio", "a ratio", "", "'1.2', '1.1x', '40%'", "a plain number, x or × (1.1x is 1.1), or % (40% is 0.4)",
    {
        "": (1, ""), "x": (1, ""), "×": (1, ""), "times": (1, ""),
        "%": (Fraction(1, 100), "%"), "percent": (Fraction(1, 100), "%"),
    },
)  # fmt: skip
_MT_IS_AMBIGUOUS = {
    "MT": "it means metric ton (1,000 kg) in many US reports but megatonne (10⁹ kg) in SI; "
    "write 't' or 'tonnes' for metric tons, 'Mt' or 'MMT' for megatonnes",
}
_MASS = _MassKind(
    "mass", "a mass", "kg", "'500 kg', '12 kt', '10 t CO2e', '1.2 Mt'",
    "g, kg, t, kt, Mt (MMT), Gt, optionally followed by CO2 or CO2e ('10 tCO2e')",
    {
        "metric ton": (10**3, "t"), "metric tons": (10**3, "t"), "metric tonne": (10**3, "t"),
        "metric tonnes": (10**3, "t"), "MMT": (10**9, "Mt"),
        "g": (Fraction(1, 1000), "g"), "gram": (Fraction(1, 1000), "g"), "grams": (Fraction(1, 1000), "g"),
        "kg": (1, "kg"), "kilogram": (1, "kg"), "kilograms": (1, "kg"),
        "t": (10**3, "t"), "tonne": (10**3, "t"), "tonnes": (10**3, "t"),
        "kt": (10**6, "kt"), "kilotonne": (10**6, "kt"), "kilotonnes": (10**6, "kt"),
        "Mt": (10**9, "Mt"), "megatonne": (10**9, "Mt"), "megatonnes": (10**9, "Mt"),
        "Gt": (10**12, "Gt"), "gigatonne": (10**12, "Gt"), "gigatonnes": (10**12, "Gt"),
    },
    milli={"g", "t"}, ambiguous=_MT_IS_AMBIGUOUS,
)  # fmt: skip
_VOLUME = _Kind(
    "volume", "a volume", "L", "'300 L', '5 m³', '1.2 million m³'",
    "L, kL, ML, GL, m³ (m3), thousand m³, million m³, billion m³",
    {
        "L": (1, "L"), "l": (1, "L"), "litre": (1, "L"), "litres": (1, "L"), "liter": (1, "L"),
        "liters": (1, "L"),
        "kL": (10**3, "kL"), "ML": (10**6, "ML"), "GL": (10**9, "GL"),
        "m3": (10**3, "m³"), "cubic metre": (10**3, "m³"), "cubic metres": (10**3, "m³"),
        "cubic meter": (10**3, "m³"), "cubic meters": (10**3, "m³"),
        "thousand m3": (10**6, "thousand m³"), "million m3": (10**9, "million m³"),
        "billion m3": (10**12, "billion m³"),
    },
    milli={"l", "litre", "litres", "liter", "liters"},
)  # fmt: skip
_CARBON = _PerEnergyKind(
    "carbon_intensity", "a carbon intensity", "kg/kWh", "'0.4 kg/kWh', '400 g/kWh'",
    "mass per energy, e.g. kg/kWh, g/kWh, t/MWh (optionally 'kg CO2e/kWh')", _MASS, gas=True,
)  # fmt: skip
_WATER = _PerEnergyKind(
    "water_intensity", "a water intensity", "L/kWh", "'0.3 L/kWh', '300 L/MWh'",
    "volume per energy, e.g. L/kWh, L/MWh, m3/MWh", _VOLUME,
)  # fmt: skip
_PRICE = _PriceKind(
    "price", "an energy price", "/kWh", "'0.08', '$0.08/kWh', '80 USD/MWh'",
    "an optional currency then /kWh, /MWh or /Wh, e.g. $/kWh, USD/MWh", {}, currency=True,
)  # fmt: skip

_CAPITAL_PER_POWER = _PerPowerMoneyKind(
    "capital_per_power", "a cost per watt", "$/W", "'12', '$12/W', '$12B/GW', '$12,000/kW'",
    "an optional currency and scale, then /W, /kW, /MW or /GW, e.g. $/W, USD/kW, $M/MW", {}, currency=True,
)  # fmt: skip

# Order matters for target names: 'FLOPS' names a rate, 'T' a count.
_KINDS = (
    _POWER, _ENERGY, _DURATION, _FLOP_RATE, _FLOP, _CARBON, _WATER, _PRICE, _CAPITAL_PER_POWER, _MASS, _VOLUME,
    _RATIO, _COUNT, _MONEY, _TOKEN_RATE, _DATA, _DATA_RATE,
)  # fmt: skip
# Kinds whose units are a bare scale letter tell nothing about dimension, so they
# are not used to say "a count was given" when another kind was expected.
# Bytes are not witnesses either: 'B' is a billion in a count, and '5 B' in a duration is a typo more often.
_WITNESS_KINDS = tuple(k for k in _KINDS if k not in (_COUNT, _MONEY, _TOKEN_RATE, _DATA, _DATA_RATE))
_TARGET_NAMES = {"count": (_COUNT, Fraction(1)), "ratio": (_RATIO, Fraction(1)), "$": (_MONEY, Fraction(1)),
                 "$/W": (_CAPITAL_PER_POWER, Fraction(1)), "tokens/s": (_TOKEN_RATE, Fraction(1)),
                 "B": (_DATA, Fraction(1)), "B/s": (_DATA_RATE, Fraction(1))}
_TARGETS_HELP = (
    "W, Wh, h, s, FLOP, FLOP/s, count, ratio, kg/kWh, L/kWh, $/kWh, $/W, kg, L, $, J, tokens/s, B, B/s "
    "or any unit they accept, e.g. MW, TWh, days, TFLOP/s, t, m3"
)

_NUMBER = re.compile(
    r"""
    (?P<sign>[+-]?)\s*
    (?:(?P<currency>[""" + _CURRENCY_SYMBOLS + r"""])\s*(?P<sign_after>[+-]?)\s*)?  # "-$5" and "$-5"
    (?:
        10\s*(?:\^|\*\*)\s*(?P<pow10>[+-]?[0-9]+)  # a power of ten alone: "10^9", "10⁹"
    |
        (?P<mantissa>[0-9][0-9_,]*(?:\.[0-9]*)?|\.[0-9]+)
        (?:[eE](?P<exp>[+-]?[0-9]+)|\s*[x×*·]\s*10\s*(?:\^|\*\*)\s*(?P<exp10>[+-]?[0-9]+))?
    )
    \s*(?P<unit>.*)
    """,
    re.VERBOSE | re.ASCII | re.DOTALL,
)
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPTS, "0123456789+-")
_SUPERSCRIPT_RUN = re.compile(f"[{_SUPERSCRIPTS}]+")
# "10" standing alone as the base of a power: at the start, or after a space, a sign,
# a currency symbol or a multiplication sign (not "110²" or "2.10²").
_BASE_TEN = re.compile(r"(?:^|(?<=[\s+\-−x×*·(" + _CURRENCY_SYMBOLS + r"]))10\s*$")
# Digits grouped in threes by single spaces ("100 000", "24 576"), read in counts only.
_SPACE_GROUPED = re.compile(r"^([+-]?\s*[0-9]{1,3})((?: [0-9]{3})+)(?=$| |\.[0-9])", re.ASCII)
# A count such as "24.576" or "1.234.567": a '.' that may be a European thousands separator.
_DOT_GROUPED = re.compile(r"[+-]?\s*[0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9.])", re.ASCII)
_DOT_THOUSANDS = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}", re.ASCII)
# Fields that count accelerators: their value must be a whole number.
_WHOLE_FIELDS = frozenset({"gpus", "accelerators", "num_gpus", "n_gpus", "gpu_count"})
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*", re.ASCII)
_NON_FINITE = re.compile(r"[+-]?\s*(?:nan|inf|infinity)\b", re.IGNORECASE)


def _shorten(text: str) -> str:
    if len(text) <= _MAX_TEXT_IN_MESSAGE:
        return repr(text)
    return repr(text[: _MAX_TEXT_IN_MESSAGE - 3] + "...")


def _is_power_or_energy(unit: str) -> bool:
    return any(_can_resolve(kind, unit, strict=False) for kind in (_POWER, _ENERGY))


def _can_resolve(kind: _Kind, unit: str, strict: bool) -> bool:
    try:
        kind.resolve(unit, strict)
    except _UnitError:
        return False
    return True


def _witness(unit: str, target: _Kind) -> _Kind | None:
    """Another kind that reads ``unit`` (exact spelling first), to say what was given."""
    others = [k for k in _WITNESS_KINDS if k is not target]
    for strict in (True, False):
        if not strict and len(unit) < 2:
            break  # a lone 'g' or 'T' is more likely a typo than a mass or a trillion
        for kind in others:
            if _can_resolve(kind, unit, strict):
                return kind
    return None



def _resolve_target(unit: str) -> tuple[_Kind, Fraction]:
    """Kind and factor (in the kind's base unit) of a target unit name such as 'W' or 'days'."""
    if not isinstance(unit, str):
        raise TypeError(f"unit must be a str such as 'W' or 'h' (got {type(unit).__name__})")
    name = " ".join(unicodedata.normalize("NFKC", unit).split())
    if name in _TARGET_NAMES:
        return _TARGET_NAMES[name]
    if name:
        for strict in (True, False):
            for kind in _KINDS:
                try:
                    return kind, kind.resolve(name, strict)[0]
                except _UnitError:
                    pass
    raise ValueError(f"unknown unit {unit!r} (valid: {_TARGETS_HELP})")


def _cannot_read(field: str, text: str, kind: _Kind, reason: str) -> ValueError:
    return ValueError(f"{field}: cannot read {_shorten(text)} as {kind.noun} ({reason})")


def _unknown_unit(field: str, text: str, unit: str, kind: _Kind) -> ValueError:
    message = f"{field}: unknown unit {_shorten(unit)} in {_shorten(text)} (valid: {kind.valid})"
    pool = kind.suggestions()
    best = fields.closest(unit[:40], [p for p in pool if p])
    if best:
        try:
            best = kind.resolve(best)[1] or best
        except _UnitError:
            pass
        message += f"; did you mean {best!r}?"
    return ValueError(message)


def _superscripts(text: str) -> str | None:
    """``text`` with superscript exponents of ten written with '^' ("10²⁵" → "10^25").

    Returns None if a superscript follows a number other than a lone 10
    ("5²", "110²"), which is refused: NFKC would otherwise read "10²⁵" as 1025.
    A superscript after a letter ("m³") is a unit and is left to NFKC.
    """
    out = []
    last = 0
    for run in _SUPERSCRIPT_RUN.finditer(text):
        before = text[last : run.start()]
        head = "".join(out) + before
        if _BASE_TEN.search(head):
            out.append(before.rstrip() + "^" + run.group().translate(_FROM_SUPERSCRIPT))
        elif head.rstrip()[-1:].isdigit() or head.rstrip()[-1:] == ".":
            return None
        else:
            out.append(before + run.group())
        last = run.end()
    out.append(text[last:])
    return "".join(out)


def _european(number: str) -> str:
    """'24.576' → '24,576': the number read with '.' as a thousands separator."""
    return number.replace(" ", "").lstrip("+-").replace(".", ",")


#: Redundancy levels a person may write for the ``redundancy`` field: installed ÷ needed power-equipment
#: capacity, N+1 with 4 modules (1 + 1/4); give a number for another module count.
REDUNDANCY_LEVELS: dict[str, float] = {"N": 1.0, "N+1": 1.25, "2N": 2.0}


def _names_redundancy(field: str) -> bool:
    head = re.match(r"[-\s]*([A-Za-z_][A-Za-z0-9_]*)", field)
    return head is not None and head[1].casefold() == "redundancy"


def _counts_accelerators(field: str) -> bool:
    """Whether ``field`` names a number of accelerators ("gpus", "--gpus", "gpus low")."""
    head = re.match(r"[-\s]*([A-Za-z_][A-Za-z0-9_]*)", field)
    return head is not None and head[1].casefold() in _WHOLE_FIELDS


def _number_value(field: str, text: str, kind: _Kind, match: re.Match) -> Decimal:
    """The number in ``match`` as an exact Decimal, its separators checked."""
    if match["pow10"] is not None:
        return _with_exponent(field, text, kind, "1", match["pow10"])
    mantissa = match["mantissa"]
    whole = mantissa.split(".")[0]
    if whole and not _GROUPED.fullmatch(whole):
        raise _cannot_read(
            field, text, kind,
            f"cannot read the number {mantissa!r}: group digits in threes ('100,000' or '100_000') "
            "and use '.' for decimals",
        )  # fmt: skip
    digits = mantissa.replace(",", "").replace("_", "")
    if digits.endswith("."):
        digits += "0"
    exponent = match["exp"] if match["exp"] is not None else match["exp10"]
    if exponent is None:
        return Decimal(digits)
    return _with_exponent(field, text, kind, digits, exponent)


def _with_exponent(field: str, text: str, kind: _Kind, digits: str, exponent: str) -> Decimal:
    """``digits`` × 10^``exponent`` as an exact Decimal (0 or an error beyond any exponent)."""
    sign, magnitude = (exponent[0], exponent[1:]) if exponent[0] in "+-" else ("+", exponent)
    magnitude = magnitude.lstrip("0") or "0"
    if len(magnitude) > 15:
        # Beyond any Decimal exponent: the value is 0 or overflows, whatever the mantissa.
        if Decimal(digits) == 0 or sign == "-":
            return Decimal(0)
        raise _cannot_read(field, text, kind, "the number overflows to infinity; NaN and infinity are not allowed")
    return Decimal(f"{digits}e{sign}{magnitude}")


def parse(text: str | float, unit: str, field: str | None = None) -> float:
    """Read a quantity written by a person, such as "1 GW" or "90 days", in ``unit``.

    Parameters
    ----------
    text : str or real number
        What the person wrote: a number with an optional unit ("700 W",
        "1.5GW", "90 days", "3.8e25", "989 TFLOP/s", "100k", "40%",
        "$0.08/kWh"). A bare number is taken to be in ``unit``. A real number
        (int, float, numpy scalar) is passed through unchanged as a float, in
        ``unit``. See the module docstring for every accepted spelling.
    unit : str
        The target unit: "W", "Wh", "h", "s", "FLOP", "FLOP/s", "count",
        "ratio", "kg/kWh", "L/kWh", "$/kWh", "kg", "L" or "$" (an amount of
        money), or any unit of the same kind that :func:`parse` accepts
        ("MW", "TWh", "days", "TFLOP/s", "t", "m3", "/MWh").
    field : str, optional
        The name of the input, used to begin every error message; "value" if
        not given.

    Returns
    -------
    float
        The quantity in ``unit``; always finite. Ranges are not checked. [unit]

    Raises
    ------
    TypeError
        If ``text`` is neither a str nor a real number (bool is rejected too),
        or ``unit`` is not a str.
    ValueError
        If ``text`` cannot be read as a quantity of the kind of ``unit``, is
        NaN or infinite, or overflows to infinity in ``unit``; or ``unit`` is
        unknown. The message names the field, the text and the rule, with a
        close valid spelling suggested where there is one.

    Notes
    -----
    The number and the unit factors are combined in exact decimal arithmetic
    and rounded to float once, so "1.1 GW" is exactly ``1.1e9`` and
    "90 days" in "h" is exactly 2160.

    Examples
    --------
    >>> parse("1 GW", "W")
    1000000000.0
    >>> parse("90 days", "h")
    2160.0
    >>> parse("989 TFLOP/s", "FLOP/s")
    989000000000000.0
    >>> parse("100,000", "count")
    100000.0
    >>> parse("3.8×10²⁵ FLOP", "FLOP")
    3.8e+25
    >>> parse("16k GPUs", "count", field="gpus")
    16000.0
    >>> parse("8 ¢/kWh", "$/kWh")
    0.08
    >>> parse("40%", "ratio")
    0.4
    >>> parse(700, "W")
    700.0
    """
    kind, target_factor = _resolve_target(unit)
    name = "value" if field is None else str(field)
    if isinstance(text, (bool, np.bool_)):
        raise TypeError(f"{name} must be a number or a str such as {kind.examples} (got {text!r})")
    if isinstance(text, numbers.Real):
        try:
            number = float(text)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ValueError(f"{name} must be a finite number (got {text!r})")
        return number
    if not isinstance(text, str):
        raise TypeError(
            f"{name} must be a number or a str such as {kind.examples} (got {type(text).__name__})"
        )

    powers = _superscripts(text)
    if powers is None:
        raise _cannot_read(
            name, text, kind,
            "superscript digits are read only as the exponent of a lone 10: write '3.8×10²⁵' or '3.8e25'",
        )  # fmt: skip
    clean = " ".join(unicodedata.normalize("NFKC", powers).replace("−", "-").split())
    if not clean:
        raise _cannot_read(name, text, kind, f"it is empty; expected e.g. {kind.examples}")
    if kind is _RATIO and _names_redundancy(name) and "N" in clean.upper():
        level = clean.upper().replace(" ", "")  # "2N", "N+1": the planners' spelling
        if level not in REDUNDANCY_LEVELS:
            raise _cannot_read(name, text, kind, "write N, N+1 (4 modules: 1.25) or 2N, or a number such as 1.5")
        return REDUNDANCY_LEVELS[level]
    whole_count = kind is _COUNT and _counts_accelerators(name)
    if kind is _COUNT:
        clean = _SPACE_GROUPED.sub(lambda m: m[1] + m[2].replace(" ", ""), clean, count=1)
        dotted = _DOT_GROUPED.match(clean)
        if dotted is not None:
            raise _cannot_read(
                name, text, kind,
                f"'.' is the decimal point, not a thousands separator; write "
                f"{_european(dotted[0])!r} or {_european(dotted[0]).replace(',', '')!r}",
            )  # fmt: skip
    match = _NUMBER.fullmatch(clean)
    if match is None:
        if _NON_FINITE.match(clean):
            raise _cannot_read(name, text, kind, "NaN and infinity are not allowed")
        raise _cannot_read(name, text, kind, f"no number found; expected e.g. {kind.examples}")
    unit_text = match["unit"]
    if unit_text[:1] in ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ".", ",", "_"):
        raise _cannot_read(
            name, text, kind,
            "cannot read the number: write one number, digits grouped in threes ('100,000' or "
            f"'100_000') and '.' for decimals; expected e.g. {kind.examples}",
        )  # fmt: skip
    if match["sign"] and match["sign_after"]:
        raise _cannot_read(name, text, kind, "two signs; write one, before the number or the currency symbol")
    if match["currency"] and not kind.currency:
        raise _cannot_read(name, text, kind, f"a currency amount was given; expected e.g. {kind.examples}")
    value = _number_value(name, text, kind, match)

    if not unit_text:
        ratio = Fraction(1)  # a bare number is in the target unit
    else:
        try:
            factor, _ = kind.resolve(unit_text)
        except _UnitError as error:
            if error.reason:
                raise _cannot_read(name, text, kind, error.reason) from None
            witness = _witness(unit_text, kind)
            if witness is not None:
                raise _cannot_read(
                    name, text, kind, f"{witness.noun} was given; expected e.g. {kind.examples}"
                ) from None
            raise _unknown_unit(name, text, unit_text, kind) from None
        ratio = factor / target_factor
    exact = _EXACT.divide(_EXACT.multiply(value, Decimal(ratio.numerator)), Decimal(ratio.denominator))
    result = float(exact)
    if not math.isfinite(result):
        raise _cannot_read(
            name, text, kind, f"the number overflows to infinity in {unit}; NaN and infinity are not allowed"
        )
    mantissa = match["mantissa"] or ""
    # Only "24.576"-like counts are refused: a '.' that may separate thousands is ambiguous. Other
    # fractional counts are the library's to accept, the same at every door.
    if (whole_count and not result.is_integer() and _DOT_THOUSANDS.fullmatch(mantissa)
            and match["exp"] is None and match["exp10"] is None):
        european = _european(mantissa)
        rule = (f"a number of accelerators must be a whole number, and '.' is the decimal point "
                f"(got {result:,.10g}); if '.' separates thousands, write {european!r} or "
                f"{european.replace(',', '')!r}")
        raise _cannot_read(name, text, kind, rule)
    return -result if "-" in (match["sign"], match["sign_after"]) else result


def to_unit(value: ArrayLike, unit: str, from_unit: str | None = None) -> float | np.ndarray:
    """Express ``value`` in a display unit, e.g. watts in GW or seconds in days.

    Parameters
    ----------
    value : numeric
        The quantity, in ``from_unit``. [from_unit]
    unit : str
        The display unit: any unit name :func:`parse` accepts ("GW", "MW",
        "TWh", "days", "h", "years", "EFLOP/s", "t", "Mt", "m3", "%", "k",
        "$/MWh", ...).
    from_unit : str, optional
        The unit of ``value``; by default the library's base unit of the same
        kind: W, Wh, s, FLOP, FLOP/s, kg, L, kg/kWh, L/kWh, currency/kWh, or 1
        for counts and ratios. Note that durations default to seconds: pass
        ``from_unit="h"`` for the ``hours`` input.

    Returns
    -------
    float or numpy.ndarray
        ``value`` in ``unit``; a float for scalar input. [unit]

    Raises
    ------
    ValueError
        If a unit name is unknown or the two units measure different kinds.

    Notes
    -----
    Plain multiplication by an exact factor: ``value × from / to``, with
    ``from`` and ``to`` the units' sizes in the base unit.

    Examples
    --------
    >>> to_unit(1e9, "GW")
    1.0
    >>> to_unit(2160, "days", from_unit="h")
    90.0
    >>> to_unit(0.4, "%")
    40.0
    """
    to_kind, to_factor = _resolve_target(unit)
    if from_unit is None:
        from_kind, from_factor = to_kind, Fraction(1)
    else:
        from_kind, from_factor = _resolve_target(from_unit)
    if from_kind is not to_kind:
        raise ValueError(
            f"cannot convert {from_kind.noun} ({from_unit!r}) to {to_kind.noun} ({unit!r})"
        )
    ratio = from_factor / to_factor
    # Multiply by the numerator then divide by the denominator (both exact
    # integers below 2**53 for every unit here) so that 1e9 W is exactly 1 GW.
    result = np.asarray(value, dtype=float) * float(ratio.numerator) / float(ratio.denominator)
    return float(result) if result.ndim == 0 else result


_FLOATS = (float, np.float64)


def _finite(value, function: str) -> float:
    if type(value) in _FLOATS:  # the common case, without the abstract-class checks below
        if not math.isfinite(value):
            raise ValueError(f"{function} expects a finite number (got {value!r})")
        return float(value)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{function} expects a real number (got {type(value).__name__})")
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or not np.issubdtype(value.dtype, np.number):
            raise TypeError(f"{function} expects a scalar (got an array of shape {value.shape})")
        value = value.item()
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{function} expects a finite number (got {value!r})")
    return number


def _round_sig(number: float, digits: int) -> Decimal:
    """``number`` rounded to ``digits`` significant figures, exactly, half to even."""
    return Context(prec=digits, rounding=ROUND_HALF_EVEN).plus(Decimal(number))


def _mantissa_text(mantissa: Decimal, digits: int, strip: bool = False) -> str:
    """Fixed-point text of a rounded mantissa; scientific beyond 10⁻⁴ .. 10⁶."""
    exponent = mantissa.adjusted()
    if -4 <= exponent < 6:
        text = f"{mantissa:,.{max(0, digits - 1 - exponent)}f}"
        if strip and "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return _scientific(mantissa, digits, strip)


def _scientific(rounded: Decimal, digits: int, strip: bool = False) -> str:
    exponent = rounded.adjusted()
    text = f"{rounded.scaleb(-exponent):.{digits - 1}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}e{exponent}"


def _format_ladder(value, ladder, function: str, digits: int = 3) -> tuple[str, str, str]:
    """Sign, mantissa text and label of ``value`` on a ladder of (size, label) steps of 1000."""
    number = _finite(value, function)
    if number == 0:
        return "", "0", ladder[0][1]
    rounded = abs(_round_sig(number, digits))
    size, label = ladder[0]
    for step_size, step_label in ladder:
        if rounded >= step_size:
            size, label = step_size, step_label
    mantissa = _EXACT.divide(rounded, Decimal(size))
    return ("-" if number < 0 else ""), _mantissa_text(mantissa, digits), label


def _join(value, ladder, function: str) -> str:
    sign, mantissa, label = _format_ladder(value, ladder, function)
    return f"{sign}{mantissa} {label}"


def _si_ladder(symbol: str, prefixes: str) -> list[tuple[int, str]]:
    return [(10 ** _SI_SYMBOLS[p], p + symbol) for p in ["", *prefixes]]


_POWER_LADDER = _si_ladder("W", "kMGT")
_ENERGY_LADDER = _si_ladder("Wh", "kMGT")
_JOULE_LADDER = _si_ladder("J", "kMGT")
_FLOP_RATE_LADDER = _si_ladder("FLOP/s", "kMGTPEZY")
_MASS_LADDER = [(1, "kg"), (10**3, "t"), (10**6, "kt"), (10**9, "Mt"), (10**12, "Gt")]
_VOLUME_LADDER = [
    (1, "L"), (10**3, "m³"), (10**6, "thousand m³"), (10**9, "million m³"), (10**12, "billion m³"),
]  # fmt: skip
_MONEY_LADDER = [(1, ""), (10**3, "k"), (10**6, "M"), (10**9, "B"), (10**12, "T")]
#: format_value's units shown on a ladder of prefixes.
_LADDERS = {"W": _POWER_LADDER, "Wh": _ENERGY_LADDER, "J": _JOULE_LADDER, "FLOP/s": _FLOP_RATE_LADDER,
            "kg": _MASS_LADDER, "kg CO2e": _MASS_LADDER, "L": _VOLUME_LADDER}  # fmt: skip


def format_power(watts: float) -> str:
    """Format a power for display: "700 W", "10.2 kW", "150 MW", "1.00 GW".

    Parameters
    ----------
    watts : float
        Power. [W]

    Returns
    -------
    str
        Three significant figures, with the prefix (W, kW, MW, GW, TW) that
        puts the mantissa in [1, 1000); "0 W" for zero. Beyond 1000 TW the
        mantissa grows ("5,000 TW").

    Raises
    ------
    TypeError
        If ``watts`` is not a real scalar.
    ValueError
        If ``watts`` is NaN or infinite.

    Examples
    --------
    >>> format_power(1e9)
    '1.00 GW'
    >>> format_power(10_200)
    '10.2 kW'
    """
    return _join(watts, _POWER_LADDER, "format_power")


def format_energy(wh: float) -> str:
    """Format an energy for display: "500 Wh", "12.3 MWh", "8.76 TWh".

    Parameters
    ----------
    wh : float
        Energy. [Wh]

    Returns
    -------
    str
        Three significant figures in Wh, kWh, MWh, GWh or TWh.

    Raises
    ------
    TypeError
        If ``wh`` is not a real scalar.
    ValueError
        If ``wh`` is NaN or infinite.

    Examples
    --------
    >>> format_energy(8.76e12)
    '8.76 TWh'
    """
    return _join(wh, _ENERGY_LADDER, "format_energy")


def format_flop_rate(flop_per_s: float) -> str:
    """Format a compute rate for display: "989 TFLOP/s", "16.2 EFLOP/s".

    Parameters
    ----------
    flop_per_s : float
        Compute rate. [FLOP/s]

    Returns
    -------
    str
        Three significant figures with an SI prefix from none to Y (10²⁴).

    Raises
    ------
    TypeError
        If ``flop_per_s`` is not a real scalar.
    ValueError
        If ``flop_per_s`` is NaN or infinite.

    Examples
    --------
    >>> format_flop_rate(989e12)
    '989 TFLOP/s'
    """
    return _join(flop_per_s, _FLOP_RATE_LADDER, "format_flop_rate")


def format_mass(kg: float) -> str:
    """Format a mass for display: "500 kg", "12.3 t", "4.56 kt", "1.20 Mt".

    The caller adds what is weighed ("t CO2e" is shown by the caller's label).

    Parameters
    ----------
    kg : float
        Mass. [kg]

    Returns
    -------
    str
        Three significant figures in kg, t, kt, Mt or Gt.

    Raises
    ------
    TypeError
        If ``kg`` is not a real scalar.
    ValueError
        If ``kg`` is NaN or infinite.

    Examples
    --------
    >>> format_mass(1.2e9)
    '1.20 Mt'
    """
    return _join(kg, _MASS_LADDER, "format_mass")


def format_volume(litres: float) -> str:
    """Format a volume of water for display: "300 L", "5.00 m³", "1.20 million m³".

    Parameters
    ----------
    litres : float
        Volume. [L]

    Returns
    -------
    str
        Three significant figures in L, m³ (1000 L), thousand m³, million m³
        or billion m³.

    Raises
    ------
    TypeError
        If ``litres`` is not a real scalar.
    ValueError
        If ``litres`` is NaN or infinite.

    Examples
    --------
    >>> format_volume(2.5e6)
    '2.50 thousand m³'
    """
    return _join(litres, _VOLUME_LADDER, "format_volume")


def format_money(amount: float, currency: str = "$") -> str:
    """Format an amount of money for display: "$123", "$1,220", "$1.22M", "$12.3B".

    Parameters
    ----------
    amount : float
        Amount. [currency]
    currency : str, default "$"
        Written before the number; a word or code (e.g. "EUR") is followed by
        a space.

    Returns
    -------
    str
        Three significant figures below 1,000 ("$123", "$0.0800"); whole
        currency units with thousands separators below a million ("$1,220",
        "$456,000"); from a million up, M, B (10⁹) or T (10¹²) written right
        after the number, with three significant figures and at least one
        decimal ("$1.22M", "$123.9M", "$10.0B"). A minus sign comes before the
        currency ("-$1.22M"). Beyond 10¹⁵, scientific notation ("$1.23e15").

    Raises
    ------
    TypeError
        If ``amount`` is not a real scalar.
    ValueError
        If ``amount`` is NaN or infinite.

    Examples
    --------
    >>> format_money(1.234e6)
    '$1.23M'
    >>> format_money(123.94e6)
    '$123.9M'
    >>> format_money(1_220.4)
    '$1,220'
    >>> format_money(0.08)
    '$0.0800'
    """
    sign, text = _money_text(_finite(amount, "format_money"), 3)
    prefix = f"{currency} " if currency[-1:].isalnum() else currency
    return f"{sign}{prefix}{text}"


def _money_text(number: float, digits: int) -> tuple[str, str]:
    """Sign and text (without currency) of an amount of money; see :func:`format_money`."""
    if number == 0:
        return "", "0"
    sign = "-" if number < 0 else ""
    exact = abs(Decimal(number))
    rounded = _round_sig(float(exact), digits)
    if rounded < 1000:
        return sign, _mantissa_text(rounded, digits)
    whole = exact.to_integral_value(rounding=ROUND_HALF_EVEN)
    if whole < 10**6:
        return sign, f"{whole:,}"
    return sign, _suffixed(exact, digits, decimals=1)


_SUFFIX_LADDER = [(10**6, "M"), (10**9, "B"), (10**12, "T")]


def _suffixed(exact: Decimal, digits: int, decimals: int = 0) -> str:
    """A magnitude from 10⁶ up as "1.22M", "26.6B", "1.23T"; scientific from 10¹⁵ up.

    ``digits`` significant figures, and at least ``decimals`` decimals.
    """
    rounded = _round_sig(float(exact), digits)
    if rounded >= 10**15:
        return _scientific(rounded, digits)
    size, label = max((step for step in _SUFFIX_LADDER if rounded >= step[0]), default=_SUFFIX_LADDER[0])
    mantissa = _EXACT.divide(exact, Decimal(size))
    places = max(decimals, digits - 1 - _EXACT.divide(rounded, Decimal(size)).adjusted())
    return f"{mantissa.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN):,}{label}"


def format_flop(flop: float) -> str:
    """Format an amount of compute for display: "3.79e25 FLOP".

    Parameters
    ----------
    flop : float
        Amount of compute. [FLOP]

    Returns
    -------
    str
        Three significant figures in scientific notation, "0 FLOP" for zero.

    Raises
    ------
    TypeError
        If ``flop`` is not a real scalar.
    ValueError
        If ``flop`` is NaN or infinite.

    Examples
    --------
    >>> format_flop(3.79e25)
    '3.79e25 FLOP'
    """
    number = _finite(flop, "format_flop")
    if number == 0:
        return "0 FLOP"
    return f"{_scientific(_round_sig(number, 3), 3)} FLOP"


def format_count(n: float) -> str:
    """Format a count for display: "595,238" below a million, "26.6M", "1.23B" above.

    Parameters
    ----------
    n : float
        A count (of accelerators, tokens, accelerator-hours, ...). [count]

    Returns
    -------
    str
        Rounded to the nearest whole number with thousands separators below
        10⁶; from 10⁶ up, three significant figures with M (million), B
        (billion) or T (trillion) right after the number; scientific
        notation from 10¹⁵ up.

    Raises
    ------
    TypeError
        If ``n`` is not a real scalar.
    ValueError
        If ``n`` is NaN or infinite.

    Examples
    --------
    >>> format_count(595_238.1)
    '595,238'
    >>> format_count(26_607_035)
    '26.6M'
    >>> format_count(1.234e12)
    '1.23T'
    """
    return _count_text(_finite(n, "format_count"), 3)


def _count_text(number: float, digits: int) -> str:
    whole = round(number)
    if abs(whole) < 10**6:
        return f"{whole:,}"
    return ("-" if number < 0 else "") + _suffixed(abs(Decimal(number)), digits)


_DURATION_LADDER = [
    # (size [s], singular, plural, largest value shown before moving up)
    (1, "s", "s", 60),
    (SECONDS_PER_MINUTE, "min", "min", 60),
    (SECONDS_PER_HOUR, "h", "h", 48),
    (SECONDS_PER_DAY, "day", "days", DAYS_PER_YEAR),
    (SECONDS_PER_YEAR, "year", "years", math.inf),
]


def format_duration(seconds: float) -> str:
    """Format a duration for display: "45 s", "12.5 min", "3.2 h", "54.3 days", "2.1 years".

    Parameters
    ----------
    seconds : float
        Duration. [s]

    Returns
    -------
    str
        Three significant figures with trailing zeros dropped, in seconds
        below a minute, minutes below an hour, hours below 48 h, days below
        a year and years (365 days) beyond; "1 day", "1 year" in the
        singular.

    Raises
    ------
    TypeError
        If ``seconds`` is not a real scalar.
    ValueError
        If ``seconds`` is NaN or infinite.

    Examples
    --------
    >>> format_duration(90 * 86_400)
    '90 days'
    >>> format_duration(4.7e6)
    '54.4 days'
    """
    number = _finite(seconds, "format_duration")
    if number == 0:
        return "0 s"
    floor = Decimal(0)
    for size, singular, plural, limit in _DURATION_LADDER:  # noqa: B007 (used after the loop)
        # Rounded before the comparison so that 59.97 s shows as "1 min", not "60 s";
        # the floor keeps it from rounding down again to "0.999 min" in the next unit.
        rounded = max(abs(_round_sig(number / size, 3)), floor)
        if rounded < limit:
            break
        next_size = next(step[0] for step in _DURATION_LADDER if step[0] > size)
        floor = Decimal(limit * size) / Decimal(next_size)  # exact: 1 min, 1 h, 2 days, 1 year
    text = _mantissa_text(rounded, 3, strip=True)
    sign = "-" if number < 0 else ""
    return f"{sign}{text} {singular if text == '1' else plural}"


# --------------------------------------------------------------------------- one formatter for every door

_MISSING = "—"
_PERCENT_PER_ONE = 100
_CARBON_LABEL = "kg CO2e/kWh"
_UNIT_ALIASES = {  # other spellings of format_value's units (the command line's kinds)
    "$": "currency", "$/kWh": "currency/kWh", "kg/kWh": _CARBON_LABEL, "kg CO2/kWh": _CARBON_LABEL,
    "$/W": "currency/W",
}  # fmt: skip
# Units whose cells carry no unit text (what is counted is said by the column's label).
_BARE_UNITS = frozenset({"count", "ratio", "runs"})
# Display units of format_header's scaled columns, per format_value unit: the parse target
# whose kind a display unit must be, and what follows the display unit in the header.
_HEADER_KINDS = {
    "kg CO2e": ("kg", " CO2e"), "currency": ("$", ""), "currency/kWh": ("$/kWh", ""), "currency/W": ("$/W", ""),
    _CARBON_LABEL: ("kg/kWh", ""), "GPU-h": ("count", " GPU-h"), "%": ("ratio", ""), "runs": ("count", " runs"),
}  # fmt: skip


def _plain(number: float, digits: int, strip: bool = False) -> str:
    """``number`` to ``digits`` significant figures, without a unit ("0.400", "1,235")."""
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    return sign + _mantissa_text(abs(_round_sig(number, digits)), digits, strip)


def _percent(fraction: float) -> str:
    """A fraction as a percentage with one decimal ("41.0%"); two significant figures below 0.05%."""
    percent = Decimal(fraction) * _PERCENT_PER_ONE
    if percent == 0:
        return "0.0%"
    if abs(percent) < Decimal("0.05"):
        return f"{_plain(float(percent), 2)}%"
    if abs(percent) >= 10**6:  # a fraction above 10,000 is no share: scientific
        return f"{_plain(float(percent), 3)}%"
    return f"{_EXACT.quantize(percent, Decimal('0.1')):,}%"


def format_value(value: float | None, unit: str, digits: int = 3) -> str:
    """One number as people read it, in any unit the library reports: "150 MW", "41.0%".

    The single formatter behind every display (command line, dashboard): the
    same number in the same unit reads the same everywhere.

    Parameters
    ----------
    value : float or None
        The number, in ``unit``; None, NaN and infinity show as "—". [unit]
    unit : str
        The library unit of ``value``: "W", "Wh", "FLOP/s", "FLOP", "count",
        "kg", "kg CO2e", "L", "currency" (also "$"), "currency/kWh" (also
        "$/kWh"), "currency/W" (also "$/W"), "kg CO2e/kWh" (also "kg/kWh"), "L/kWh", "s", "h", "ratio",
        "%" (``value`` a fraction: 0.41 shows as "41.0%"), "runs" or "GPU-h".
        Any other unit shows as ``f"{value:.4g} {unit}"``.
    digits : int, default 3
        Significant figures of scaled quantities (power, energy, mass, money,
        large counts, ...); ratios show one more. Percentages always show one
        decimal, whole counts below 10⁶ every digit, and durations three
        significant figures.

    Returns
    -------
    str
        The display text:

        - W, Wh, FLOP/s, kg, L: an SI-style prefix putting the number in
          [1, 1000) ("70.0 MW", "8.76 TWh", "989 TFLOP/s", "12.3 t", "5.00 m³");
          "kg CO2e" adds " CO2e" ("12.3 t CO2e").
        - FLOP: scientific notation ("3.79e25 FLOP").
        - count, GPU-h: whole with thousands separators below 10⁶ ("594,177"),
          then M/B/T right after the number ("26.6M GPU-h").
        - runs: one decimal below 1,000 ("3.5"), then as a count.
        - currency: "$123", "$1,220", "$1.22M", "$123.9M", "$10.0B" (no space
          before the suffix); currency/kWh, currency/W: significant figures
          ("$0.0800/kWh", "$12.0/W").
        - kg CO2e/kWh, L/kWh: plain significant figures ("0.400 kg CO2e/kWh").
        - s, h: the duration in its natural unit ("54.3 days", "3.2 h").
        - ratio: four significant figures, trailing zeros dropped ("1.821",
          "1.2"); %: one decimal ("41.0%").

    Raises
    ------
    TypeError
        If ``value`` is neither None nor a real scalar, or ``unit`` is not a
        str.
    ValueError
        If ``digits`` is not from 1 to 17.

    See Also
    --------
    format_header : A table header for a column of these cells.

    Examples
    --------
    >>> format_value(70e6, "W")
    '70.0 MW'
    >>> format_value(594_177.3, "count")
    '594,177'
    >>> format_value(26_607_035, "GPU-h")
    '26.6M GPU-h'
    >>> format_value(123.94e6, "currency")
    '$123.9M'
    >>> format_value(0.41, "%")
    '41.0%'
    >>> format_value(1.8214, "ratio")
    '1.821'
    >>> format_value(float("nan"), "W")
    '—'
    """
    if not isinstance(unit, str):
        raise TypeError(f"format_value: unit must be a str such as 'W' (got {type(unit).__name__})")
    if not (type(digits) is int and 1 <= digits <= 17) and (
            isinstance(digits, bool) or not isinstance(digits, numbers.Integral) or not 1 <= digits <= 17):
        raise ValueError(f"format_value: digits must be a whole number from 1 to 17 (got {digits!r})")
    if value is None:
        return _MISSING
    try:
        number = _finite(value, "format_value")
    except ValueError:
        return _MISSING  # NaN or infinite
    unit = _UNIT_ALIASES.get(unit, unit)
    digits = int(digits)
    if unit in _LADDERS:
        sign, mantissa, label = _format_ladder(number, _LADDERS[unit], "format_value", digits)
        return f"{sign}{mantissa} {label}" + (" CO2e" if unit == "kg CO2e" else "")
    if unit == "FLOP":
        return "0 FLOP" if number == 0 else f"{_scientific(_round_sig(number, digits), digits)} FLOP"
    if unit == "count":
        return _count_text(number, digits)
    if unit == "GPU-h":
        return f"{_count_text(number, digits)} GPU-h"
    if unit == "tokens/s":
        return f"{_count_text(number, digits) if abs(number) >= 1 else _plain(number, digits)} tokens/s"
    if unit == "runs":
        return f"{number:,.1f}" if abs(number) < 1000 else _count_text(number, digits)
    if unit == "currency":
        sign, text = _money_text(number, digits)
        return f"{sign}${text}"
    if unit in ("currency/kWh", "currency/W"):
        text = _plain(abs(number), digits)
        return f"{'-' if number < 0 else ''}${text}/{unit.split('/')[1]}"
    if unit in (_CARBON_LABEL, "L/kWh"):
        return f"{_plain(number, digits)} {unit}"
    if unit in ("s", "h"):
        seconds = number * SECONDS_PER_HOUR if unit == "h" else number
        if not math.isfinite(seconds):  # hours near the float maximum: in years directly
            return f"{_plain(number / HOURS_PER_YEAR, 3)} years"
        return format_duration(seconds)
    if unit == "ratio":
        return _plain(number, digits + 1, strip=True)
    if unit == "%":
        return _percent(number)
    return f"{number:.4g} {unit}"


def format_header(label: str, unit: str, scaled_to: str | None = None) -> str:
    """A table column's header, in the unit its cells show.

    Cells formatted by :func:`format_value` carry their own unit, which
    changes from cell to cell ("70.0 MW", "1.20 GW"), so their header is the
    label alone: a header saying "[W]" above "70.0 MW" would be wrong. A
    column of bare numbers scaled to one display unit (e.g. with
    :func:`to_unit`) names that unit in brackets.

    Parameters
    ----------
    label : str
        What the column holds, e.g. "Facility power".
    unit : str
        The library unit of the values, as given to :func:`format_value`
        ("W", "kg CO2e", "currency", "%", ...).
    scaled_to : str, optional
        The display unit of a column of bare numbers: any unit
        :func:`parse` accepts of the same kind as ``unit`` ("MW", "TWh",
        "days", "t", "$/MWh", "%"). None (the default) for cells formatted
        by :func:`format_value`.

    Returns
    -------
    str
        ``label`` for cells formatted by :func:`format_value`; ``"label
        [display unit]"`` for a scaled column ("Emissions [t CO2e]").

    Raises
    ------
    TypeError
        If ``label``, ``unit`` or ``scaled_to`` is not a str.
    ValueError
        If ``scaled_to`` is not a unit of the kind of ``unit``.

    Examples
    --------
    >>> format_header("Facility power", "W")
    'Facility power'
    >>> format_header("Facility power", "W", scaled_to="MW")
    'Facility power [MW]'
    >>> format_header("Emissions", "kg CO2e", scaled_to="t")
    'Emissions [t CO2e]'
    >>> format_header("Accelerator-hours", "GPU-h", scaled_to="M")
    'Accelerator-hours [M GPU-h]'
    """
    for name, text in (("label", label), ("unit", unit)):
        if not isinstance(text, str):
            raise TypeError(f"format_header: {name} must be a str (got {type(text).__name__})")
    if scaled_to is None:
        return label
    if not isinstance(scaled_to, str):
        raise TypeError(f"format_header: scaled_to must be a str or None (got {type(scaled_to).__name__})")
    unit = _UNIT_ALIASES.get(unit, unit)
    target, suffix = _HEADER_KINDS.get(unit, (unit, ""))
    try:
        kind = _resolve_target(target)[0]
    except ValueError:
        kind = None  # a unit the library does not convert: only itself is allowed
    try:
        display_kind = _resolve_target(scaled_to)[0]
    except ValueError:
        display_kind = None
    if (kind is None and scaled_to != unit) or (kind is not None and display_kind is not kind):
        raise ValueError(f"format_header: cannot show {unit!r} values in {scaled_to!r}")
    return f"{label} [{scaled_to}{suffix}]"
