"""parse_number on its own: every numeral form plans use, and refusal of everything else."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_targets import parse_number


@pytest.mark.parametrize(
    "text,value",
    [
        ("9", 9),
        ("24.5", 24.5),
        ("1,500", 1500),
        ("12,500.5", 12500.5),
        ("１５００", 1500),
        ("1.54亿", 154_000_000),
        ("13万2", 132_000),
        ("3万4000", 34_000),
        ("3.5万", 35_000),
        ("一千五百万", 15_000_000),
        ("两千", 2000),
        ("两", 2),
        ("十五", 15),
        ("千", 1000),
        ("千万", 10_000_000),
        ("壹仟贰佰", 1200),
        ("二〇二五", 2025),
        ("一万零五", 10005),
        ("零点五", 0.5),
        ("百分之二十", 20),
        ("百分之三十五点五", 35.5),
        ("25%", 25),
        ("三分之一", 33.33),
        ("四分之三", 75),
    ],
)
def test_numerals(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", " ", "abc", "万千瓦", "一批", "1,5", "3.", "5-6", "十四五期间", "分之一", "百分之", "零分之一", "PM2.5"])
def test_non_numbers_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_integers_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n


@given(st.text(max_size=12))
def test_never_raises_anything_but_value_error(text: str) -> None:
    try:
        parse_number(text)
    except ValueError:
        pass
