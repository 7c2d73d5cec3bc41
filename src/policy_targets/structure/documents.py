"""A plan read from disk and prepared for extraction: the one place that chains reading,
normalisation and structure, so that every command sees the same document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..text.normalize import NormalizedText, normalize
from ..text.reading import DEFAULT_MAX_BYTES, read_text
from .outline import DocumentStructure, analyse
from .paragraphs import join_wrapped_lines


@dataclass(frozen=True)
class Document:
    doc_id: str
    source_file: str
    normalized: NormalizedText
    structure: DocumentStructure

    @property
    def text(self) -> str:
        return self.normalized.text


def doc_id_for(path: str | Path) -> str:
    """ANNOTATION.md: the input file's name without extension."""
    return Path(path).stem


def normalize_plan(raw: str) -> NormalizedText:
    """Normalised text with hard-wrapped lines joined into paragraphs: what every command reads."""
    return normalize(raw, join_wrapped_lines)


def prepare(raw: str, doc_id: str, source_file: str = "") -> Document:
    normalized = normalize_plan(raw)
    return Document(doc_id, source_file, normalized, analyse(normalized.text, doc_id))


def load_document(
    path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES, doc_id: str | None = None, source_file: str | None = None
) -> Document:
    """Read and prepare a plan; ``doc_id`` defaults to the file's name without extension
    (a batch passes the path relative to its input folder instead)."""
    return prepare(read_text(path, max_bytes), doc_id or doc_id_for(path), str(path) if source_file is None else source_file)
