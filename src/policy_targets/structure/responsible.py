"""Responsible-unit (责任单位) blocks: finding the block that closes an item and splitting it
into unit names, following ANNOTATION.md (`responsible_units`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .. import rules


@dataclass(frozen=True)
class UnitBlock:
    start: int  # offsets within the paragraph given to find_block
    end: int
    form: str  # name of the block rule that matched ("labelled", "bare")
    units: tuple[str, ...]


@dataclass(frozen=True)
class _Book:
    blocks: tuple[tuple[str, regex.Pattern[str]], ...]
    drop: tuple[regex.Pattern[str], ...]
    role: regex.Pattern[str]
    role_words: tuple[str, ...]  # what ``role`` strips from either end, as words to test first
    trailing_words: tuple[str, ...]  # likewise for ``trailing`` at the end
    label: regex.Pattern[str]
    attribution: regex.Pattern[str]
    trailing: regex.Pattern[str]
    separators: str
    splitter: regex.Pattern[str]  # one separator or full stop: the split of a body without brackets
    marks: regex.Pattern[str]  # one separator, full stop or bracket: what the split of a body with brackets reads
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...]


@functools.cache
def _book() -> _Book:
    book = rules.load("structure")["responsible_units"]
    roles = rules.alternation(book["role_words"])
    return _Book(
        blocks=tuple((b["name"], rules.compile_pattern(b["pattern"])) for b in book["blocks"]),
        drop=tuple(rules.compile_pattern(d["pattern"]) for d in book["drop_sentences"]),
        role=regex.compile(rf"^(?:{roles})+|(?:{roles})+$"),
        role_words=tuple(book["role_words"]),
        trailing_words=tuple(book["trailing_words"]),
        label=rules.compile_pattern(book["label_prefix"]["pattern"]),
        attribution=rules.compile_pattern(rules.load("structure")["attributions"]["pattern"]),
        trailing=regex.compile(rf"(?:{rules.alternation(book['trailing_words'])})+$"),
        separators=book["separators"],
        splitter=regex.compile("[" + "".join(regex.escape(c) for c in book["separators"] + "。.") + "]"),
        marks=regex.compile("[" + "".join(regex.escape(c) for c in book["separators"] + "。.()（）") + "]"),
        suffixes=tuple(book["agency_suffixes"]),
        prefixes=tuple(book["agency_prefixes"]),
    )


def find_block(paragraph: str) -> UnitBlock | None:
    """The responsible-unit block that ends ``paragraph``, if any.

    A labelled block (责任单位:…) is trusted as it is; a bare bracket counts only when every
    name in it looks like a government unit, so that (此件公开发布) or (综合能源站) do not."""
    book = _book()
    for name, pattern in book.blocks:
        m = pattern.search(paragraph)
        if not m:
            continue
        units = split_units(m.group("body"))
        if name != "labelled" and not (units and all(_looks_like_unit(u) for u in units)):
            continue
        if name == "bare" and all(book.attribution.search(u) for u in units):
            continue  # (某某市人民政府): who issued the text, not who does the work
        return UnitBlock(m.start(), m.end(), name, units)
    return None


@functools.lru_cache(maxsize=4096)
def split_units(body: str) -> tuple[str, ...]:
    """Split a block body into unit names: drop 以下…不再一一列出, split on 、 , ， ; ；
    outside brackets, strip role words, a trailing 等 and white space. Cached: a plan names
    the same units under item after item, and plans of a batch share their bodies."""
    book = _book()
    for pattern in book.drop:
        body = pattern.sub("", body)
    names = book.splitter.split(body) if "(" not in body and "（" not in body else _split_outside_brackets(body, book)
    out = []
    for raw in names:
        name = book.label.sub("", raw.strip()).strip()
        # a name that neither opens nor closes with a role word nor closes with a trailing
        # one (most) is left as it is by the loop: tested as words, not with two patterns
        edged = name.startswith(book.role_words) or name.endswith(book.role_words) or name.endswith(book.trailing_words)
        for _ in range(3 if edged else 0):
            stripped = book.trailing.sub("", book.role.sub("", name)).strip()
            if stripped == name:
                break
            name = stripped
        if name:
            out.append(name)
    return tuple(out)


#: A bracketed remark closing a name (…(牵头)), left out when reading the name's ends.
_CLOSING_BRACKETS = regex.compile(r"[(（][^()（）]*[)）]$")


def _split_outside_brackets(body: str, book: _Book) -> list[str]:
    """The names between the separators that stand outside brackets: a walk over the brackets
    and separators alone (``_Book.marks``), the text between them taken as it stands."""
    names: list[str] = []
    depth = last = 0
    for m in book.marks.finditer(body):
        ch = m.group()
        if ch in "(（":
            depth += 1
        elif ch in ")）" and depth:
            depth -= 1
        if depth == 0 and (ch in book.separators or ch in "。."):
            names.append(body[last : m.start()])
            last = m.end()
    names.append(body[last:])
    return names


def _looks_like_unit(name: str) -> bool:
    book = _book()
    core = _CLOSING_BRACKETS.sub("", name)
    return core.endswith(book.suffixes) or core.startswith(book.prefixes)
