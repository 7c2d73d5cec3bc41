"""policy_targets: quantified targets of Chinese municipal climate and pollution plans."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["extract", "parse_number", "load_dataset", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .api import extract
    from .extraction.numbers import parse_number


def __getattr__(name: str) -> Any:
    # Lazy imports keep `import policy_targets` light (spaCy loads only when extracting).
    if name == "extract":
        from .api import extract

        return extract
    if name == "parse_number":
        from .extraction.numbers import parse_number

        return parse_number
    if name == "load_dataset":
        from .dataset.build import load_dataset

        return load_dataset
    raise AttributeError(name)
