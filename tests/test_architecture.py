"""The house keeps its layers: imports run one way, down the pipeline's stages, and there is
no import cycle. Every import counts, also the ones inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "policy_targets"

#: What each unit (a stage sub-package or a top-level module) may import, besides itself.
BASE = {"contract", "errors", "rules"}
ALLOWED: dict[str, set[str]] = {
    "contract": set(),
    "errors": set(),
    "rules": {"errors"},
    "text": BASE,
    "evaluate": BASE,  # the scorer knows the contract, never the extractor
    "formats": BASE | {"text"},
    "structure": BASE | {"text", "formats"},
    "extraction": BASE | {"text", "structure"},
    "api": BASE | {"text", "structure", "extraction", "formats"},
    "dataset": BASE | {"text", "structure", "extraction", "formats", "api", "evaluate"},
    "review": BASE | {"text", "structure", "extraction", "formats", "api", "evaluate", "dataset"},
    "rulecheck": BASE | {"text", "structure", "extraction", "api", "dataset"},
    "cli": BASE | {"text", "structure", "extraction", "formats", "api", "evaluate", "dataset", "review", "rulecheck"},
    "__init__": BASE | {"api", "extraction", "dataset"},
    "__main__": {"cli"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Package-internal modules imported by ``path`` (relative imports resolved)."""
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            mod = base + (node.module.split(".") if node.module else [])
            for alias in node.names:
                candidate = ".".join(mod + [alias.name])
                out.add(candidate if _exists(candidate) else ".".join(mod))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("policy_targets."):
            out.add(node.module.removeprefix("policy_targets."))
    return {m for m in out if m and m != "__init__"}


def _exists(dotted: str) -> bool:
    p = PACKAGE.joinpath(*dotted.split("."))
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _unit(module: str) -> str:
    return module.split(".")[0]


def test_imports_run_in_the_allowed_direction() -> None:
    wrong = []
    for module, imported in sorted(_graph().items()):
        unit = _unit(module)
        assert unit in ALLOWED, f"{module}: unit {unit!r} has no place in the layer table"
        for target in sorted(imported):
            t = _unit(target)
            if t != unit and t not in ALLOWED[unit]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if n not in graph:
                continue
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(n) :] + [n]))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_the_checker_sees_function_level_imports() -> None:
    """The import walker itself: an import inside a function is an import."""
    f = PACKAGE / "rulecheck.py"
    assert "api" in _imports(f) or "extraction.pipeline" in _imports(f)
