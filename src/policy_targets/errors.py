"""Errors that name the input and the problem, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """A problem with one input file.

    ``kind`` is a short stable word (``decode``, ``binary``, ``truncated``, ``not_chinese``,
    ``empty``, ``io``, ``too_large``, ``not_found``, ``no_files``, ``invalid_record``,
    ``internal``, ``no_prediction``; from the format readers ``unsupported``, ``corrupt``,
    ``encrypted``, ``scanned``, ``convert``, ``converter_missing``, ``incomplete_text``) that
    batch error files record so that researchers can filter failures by cause. A ``warning``
    (an empty file; a PDF page whose characters did not all reach the text,
    ``incomplete_text``) is recorded like an error but does not fail the batch: an empty file
    has nothing to read, and the rest of an incomplete one is read. So is a gold plan with no
    prediction at all (``no_prediction``): the scores stand, but say why.
    """

    def __init__(self, path: str, kind: str, message: str, warning: bool = False) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.kind = kind
        self.message = message
        self.warning = warning

    def as_record(self) -> dict[str, str]:
        record = {"path": self.path, "kind": self.kind, "message": self.message}
        if self.warning:
            record["level"] = "warning"
        return record

    @classmethod
    def from_record(cls, record: dict[str, str]) -> InputError:
        return cls(record["path"], record["kind"], record["message"], record.get("level") == "warning")


class UsageError(Exception):
    """A mistake in how the tool was called or set up (exit status 2): a missing gold folder,
    an output path that is a folder, nothing to score. The message is one line, ready to print."""


class RuleError(ValueError):
    """A rulebook in ``rules/`` that cannot be used: not valid YAML, not the shape its schema
    describes, a bad regex or an unknown fragment. The message names the file, the place in
    it and the rule (``rules/verbs.yaml: direction.level_after: missing``), so that whoever
    edited the rulebook sees what to mend without reading a traceback."""


class PipelineError(RuntimeError):
    """The spaCy pipeline is put together wrongly: a component runs before the one whose
    results it needs, or on a Doc that the pipeline's tokenizer did not make."""
