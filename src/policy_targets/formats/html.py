"""Web pages: the notice body without the site around it.

A government page wraps the plan in a navigation bar, breadcrumbs, a share bar, related
links and a footer with the site's registration number. Telling the body from that chrome is
what trafilatura is built and maintained for (it scores text density and link density per
block, over a large evaluation set of real pages), so this module only decodes the page,
expands merged table cells, and walks trafilatura's XML result into paragraphs and rows.
"""

from __future__ import annotations

import copy

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
    """The plan's title (the page's headline) and body, as paragraphs and table rows."""
    import trafilatura

    page = decode_page(data, name)
    try:
        tree = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(name, "corrupt", f"not a readable web page ({exc})") from None
    expand_spans(tree)
    result = trafilatura.bare_extraction(tree, output_format="python", include_tables=True, include_comments=False, with_metadata=True)
    body = getattr(result, "body", None) if result is not None else None
    if body is None or not "".join(body.itertext()).strip():
        raise InputError(name, "empty", "no article text found on the page")
    builder = TextBuilder()
    title = (getattr(result, "title", None) or "").strip()
    first = _first_text(body)
    if title and not (first and (first in title or title in first)):
        builder.add_line(title, "title")  # the headline stood outside the article block
    _walk(body, builder, [0, 0])
    return builder.build()


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
        elif child.tag == "list":
            _walk(child, builder, counts)
        else:
            counts[0] += 1
            builder.add_lines(_text_with_breaks(child), f"paragraph {counts[0]}")


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
