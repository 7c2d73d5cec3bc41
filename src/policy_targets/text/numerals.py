"""The small Chinese numerals that plans write most (heading numbers 一 … 九十九, counts such
as 三, 两, 一千, 一万), read without cn2an: importing cn2an costs a tenth of a second or more
of start-up, and these few forms are most of what a plan asks it. Anything else returns
None and goes to cn2an; tests/test_numerals.py checks that every form read here has cn2an's
value."""

from __future__ import annotations

_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
_MAGNITUDES = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def small_numeral(numeral: str) -> int | None:
    """一 … 九十九 in their plain forms (十一, 二十, 三十五, 一十), 两, and one digit (or 两)
    before one of 百千万亿 (两千, 一万); None for anything else."""
    if numeral == "两":
        return 2
    if len(numeral) == 2 and numeral[1] in _MAGNITUDES:
        digit = 2 if numeral[0] == "两" else _DIGITS.get(numeral[0])
        return None if digit is None else digit * _MAGNITUDES[numeral[1]]
    tens, ten, units = numeral.partition("十")
    if not ten:
        return _DIGITS.get(numeral)
    t = 1 if not tens else _DIGITS.get(tens)
    u = 0 if not units else _DIGITS.get(units)
    return None if t is None or u is None else 10 * t + u
