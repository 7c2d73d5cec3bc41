"""Numerals as written in plans: ``1,500``, ``1.54亿``, ``13万2``, ``一千五百万``, ``两千``,
``壹仟贰佰``, ``二〇二五``, ``百分之二十``, ``三分之一``.

Chinese numerals go through cn2an (a maintained converter that handles 大写, 两, 〇 and the
colloquial ``13万2``); this module adds what it lacks: thousands separators, a bare leading
magnitude (``千`` in ``千万千瓦级`` is one thousand), percentages and fractions.
"""

from __future__ import annotations

import functools
import math

import regex

from .. import rules
from ..text.normalize import fold_chars
from ..text.numerals import small_numeral

CN_DIGITS = "零〇一二两三四五六七八九壹贰贰叁肆伍陆柒捌玖"
CN_MAGNITUDES = "十百千万亿拾佰仟"
CN_NUMERAL_CHARS = CN_DIGITS + CN_MAGNITUDES + "点"

_ARABIC = regex.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CN_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_PERCENT_SIGN = regex.compile(r"^(?P<n>.+?)\s*%$")
_PERCENT_WORDS = regex.compile(r"^百分之(?P<n>.+)$")
_FRACTION = regex.compile(r"^(?P<den>.+?)分之(?P<num>.+)$")
_NUMERAL = regex.compile(rf"^[0-9.,{CN_NUMERAL_CHARS}]+$")
_DIGIT_OR_MAGNITUDE = regex.compile(rf"[0-9{CN_DIGITS}{CN_MAGNITUDES}]")
_ALL_MAGNITUDE = regex.compile(rf"^[{CN_MAGNITUDES}]")
#: A sign: 负 or a minus (hyphen-minus, full-width or typographic), or a plus.
_SIGN = regex.compile(r"^(?:(?P<minus>负|[-－−])|[+＋])(?=[0-9.,{0}])".format(CN_NUMERAL_CHARS))
#: Arabic digits followed by magnitude words only (1.2万亿, 3.5千万): cn2an reads one at most.
_ARABIC_MAGNITUDE = regex.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<mag>[十百千万亿]+)$")
_MAGNITUDE_VALUES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
#: Arabic digits with thousands separators before a magnitude word (1,100万).
_SEPARATED_HEAD = regex.compile(r"^\d{1,3}(?:,\d{3})+(?=[.\d]*[^\d.,]|$)")
#: A 零 that stands for nothing: opening a numeral (零十, 零五) or after 百 before 十 (一百零十);
#: cn2an refuses both. 零点五 keeps its 零.
_IDLE_ZERO = regex.compile(r"^零+(?!点|$)|(?<=百)零(?=十)")

#: Values keep at most two decimals (ANNOTATION.md): 三分之一 -> 33.33.
DECIMALS = 2


def parse_number(text: str) -> float:
    """The value of a numeral string; percentages and fractions are returned in percent
    (``百分之二十`` -> 20.0, ``三分之一`` -> 33.33, ``25%`` -> 25.0). Raises ``ValueError``
    for anything that is not a number."""
    if not isinstance(text, str):
        raise ValueError(f"not a number: {text!r}")
    value, problem = _parsed(text)
    if problem is not None:
        raise ValueError(problem)
    return value


@functools.lru_cache(maxsize=8192)
def _parsed(text: str) -> tuple[float, str | None]:
    """:func:`parse_number`'s value of a numeral, or its problem: the same few numerals (years,
    counts, shares) recur throughout a plan, and the Chinese ones cost a cn2an call each."""
    try:
        return _parse(text), None
    except ValueError as exc:
        return math.nan, str(exc)


def _parse(text: str) -> float:
    s = fold_chars(text).strip().replace(" ", "").replace("，", ",")
    if not s:
        raise ValueError("not a number: empty string")
    if is_approximate(s):
        raise ValueError(f"not a number: {text!r} (an approximate range)")
    sign = _SIGN.match(s)
    if sign:  # 负3.9%, -22.2%: a negative value, whatever form follows; +5% a positive one
        value = parse_number(s[sign.end() :])
        return -value if sign.group("minus") else value
    m = _PERCENT_SIGN.match(s) or _PERCENT_WORDS.match(s)
    if m:
        return _plain(m.group("n"), text)
    m = _FRACTION.match(s)
    if m:
        den = _plain(m.group("den"), text)
        if den == 0:
            raise ValueError(f"not a number: {text!r} (zero denominator)")
        return _fraction_percent(_plain(m.group("num"), text) / den * 100)
    return _plain(s, text)


def _fraction_percent(value: float) -> float:
    """A fraction in percent: exact when it ends within four decimals (千分之九点五 -> 0.95,
    万分之三点五 -> 0.035), else kept to two decimals (三分之一 -> 33.33)."""
    exact = round(value, 4)
    return exact if abs(value - exact) < 1e-9 else round(value, DECIMALS)


def _plain(s: str, original: str) -> float:
    if _ARABIC.match(s):
        return float(s.replace(",", ""))
    head = _SEPARATED_HEAD.match(s)
    if head:  # 1,100万: the separators of the Arabic part, then the magnitude as ever
        s = s.replace(",", "", head.group(0).count(","))
    s = _IDLE_ZERO.sub("", s)
    m = _ARABIC_MAGNITUDE.match(s)
    if m:
        return float(m.group("n")) * math.prod(_MAGNITUDE_VALUES[c] for c in m.group("mag"))
    if not _NUMERAL.match(s) or not _DIGIT_OR_MAGNITUDE.search(s):
        raise ValueError(f"not a number: {original!r}")
    if "," in s:
        raise ValueError(f"not a number: {original!r}")
    if _ALL_MAGNITUDE.match(s):
        s = "一" + s  # 千万 -> 一千万, 十五 -> 一十五
    if s.endswith(".") or s.startswith("."):
        raise ValueError(f"not a number: {original!r}")
    small = small_numeral(s)
    if small is not None:
        return float(small)
    try:
        import cn2an  # 0.1-0.2 s to import: paid only by a plan that writes larger numerals in words

        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValueError(f"not a number: {original!r}") from exc
    return float(value)


@functools.cache
def _approximate() -> regex.Pattern[str]:
    return rules.compile_pattern(rules.load("units")["approximate"]["numeral"])


def is_approximate(numeral: str) -> bool:
    """Whether a Chinese numeral is two neighbouring digits (两三, 三五百, 十一二): an
    approximate range that cn2an would misread as one number (23, 3500, error)."""
    return _approximate().search(numeral) is not None


@functools.lru_cache(maxsize=1024)
def year_value(text: str) -> int:
    """A year written in Arabic or Chinese digits: ``2025`` or ``二〇二五`` -> 2025. Cached: a
    plan writes the same few years again and again, each folded character by character."""
    s = fold_chars(text).strip()
    digits = s.translate(_CN_YEAR_DIGITS)
    if len(digits) != 4 or not digits.isdigit():
        raise ValueError(f"not a year: {text!r}")
    return int(digits)
