"""Word ``.docx``: body paragraphs and tables in document order, with Word's automatic list
numbers written into the text.

A plan typed in Word often has no ``一、`` or ``(一)`` in its characters: Word draws them from
the numbering definitions. The structure stage finds headings by those markers, so the reader
resolves each numbered paragraph's label (format, level text, counters per list and level,
lower levels restarting under a new higher item) and puts it before the paragraph's text.
python-docx reads the package and repeats merged table cells into every grid position; it
has no numbering renderer, which is the part written here.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import cn2an

from ..errors import InputError
from .extracted import Extracted, TextBuilder

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter past z: aa, bb, …
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


#: Word's ``w:numFmt`` values that Chinese plans use, as functions of the counter.
NUMBER_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"}),
    "chineseCounting": lambda n: cn2an.an2cn(n),
    "chineseCountingThousand": lambda n: cn2an.an2cn(n),
    "taiwaneseCounting": lambda n: cn2an.an2cn(n),
    "taiwaneseCountingThousand": lambda n: cn2an.an2cn(n),  # what LibreOffice writes for 一、
    "japaneseCounting": lambda n: cn2an.an2cn(n),
    "ideographDigital": lambda n: "".join("〇一二三四五六七八九"[int(d)] for d in str(n)),
    "chineseLegalSimplified": lambda n: cn2an.an2cn(n, "up"),
    "ideographTraditional": lambda n: _HEAVENLY_STEMS[(n - 1) % 10],
    "decimalEnclosedCircle": lambda n: _CIRCLED[n - 1] if n <= len(_CIRCLED) else str(n),
    "decimalEnclosedCircleChinese": lambda n: _CIRCLED[n - 1] if n <= len(_CIRCLED) else str(n),
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
}


@dataclass(frozen=True)
class Level:
    fmt: str
    text: str  # w:lvlText, e.g. "%1、" or "（%2）"
    start: int


@dataclass
class Numbering:
    """The numbering definitions of a document and the running counters of its lists.

    Word counts on across list instances (``w:num``) that share an abstract definition, and
    restarts only an instance that overrides its start ("Restart numbering"), so a counter
    belongs to the abstract definition unless the instance has a start of its own."""

    levels: dict[str, dict[int, Level]]  # numId -> ilvl -> level
    counter_of: dict[str, str] = field(default_factory=dict)  # numId -> whose counters it uses
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return cls({})
        abstract: dict[str, dict[int, Level]] = {}
        for an in root.iter(f"{_W}abstractNum"):
            abstract[an.get(f"{_W}abstractNumId")] = {
                int(lvl.get(f"{_W}ilvl")): _level(lvl) for lvl in an.iter(f"{_W}lvl")
            }
        levels: dict[str, dict[int, Level]] = {}
        counter_of: dict[str, str] = {}
        for num in root.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId")
            ref = num.find(f"{_W}abstractNumId")
            abstract_id = ref.get(f"{_W}val") if ref is not None else None
            base = dict(abstract.get(abstract_id, {}))
            own_start = any(o.find(f"{_W}startOverride") is not None or o.find(f"{_W}lvl") is not None for o in num.iter(f"{_W}lvlOverride"))
            counter_of[num_id] = f"num {num_id}" if own_start or abstract_id is None else f"abstract {abstract_id}"
            for override in num.iter(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl"))
                lvl = override.find(f"{_W}lvl")
                start = override.find(f"{_W}startOverride")
                if lvl is not None:
                    base[ilvl] = _level(lvl)
                elif start is not None and ilvl in base:
                    old = base[ilvl]
                    base[ilvl] = Level(old.fmt, old.text, int(start.get(f"{_W}val")))
            levels[num_id] = base
        return cls(levels, counter_of)

    def label(self, num_id: str, ilvl: int) -> str:
        """The next label of list ``num_id`` at level ``ilvl``; deeper levels restart."""
        defs = self.levels.get(num_id)
        if not defs or ilvl not in defs or defs[ilvl].fmt in ("bullet", "none"):
            return ""
        counts = self.counters.setdefault(self.counter_of.get(num_id, num_id), {})
        counts[ilvl] = counts.get(ilvl, defs[ilvl].start - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        text = defs[ilvl].text
        for k in range(ilvl, -1, -1):
            if k in defs:
                value = counts.get(k, defs[k].start)
                text = text.replace(f"%{k + 1}", NUMBER_FORMATS.get(defs[k].fmt, str)(value))
        return text


def _level(lvl) -> Level:
    def val(tag: str, default: str) -> str:
        el = lvl.find(f"{_W}{tag}")
        return el.get(f"{_W}val", default) if el is not None else default

    return Level(val("numFmt", "decimal"), val("lvlText", ""), int(val("start", "1")))


def _list_of(num_pr) -> tuple[str, int] | None:
    if num_pr is None or num_pr.numId is None or str(num_pr.numId.val) == "0":  # 0: numbering off
        return None
    return str(num_pr.numId.val), int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0


def style_lists(document) -> dict[str | None, tuple[str, int] | None]:
    """The list each paragraph style numbers its paragraphs in (``List Number``, a heading
    style tied to a multilevel list), following base styles; key None is the default style.
    Computed once: python-docx's per-paragraph style lookup is slow on long documents."""
    from docx.enum.style import WD_STYLE_TYPE

    out: dict[str | None, tuple[str, int] | None] = {}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        found, s = None, style
        while found is None and s is not None:
            ppr = s.element.pPr
            found = _list_of(ppr.numPr if ppr is not None else None)
            s = s.base_style
        out[style.style_id] = found
        if style.element.default:
            out[None] = found
    return out


def _num_pr(paragraph, by_style: dict[str | None, tuple[str, int] | None]) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph's own properties, else from its style."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return _list_of(ppr.numPr)
    return by_style.get(paragraph._p.style, by_style.get(None))


def read_docx(data: bytes, name: str) -> Extracted:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise InputError(name, "corrupt", f"not a readable Word document ({type(exc).__name__}: {exc})") from None
    numbering = Numbering.of(document)
    by_style = style_lists(document)
    builder = TextBuilder()
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            for r, row in enumerate(block.rows, 1):
                builder.add_row([cell.text for cell in row.cells], f"table {tables} row {r}")
            continue
        text = block.text
        if not text.strip():
            continue
        paragraphs += 1
        num = _num_pr(block, by_style)
        label = numbering.label(*num) if num else ""
        builder.add_line(label + text.strip(), f"paragraph {paragraphs}")
    return builder.build()
