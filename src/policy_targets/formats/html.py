"""Web pages: the notice body without the site around it.

A government page wraps the plan in a navigation bar, breadcrumbs, a share bar, related
links and a footer with the site's registration number. Telling the body from that chrome is
what trafilatura is built and maintained for (it scores text density and link density per
block, over a large evaluation set of real pages), so this module only decodes the page,
expands merged table cells, and walks trafilatura's XML result into paragraphs and rows.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import charset_normalizer
import lxml.html
import regex
from lxml import etree

from ..errors import InputError
from .extracted import Extracted, TextBuilder

_META_CHARSET = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", regex.IGNORECASE)
#: Labels pages use for a Chinese encoding, read as the superset that decodes all of them.
#: Stands for a ``<br>`` while the element's text is assembled (a character pages never hold).
_BREAK = "\u2028"
_CHINESE_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}


def decode_page(data: bytes, name: str) -> str:
    """The page's text: the charset its meta tag declares, else what charset-normalizer
    detects (pages without a declaration are common on older county sites)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    m = _META_CHARSET.search(data[:4096])
    if m:
        label = m.group(1).decode("ascii").lower()
        encoding = _CHINESE_SUPERSET.get(label, label)
        try:
            return data.decode(encoding)
        except LookupError:
            pass  # an unknown label: detect instead
        except UnicodeDecodeError:
            pass  # the declaration lies (a page re-saved in another encoding): detect instead
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(name, "decode", "cannot tell the page's character encoding (no meta charset, detection failed)")
    return str(best)


def expand_spans(tree: etree._Element) -> None:
    """Write every merged cell (``rowspan``/``colspan``) into each position it covers, so that
    each row of the table carries all its columns, whatever the extractor does with spans."""
    for table in tree.iter("table"):
        rows = [tr for tr in table.iter("tr") if _nearest_table(tr) is table]
        pending: dict[int, tuple[etree._Element, int]] = {}  # column -> (cell, rows still to fill)
        for tr in rows:
            cells = [c for c in tr if c.tag in ("td", "th")]
            out: list[etree._Element] = []
            col = 0
            queue = list(cells)
            while queue or any(k >= col for k in pending):
                if col in pending:
                    cell, left = pending[col]
                    out.append(_copy_cell(cell))
                    if left > 1:
                        pending[col] = (cell, left - 1)
                    else:
                        del pending[col]
                    col += 1
                    continue
                if not queue:  # a gap left of a later rowspan: keep the columns aligned
                    out.append(etree.Element("td"))
                    col += 1
                    continue
                cell = queue.pop(0)
                rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
                for k in range(colspan):
                    placed = cell if k == 0 else _copy_cell(cell)
                    out.append(placed)
                    if rowspan > 1:
                        pending[col + k] = (cell, rowspan - 1)
                    col += 1
                for attr in ("rowspan", "colspan"):
                    cell.attrib.pop(attr, None)
            for c in list(tr):
                if c.tag in ("td", "th"):
                    tr.remove(c)
            for c in out:
                tr.append(c)


def _nearest_table(el: etree._Element) -> etree._Element | None:
    for parent in el.iterancestors("table"):
        return parent
    return None


def _span(cell: etree._Element, attr: str) -> int:
    try:
        return max(1, min(100, int(cell.get(attr, "1"))))
    except ValueError:
        return 1


def _copy_cell(cell: etree._Element) -> etree._Element:
    twin = copy.deepcopy(cell)
    twin.tail = None
    for attr in ("rowspan", "colspan"):
        twin.attrib.pop(attr, None)
    return twin


def read_html(data: bytes, name: str) -> Extracted:
    """The plan's title (the page's headline) and body, as paragraphs and table rows. A
    short page (one target sentence, or only an indicator table, inside the site's nav bar
    and footer) is read again when trafilatura dumped the whole page (:func:`_dumped`)."""
    page = decode_page(data, name)
    try:
        tree = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(name, "corrupt", f"not a readable web page ({exc})") from None
    expand_spans(tree)
    result = _extraction(copy.deepcopy(tree))
    if _dumped(result, tree):  # a short page: read it again, keeping what the main extractor found
        second, first = _extraction(tree, short=True), _text(result)
        if _text(second) and (not first or len(_text(second)) < len(first)):  # the dump less its chrome
            result = second
    body = getattr(result, "body", None) if result is not None else None
    if body is None or not _text(result):
        raise InputError(name, "empty", "no article text found on the page")
    builder = TextBuilder()
    title = (getattr(result, "title", None) or "").strip()
    first = _first_text(body)
    if title and not (first and (first in title or title in first)):
        builder.add_line(title, "title")  # the headline stood outside the article block
    _walk(body, builder, [0, 0])
    return builder.build()


@functools.cache
def _short_page_config():
    """trafilatura's settings with the minimum article size (MIN_EXTRACTED_SIZE, 250
    characters) lowered: on a short page, what its main extractor found (one target
    sentence, an indicator table) is the article, not a reason to dump the whole page."""
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _extraction(tree: etree._Element, short: bool = False) -> Any:
    """trafilatura's reading of the page; ``short``: trust the main extractor however little
    it found, with no rescue by other extractors (``fast``) and the lowered minimum."""
    import trafilatura

    options: dict[str, Any] = {"fast": True, "config": _short_page_config()} if short else {}
    return trafilatura.bare_extraction(tree, output_format="python", include_tables=True, include_comments=False, with_metadata=True, **options)


def _text(result: Any) -> str:
    body = getattr(result, "body", None) if result is not None else None
    return "" if body is None else "".join(body.itertext()).strip()


#: A single paragraph holding this share of the page's text is trafilatura's dump of the page.
DUMP_SHARE = 0.9


def _dumped(result: Any, tree: etree._Element) -> bool:
    """Whether trafilatura gave up on the page: no result, or its last rescue, the text of the
    whole page as one paragraph (nav bar, body and footer run together, table cells into
    words), which it falls back to when the article it found is short. An article that is
    one paragraph of ``<br>`` lines leaves the site's nav and footer out, so it holds less
    of the page."""
    import trafilatura

    body = getattr(result, "body", None) if result is not None else None
    if body is None:
        return True
    if not (len(body) == 1 and body[0].tag == "p"):
        return False
    page = "".join(trafilatura.html2txt(tree).split())
    return len("".join(_text(result).split())) >= DUMP_SHARE * len(page)


def _first_text(body: etree._Element) -> str:
    for el in body:
        text = "".join(el.itertext()).strip()
        if text:
            return text
    return ""


def _walk(el: etree._Element, builder: TextBuilder, counts: list[int]) -> None:
    """Paragraphs (``p``, ``head``, list items, quotes) and tables of trafilatura's body, in
    order; counts are [paragraphs, tables] so far, for the location labels."""
    for child in el:
        if child.tag == "table":
            counts[1] += 1
            rows = [r for r in child.iter("row")]
            for i, row in enumerate(rows, 1):
                builder.add_row(["".join(c.itertext()) for c in row if c.tag == "cell"], f"table {counts[1]} row {i}")
        elif child.tag == "list" or _is_container(child):
            _walk(child, builder, counts)
        else:
            counts[0] += 1
            builder.add_lines(_text_with_breaks(child), f"paragraph {counts[0]}")


#: Elements of trafilatura's output that hold paragraphs rather than text.
_BLOCKS = frozenset(("p", "head", "list", "table", "quote", "div", "code"))


def _is_container(el: etree._Element) -> bool:
    """A wrapper of paragraphs (the ``<div>`` its readability fallback returns), walked
    through so that each paragraph and its ``<br>`` lines stay apart; text of its own
    outside the paragraphs makes it a paragraph itself."""
    return el.tag == "div" and not (el.text or "").strip() and any(c.tag in _BLOCKS for c in el) and all(c.tag in _BLOCKS and not (c.tail or "").strip() for c in el)


def _text_with_breaks(el: etree._Element) -> str:
    """Text of an element, a ``<lb/>`` as a line break, so that a paragraph broken with
    ``<br>`` becomes lines that the wrap joiner judges like any other; the source's own
    newlines are only white space."""
    pieces: list[str] = [el.text or ""]
    for sub in el:
        pieces.append(_BREAK if sub.tag == "lb" else "".join(sub.itertext()))
        pieces.append(sub.tail or "")
    lines = "".join(pieces).replace("\n", " ").split(_BREAK)
    return "\n".join(" ".join(line.split()) for line in lines)
