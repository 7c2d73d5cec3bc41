"""Errors that name the input and the problem, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """A problem with one input file.

    ``kind`` is a short stable word (``decode``, ``binary``, ``truncated``, ``io``,
    ``too_large``, ``duplicate_doc_id``, ``not_found``; from the format readers
    ``unsupported``, ``corrupt``, ``encrypted``, ``scanned``, ``empty``, ``convert``,
    ``converter_missing``) that batch error files record so that researchers can filter
    failures by cause.
    """

    def __init__(self, path: str, kind: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.kind = kind
        self.message = message

    def as_record(self) -> dict[str, str]:
        return {"path": self.path, "kind": self.kind, "message": self.message}
