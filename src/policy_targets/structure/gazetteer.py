"""China's administrative divisions (GB/T 2260) down to the county level, read from the data
file that JioNLP ships, and a scan that finds their names in a short text.

Only JioNLP's data file is read (its ``dictionary/china_location.zip`` and
``china_location_change.txt``), never the package itself: importing JioNLP loads far more
than a list of places. The file gives, for each province, prefecture and county, the full
name, the 6-digit code and the short name (宁夏 for 宁夏回族自治区, 海淀 for 海淀区); the change
file gives former names (襄樊市 → 襄阳市). Nothing here names a place: the gazetteer does.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import re
import sys
import zipfile
from dataclasses import dataclass
from itertools import compress, count
from pathlib import Path

from .. import rules

#: The code of a national plan (ANNOTATION: ``level: national``).
NATIONAL_CODE = "100000"
#: UTF-32 in the machine's byte order, so that two neighbouring characters read as one number.
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
#: Levels, from the top; a district (区) is county level.
LEVELS = ("national", "province", "city", "county")
#: County codes 71-79 are the statistical codes of development zones (经开区, 高新区, 新区
#: administered by a committee), not divisions of GB/T 2260.
_ZONE_CODES = range(71, 80)
#: The middle level of counties that a province administers directly (省直辖县级行政区划):
#: not a place of its own; its counties hang from the province.
_DIRECT_SUFFIX = "9000"
#: A line of the data file above the towns: not opening with three tabs.
_UPPER_LINE = re.compile(r"^(?!\t\t\t)[^\n]*", re.M)


def _pair_code(first: str, second: str) -> int:
    """Two characters as the 64-bit number that their UTF-32 code units make in memory."""
    a, b = ord(first), ord(second)
    return a | b << 32 if sys.byteorder == "little" else a << 32 | b


class GazetteerMissing(RuntimeError):
    """JioNLP's data file is not installed."""


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str  # full name: 宁夏回族自治区, 石嘴山市, 海淀区
    short: str  # JioNLP's short name: 宁夏, 石嘴山, 海淀
    level: str  # province, city or county
    parent: str | None  # code of the division above; None for a province

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


@dataclass(frozen=True)
class Mention:
    """A name found in a text: where, as written, and every division it may denote."""

    start: int
    end: int
    text: str
    divisions: tuple[Division, ...]
    full: bool  # the full name (海淀区), not a short one (海淀)


@dataclass(frozen=True)
class Gazetteer:
    by_code: dict[str, Division]
    names: dict[str, tuple[Division, ...]]  # full and former names
    shorts: dict[str, tuple[Division, ...]]  # short names
    longest: int

    def province_of(self, division: Division) -> Division:
        return self.by_code[division.province_code]

    def ancestors(self, division: Division) -> tuple[Division, ...]:
        out = []
        d: Division | None = division
        while d is not None and d.parent is not None:
            d = self.by_code.get(d.parent)
            if d is not None:
                out.append(d)
        return tuple(out)

    @functools.cached_property
    def _lengths(self) -> dict[str, tuple[int, ...]]:
        """The first two characters of every name, each with the lengths of the names that
        open with them, longest first: most places in a text open no name and are passed
        over, and at the others only the lengths of names that open there are tried."""
        lengths: dict[str, set[int]] = {}
        for k in (*self.names, *self.shorts):
            if len(k) >= 2:
                lengths.setdefault(k[:2], set()).add(len(k))
        return {opening: tuple(sorted(ns, reverse=True)) for opening, ns in lengths.items()}

    @functools.cached_property
    def _opening_codes(self) -> frozenset[int]:
        """The openings as the numbers their two characters make in UTF-32 (``_pair_code``)."""
        return frozenset(_pair_code(k[0], k[1]) for k in self._lengths)

    def _opening_positions(self, text: str) -> list[int]:
        """Where the two characters of ``text`` open a name, in order. The text in UTF-32 is
        read as 64-bit numbers, the pairs at even positions and those at odd ones, each
        looked up among the openings' numbers by C iterators: no Python loop over the text
        and no string made for each pair."""
        if len(text) < 2:
            return []
        data = memoryview(text.encode(_UTF32, "surrogatepass"))
        even = data[: len(data) // 8 * 8].cast("Q")
        odd = data[4 : 4 + (len(data) - 4) // 8 * 8].cast("Q")
        codes = self._opening_codes
        found = list(compress(count(0, 2), map(codes.__contains__, even)))
        found += compress(count(1, 2), map(codes.__contains__, odd))
        found.sort()
        return found

    def scan(self, text: str) -> list[Mention]:
        """Names of divisions in ``text``, leftmost-longest, not overlapping. A full name wins
        over a short one of the same length."""
        out: list[Mention] = []
        end = 0
        for i in self._opening_positions(text):
            if i < end:
                continue  # inside the name found last
            for n in self._lengths[text[i : i + 2]]:
                if n > len(text) - i:
                    continue
                piece = text[i : i + n]
                if piece in self.names:
                    out.append(Mention(i, i + n, piece, self.names[piece], True))
                    end = i + n
                    break
                if piece in self.shorts:
                    out.append(Mention(i, i + n, piece, self.shorts[piece], False))
                    end = i + n
                    break
        return out

    @functools.cached_property
    def _cities_by_initial(self) -> dict[str, tuple[Division, ...]]:
        """Prefecture-level divisions by the first character of their name, in the
        gazetteer's order: an abbreviation is looked up among a few, not all divisions."""
        out: dict[str, list[Division]] = {}
        for d in self.by_code.values():
            if d.level == "city":
                out.setdefault(d.name[:1], []).append(d)
        return {initial: tuple(ds) for initial, ds in out.items()}

    def cities_starting(self, char: str, province: str | None) -> tuple[Division, ...]:
        """Prefecture-level divisions whose name opens with ``char`` (a one-character
        abbreviation such as X市), inside ``province`` when given."""
        pool = self._cities_by_initial.get(char[0], ()) if char else [d for d in self.by_code.values() if d.level == "city"]
        return tuple(d for d in pool if d.name.startswith(char) and (province is None or d.province_code == province))


def _data_folder() -> Path:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerMissing("the gazetteer needs the jionlp package (pip install jionlp)")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary"


def _lines() -> list[str]:
    path = _data_folder() / "china_location.zip"
    with zipfile.ZipFile(path) as zf:
        text = zf.read("china_location.txt").decode("utf-8")
    # towns and villages (three tabs deep) are below the counties: one regex pass skips them,
    # many times faster than a Python loop over the file's lines
    return _UPPER_LINE.findall(text.replace("\r\n", "\n").replace("\r", "\n"))


def _divisions(lines: list[str]) -> dict[str, Division]:
    by_code: dict[str, Division] = {}
    parents: list[str | None] = [None, None, None]
    for line in lines:
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip("\t").split("\t")
        if depth > 2 or len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) != 6:
            if depth <= 2:
                parents[depth] = None
            continue
        name, code, short = parts
        level = LEVELS[depth + 1]
        if depth == 1 and (code == parents[0] or code.endswith(_DIRECT_SUFFIX)):
            parents[1] = parents[0]  # a municipality's single city, or the direct counties
            continue
        if depth == 2 and int(code[4:]) in _ZONE_CODES:
            continue
        parent = parents[depth - 1] if depth else None
        parents[depth] = code
        by_code.setdefault(code, Division(code, name, short, level, parent))
    return by_code


def _former_names(by_code: dict[str, Division], full: dict[str, list[Division]]) -> dict[str, list[Division]]:
    """Former names (full and short) from the change file (``old chain => new chain``, each a list of
    full and short names), mapped to the division that now bears the new name."""
    out: dict[str, list[Division]] = {}
    path = _data_folder() / "china_location_change.txt"
    if not path.is_file():
        return out
    for line in path.read_text("utf-8").splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>", 1)
        old_names = old.split("\t")[2::2]  # date, approver, then (full, short) pairs
        new_names = [n for n in new.split("\t") if n]
        if not old_names or not new_names:
            continue
        old_name, new_name = old_names[-1], new_names[-1]
        if old_name == new_name:
            continue
        province = new_names[0]
        for d in full.get(new_name, []):
            if by_code[d.province_code].name == province and d not in out.get(old_name, []):
                out.setdefault(old_name, []).append(d)
                old_short = old.split("\t")[-1]
                if len(old_short) >= 2 and old_short != old_name:
                    out.setdefault(old_short, []).append(d)
    return out


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read once per process, and kept on disk between runs (named by a
    digest of this module and the data files' sizes and times): decompressing and parsing
    JioNLP's file is a tenth of a second of every process that reads a real plan."""
    cache = _cache_file()
    found = rules.read_cached(cache)
    if isinstance(found, Gazetteer):
        return found
    built = _build()
    rules.write_cached(cache, built)
    return built


def _cache_file() -> Path | None:
    root = rules.cache_root()
    if root is None:
        return None
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in (_data_folder() / "china_location.zip", _data_folder() / "china_location_change.txt"):
        st = path.stat() if path.is_file() else None
        digest.update(f"{path.name}:{st and st.st_size}:{st and st.st_mtime_ns}".encode())
    return root / f"gazetteer-{digest.hexdigest()[:32]}.pickle"


def _build() -> Gazetteer:
    by_code = _divisions(_lines())
    full: dict[str, list[Division]] = {}
    shorts: dict[str, list[Division]] = {}
    for d in by_code.values():
        full.setdefault(d.name, []).append(d)
        if len(d.short) >= 2 and d.short != d.name:
            shorts.setdefault(d.short, []).append(d)
    for old, divisions in _former_names(by_code, full).items():
        if old not in full:
            full[old] = divisions
    for d in by_code.values():
        # a province's three-character short name is also written in its first two (内蒙古 -> 内蒙)
        if d.level == "province" and len(d.short) >= 3:
            cut = d.short[:2]
            if cut not in full and cut not in shorts and not any(k.startswith(cut) for k in full if k != d.name):
                shorts[cut] = [d]
    names = {k: tuple(v) for k, v in full.items()}
    short_names = {k: tuple(v) for k, v in shorts.items() if k not in names}
    longest = max(len(k) for k in list(names) + list(short_names))
    return Gazetteer(by_code, names, short_names, longest)
