"""What every format reader hands on: plain text for the normaliser, and a location map that
says where each stretch of that text stood in the source file (page, paragraph, table cell).

The text is the "raw" text of the pipeline: the normaliser's offset map points into it, and a
record's ``raw_start`` is an offset into it. The location map is keyed by the same offsets,
so a record's ``location`` is one lookup of its ``raw_start``. Tables are written as one line
per row, cells joined by ``TABLE_CELL_SEPARATOR``, merged cells repeated into every position
they span, so that a reader of text tables sees a real table exactly as a typed one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import InputError

#: Between two cells of a table row in the extracted text.
TABLE_CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class LocationMap:
    """Sorted start offsets into the extracted text, each with the label of the source place
    that begins there; a place runs until the next start."""

    starts: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()

    def at(self, offset: int) -> str:
        """The label of the place holding ``offset``, ``""`` for plain text (no places)."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.labels[i] if i >= 0 else ""


@dataclass(frozen=True)
class Extracted:
    text: str
    locations: LocationMap = LocationMap()
    #: What the reader could not do or did with a doubt, which the user must know (a PDF page
    #: whose characters did not all reach the text; a repaired mojibake): warnings of the file,
    #: which is still read.
    warnings: tuple[InputError, ...] = ()
    #: Source text the reader left out because it could not place it for sure (a row of an
    #: unruled PDF table that cannot be told from its neighbours), each with where it stood:
    #: reported with the numbers left out, never joined to the wrong row.
    left_out: tuple[str, ...] = ()


@dataclass
class TextBuilder:
    """Collects lines with their source labels, keeping offsets and labels in step."""

    lines: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    _length: int = 0

    def add_line(self, text: str, label: str) -> None:
        """One source paragraph as one line (inner line breaks become spaces: a paragraph of
        the source must stay one paragraph of the text)."""
        line = " ".join(part.strip() for part in text.splitlines() if part.strip())
        if line:
            self._mark(label)
            self._append(line)

    def add_lines(self, text: str, label: str) -> None:
        """A block whose line breaks are kept (a PDF page: the wrap joiner decides later)."""
        if text.strip():
            self._mark(label)
            self._append(text.strip("\n"))

    def add_row(self, cells: Sequence[str], label: str) -> None:
        """A table row: cells joined by the separator, each cell labelled ``label cell N``."""
        texts = [" ".join(c.split()) for c in cells]
        if not any(texts):
            return
        offset = 0
        for i, cell in enumerate(texts, 1):
            self._mark(f"{label} cell {i}", offset)
            offset += len(cell) + len(TABLE_CELL_SEPARATOR)
        self._append(TABLE_CELL_SEPARATOR.join(texts))

    def build(self) -> Extracted:
        return Extracted("\n".join(self.lines) + ("\n" if self.lines else ""), LocationMap(tuple(self.starts), tuple(self.labels)))

    def _mark(self, label: str, offset: int = 0) -> None:
        self.starts.append(self._length + offset)
        self.labels.append(label)

    def _append(self, line: str) -> None:
        self.lines.append(line)
        self._length += len(line) + 1

