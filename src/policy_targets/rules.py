"""Access to the rulebooks in ``rules/``: one layer that finds, parses, expands and validates them.

Domain knowledge (units, comparator words, heading forms, debris patterns …) is data that a
domain expert edits without touching code. This module is the only reader of those files, so
that every rulebook gets the same treatment:

- shared fragments (``rules/fragments.yaml``: the year, list joiners, baseline words, change
  and level verbs …) are written once and referenced from any pattern as ``{name}``;
- each rulebook is checked against its JSON Schema (``rules/schema/<name>.schema.json``)
  when it is loaded, and every regex in it is compiled, so that a broken rulebook fails at
  once with a :class:`~policy_targets.errors.RuleError` naming the file, the place and the
  rule (``rules/verbs.yaml: direction.level_after: missing``) instead of a traceback deep in
  the extractor.

Each file is read once per process and folder; :func:`clear_caches` forgets them (the
mutation script edits rulebooks in a loop).
"""

from __future__ import annotations

import _sre
import atexit
import contextlib
import functools
import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import regex

from .errors import RuleError

#: Environment variable that points the tool at another rules folder (for experiments).
RULES_ENV = "POLICY_TARGETS_RULES"
#: ``{name}`` with a lowercase name: a fragment reference. Regex quantifiers ({2,4}) hold
#: digits and Unicode properties (\p{Han}) start with a capital, so neither is taken for one.
#: Environment variable naming the folder of the checked-rulebooks cache ("" turns it off).
CACHE_ENV = "POLICY_TARGETS_CACHE"
_REFERENCE = regex.compile(r"(?<!\\[pPN])\{([a-z][a-z0-9_]*)\}")


def rules_dir() -> Path:
    """The folder holding the rulebooks.

    A source checkout keeps them at the repository top level (``rules/``) so that experts find
    them at once; a built wheel carries a copy inside the package.
    """
    override = os.environ.get(RULES_ENV)
    if override:
        return Path(override)
    return _bundled_rules_dir()


@functools.cache
def _bundled_rules_dir() -> Path:
    """The package's own rules folder, looked up once (resolving the path costs system calls,
    and every document asks)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "rules", here / "rules"):
        if (candidate / "normalization.yaml").is_file():
            return candidate
    raise FileNotFoundError(f"rules folder not found next to {here}; set {RULES_ENV}")


def _folder(folder: str | Path | None) -> Path:
    return Path(folder) if folder is not None else rules_dir()


def _label(folder: Path, name: str) -> str:
    """How errors name a rulebook: ``rules/verbs.yaml`` (the folder's own name, then the file)."""
    return f"{folder.name}/{name}.yaml"


@functools.cache
def _raw(folder: Path, name: str) -> dict[str, Any]:
    import yaml  # only when a rulebook is read, not when the checked cache is

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it: 10x faster
    path = folder / f"{name}.yaml"
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=loader)
    except OSError as exc:
        raise RuleError(f"{_label(folder, name)}: cannot be read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise RuleError(f"{_label(folder, name)}: {where}not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise RuleError(f"{_label(folder, name)}: expected a mapping at the top level")
    return data


def _pick(node: Any, keys: list[str]) -> list[str]:
    """The words at a dotted path; a list on the way is walked element by element, a mapping
    at the end gives its keys (the period names)."""
    if not keys:
        if isinstance(node, dict):
            return [str(k) for k in node]
        if isinstance(node, list):
            return [str(w) for w in node]
        return []
    if isinstance(node, list):
        return [w for item in node for w in _pick(item, keys)]
    if isinstance(node, dict) and keys[0] in node:
        return _pick(node[keys[0]], keys[1:])
    raise KeyError(keys[0])


def fragments(folder: str | Path | None = None) -> dict[str, str]:
    """Each fragment of ``fragments.yaml`` as regex source, references inside it resolved."""
    return _checked(_folder(folder))["fragments"]


@functools.cache
def _resolve_fragments(folder: Path) -> dict[str, str]:
    book = _raw(folder, "fragments").get("fragments", {})
    label = _label(folder, "fragments")
    out: dict[str, str] = {}
    for name, spec in book.items():
        if not isinstance(spec, dict):
            raise RuleError(f"{label}: fragments.{name}: expected a mapping")
        if "pattern" in spec:
            out[name] = str(spec["pattern"])
        elif "words" in spec:
            out[name] = alternation(spec["words"])
        elif "chars" in spec:  # pasted inside a character class
            out[name] = "".join(regex.escape(c) for c in str(spec["chars"]))
        elif "from" in spec:
            words: list[str] = []
            for source in spec["from"]:
                book_name, *keys = str(source).split(".")
                try:
                    words += _pick(_raw(folder, book_name), keys)
                except KeyError as exc:
                    _validate(folder, book_name, _raw(folder, book_name))  # names the gap in its own file
                    raise RuleError(f"{label}: fragments.{name}: from {source}: {exc.args[0]}: missing") from None
            out[name] = alternation(words)
        else:
            raise RuleError(f"{label}: fragments.{name}: needs pattern, words or from")
    for name in out:  # fragments may reference earlier ones
        out[name] = _expand(out[name], out, f"{label}: fragments.{name}", {name})
    return out


def _expand(text: str, table: dict[str, str], where: str, seen: frozenset[str] | set[str] = frozenset()) -> str:
    def sub(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name in seen:
            raise RuleError(f"{where}: fragment {{{name}}} refers to itself")
        if name not in table:
            raise RuleError(f"{where}: unknown fragment {{{name}}}")
        return _expand(table[name], table, where, {*seen, name})

    return _REFERENCE.sub(sub, text) if "{" in text else text


def _path(parts: Iterable[Any], node: Any = None) -> str:
    """A readable place in a rulebook: ``context[scope_frame].pattern`` (list items by their
    rule name when they have one)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            name = (item.get("id") or item.get("name")) if isinstance(item, dict) else None
            out += f"[{name if name is not None else part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "<top>"


def _expand_tree(node: Any, table: dict[str, str], label: str, parts: tuple[Any, ...], root: Any) -> Any:
    if isinstance(node, str):
        return _expand(node, table, f"{label}: {_path(parts, root)}")
    if isinstance(node, list):
        return [_expand_tree(v, table, label, (*parts, i), root) for i, v in enumerate(node)]
    if isinstance(node, dict):
        return {k: (v if k in ("examples", "counterexamples", "description") else _expand_tree(v, table, label, (*parts, k), root)) for k, v in node.items()}
    return node


@functools.cache
def _schema_validator(folder: Path, name: str) -> Any:
    import jsonschema  # only when a rulebook is validated, not on every import
    from referencing import Registry, Resource

    schemas = folder / "schema"
    try:
        schema = json.loads((schemas / f"{name}.schema.json").read_text("utf-8"))
        common = json.loads((schemas / "common.schema.json").read_text("utf-8"))
    except OSError as exc:
        raise RuleError(f"{_label(folder, name)}: no schema ({schemas.name}/{Path(exc.filename or '').name})") from None
    registry = Registry().with_resource("common.schema.json", Resource.from_contents(common))
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("regex", raises=regex.error)
    def _is_regex(value: object) -> bool:
        if isinstance(value, str):
            regex.compile(value, regex.V0)
        return True

    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=checker)


def _validate(folder: Path, name: str, data: dict[str, Any]) -> None:
    validator = _schema_validator(folder, name)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if not errors:
        return
    e = errors[0]
    where = _path(e.absolute_path, data)
    if e.validator == "required":
        missing = [k for k in e.validator_value if not (isinstance(e.instance, dict) and k in e.instance)][0]
        where = f"{where}.{missing}" if where != "<top>" else missing
        problem = "missing"
    elif e.validator in ("additionalProperties", "unevaluatedProperties"):
        known = {*e.schema.get("properties", {}), "description", "examples", "counterexamples", "name"}
        extra = sorted(set(e.instance) - known) or ["?"]
        where, problem = (f"{where}.{extra[0]}" if where != "<top>" else extra[0]), "unknown key"
    elif e.validator == "format" and e.validator_value == "regex":
        cause = e.cause if e.cause is not None else e.message
        problem = f"bad regex: {cause}"
    else:
        problem = e.message
    raise RuleError(f"{_label(folder, name)}: {where}: {problem}")


def _check(folder: Path, name: str) -> dict[str, Any]:
    data = _raw(folder, name)
    if name != "fragments":
        data = _expand_tree(data, _resolve_fragments(folder), _label(folder, name), (), data)
    _validate(folder, name, data)
    return data


def cache_root() -> Path | None:
    """The folder where what is slow to build from data files is kept between runs (``$POLICY_TARGETS_CACHE``,
    else ``~/.cache/policy_targets``); None when the variable is set empty (no cache)."""
    base = os.environ.get(CACHE_ENV)
    if base == "":
        return None
    return Path(base) if base else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy_targets"


def read_cached(path: Path | None) -> Any:
    """The object pickled at ``path``; None when there is none or it cannot be read."""
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def write_cached(path: Path | None, obj: Any) -> None:
    """Pickle ``obj`` at ``path`` atomically, older entries of its name pruned
    (:func:`prune_older`); a cache that cannot be written is simply not kept."""
    if path is None:
        return
    try:
        write_atomically(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):  # full disk; an object pickle cannot take
        return
    prune_older(path)


#: Entries of one name that the cache folder keeps, the last written: one for each version
#: of the code, the rulebooks or a library's install that a user switches between.
KEPT_ENTRIES = 4
#: A cache entry's file name: its name, the digest of what it was built from, its suffix.
_ENTRY = regex.compile(r"(?P<name>.+)-[0-9a-f]{32}(?P<suffix>\.[a-z]+)")


def prune_older(path: Path, keep: int = KEPT_ENTRIES) -> None:
    """Remove the entries of the same name and suffix as the one just written at ``path``
    but another digest, all but the ``keep`` last written. Each version of the code or the
    rulebooks, and each install of jieba (a 9 MB parts file), writes an entry of its own
    that nothing would ever remove: a developer's folder held 800 of them (330 MB). One still
    in use that is removed is built again when next needed."""
    entry = _ENTRY.fullmatch(path.name)
    if entry is None:
        return
    try:
        siblings = [
            (p.stat().st_mtime_ns, p)
            for p in path.parent.glob(f"*{entry['suffix']}")
            if p != path and (other := _ENTRY.fullmatch(p.name)) and other["name"] == entry["name"] and other["suffix"] == entry["suffix"]
        ]
    except OSError:
        return  # another process removed one meanwhile: prune next time
    for _, old in sorted(siblings, reverse=True)[keep - 1 :]:
        with contextlib.suppress(OSError):
            old.unlink()


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` whole or not at all: into a temporary file beside it, renamed
    over it, removed when the write fails (a full disk), so that processes reading the cache
    meanwhile see the old entry or the new one. Raises OSError."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def kept(name: str, sources: Iterable[Path], build: Callable[[], Any]) -> Any:
    """What ``build()`` returns, kept on disk between runs beside the checked rulebooks: for
    data a library ships that is slow to import or parse whole (jieba's dictionary, pypinyin's
    readings) and quick to unpickle. The entry is named by ``name`` and the sizes and times of
    the ``sources`` it is built from, so another version of them makes a new one; built each
    time when no cache can be kept."""
    path = kept_path(name, sources)
    return build() if path is None else _kept_at(path, build)


def kept_path(name: str, sources: Iterable[Path], suffix: str = ".pickle") -> Path | None:
    """Where :func:`kept` keeps what is built from ``sources`` under ``name``: named by the
    sizes and times of the sources; None when no cache can be kept."""
    root = cache_root()
    if root is None:
        return None
    digest = hashlib.sha256(name.encode())
    for source in sources:
        st = source.stat()
        digest.update(f"\0{source}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return root / f"{name}-{digest.hexdigest()[:32]}{suffix}"


def _kept_at(path: Path, build: Callable[[], Any]) -> Any:
    """The object pickled at ``path``, or ``build()``'s, then pickled there."""
    found = read_cached(path)
    if found is None:
        found = build()
        write_cached(path, found)
    return found


@functools.cache
def _digest(folder: Path) -> str:
    """A digest of every rulebook and schema of a folder and of this module: any edit changes it."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("schema/*.json")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def _code_digest() -> str:
    """A digest of the package's code (each module's path, size and time) and of the versions
    of Python and regex: what the compiled objects of :func:`kept_compiled` also depend on."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.version}\0{regex.__version__}".encode())
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        digest.update(f"\0{path.relative_to(package)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def _cache_file(folder: Path) -> Path | None:
    """Where the checked rulebooks of a folder are kept between runs: named by a digest of
    every rulebook, every schema and this module, so any edit makes a new entry."""
    root = cache_root()
    if root is None:
        return None
    return root / f"rules-{_digest(folder)[:32]}.pickle"


def kept_compiled(name: str, folder: Path, build: Callable[[], Any]) -> Any:
    """What ``build()`` compiles from the rulebooks of ``folder`` (the catalogue's 465
    patterns, the lexicon), kept on disk beside the checked rulebooks. Compiled ``regex``
    patterns pickle with their compiled code, so reading them back skips the parsing that is
    most of a short plan's start-up (0.2 s against a few milliseconds). The entry is named by
    the rulebooks' digest and the code's (:func:`_code_digest`), so an edit to either makes a
    new one; built each time when no cache can be kept."""
    root = cache_root()
    if root is None:
        return build()
    return _kept_at(root / f"{name}-{hashlib.sha256(f'{_digest(folder)}{_code_digest()}'.encode()).hexdigest()[:32]}.pickle", build)


@functools.cache
def _checked(folder: Path) -> dict[str, Any]:
    """Every rulebook of a folder, expanded and checked. Checking (jsonschema, every regex
    compiled) costs more than the rest of start-up, so its result is kept on disk; a cache
    that cannot be read or written is simply not used."""
    cache = _cache_file(folder)
    books = read_cached(cache)
    if books is None:
        books = {"books": {name: _check(folder, name) for name in rulebooks(folder)}, "fragments": _resolve_fragments(folder)}
        write_cached(cache, books)
    return books


def _load(folder: Path, name: str) -> dict[str, Any]:
    books = _checked(folder)["books"]
    if name not in books:
        raise RuleError(f"{_label(folder, name)}: no such rulebook")
    return books[name]


def load(name: str, folder: str | Path | None = None) -> dict[str, Any]:
    """``rules/<name>.yaml``: parsed, fragment references expanded, checked against its schema."""
    return _load(_folder(folder), name)


@functools.cache
def compile_pattern(pattern: str) -> regex.Pattern[str]:
    """Compile a rule pattern once (rules use the ``regex`` dialect: ``\\p{Han}`` …), or take
    it compiled from the pattern store kept on disk (:func:`keep_pattern_store`)."""
    store = keep_pattern_store()
    found = store.compiled.get(pattern)
    if found is None:
        found = store.compiled[pattern] = regex.compile(pattern, regex.V0)
        store.added = True
    store.used.add(pattern)
    return found


def compile_re(source: str) -> re.Pattern[str]:
    """``re.compile(source)``, its compiled code kept in the pattern store like the rule
    patterns (:func:`keep_pattern_store`). Python's ``re`` pickles a pattern as its source and
    compiles it again when unpickled; the patterns handed to it spell out ``\\p{Han}`` as a
    class of ranges (``text.alternation.spelled_out``), whose compiling visits each of its
    28,000 basic-plane characters in Python: 0.5-2 ms a pattern, 18 ms of a one-sentence
    plan's start-up. What is kept is what ``re`` gives its engine (``_sre.compile``'s
    arguments), under the Python version that made it; anything the engine refuses, or an
    ``re`` whose internals differ, is compiled the usual way."""
    store = keep_pattern_store()
    key = ("re", source)  # beside the rule patterns, which are keyed by their source alone
    kept = store.compiled.get(key)
    store.used.add(key)
    if kept is not None:
        try:
            return _sre.compile(source, *kept)
        except Exception:  # a stale or damaged entry: compiled below, kept again
            pass
    compiled = re.compile(source)
    try:
        parsed = re._parser.parse(source, 0)  # type: ignore[attr-defined]
        code = re._compiler._code(parsed, 0)  # type: ignore[attr-defined]
        index = parsed.state.groupdict
        names = [None] * parsed.state.groups
        for name, i in index.items():
            names[i] = name
        kept = (int(parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, dict(index), tuple(names))  # plain ints pickle
        if _sre.compile(source, *kept) == compiled:  # the engine's code compared, not only the source
            store.compiled[key] = kept
            store.added = True
    except Exception:  # another Python's internals: nothing kept
        pass
    return compiled


class _PatternStore:
    """Rule patterns compiled in earlier runs, by their source (see :func:`keep_pattern_store`)."""

    def __init__(self, path: Path | None, compiled: dict[Any, Any]) -> None:
        """``compiled``: rule patterns by their source, and ``re``'s compiled code by
        ``("re", source)`` (:func:`compile_re`)."""
        self.path = path
        self.compiled = compiled
        self.used: set[str] = set()
        self.added = False

    def write(self) -> None:
        """Keep what this process compiled for the next; when the store has grown past
        :data:`PATTERN_STORE_LIMIT` (rulebooks edited many times), only what this process used."""
        if not self.added:
            return
        kept = self.compiled if len(self.compiled) <= PATTERN_STORE_LIMIT else {p: self.compiled[p] for p in self.used}
        write_cached(self.path, kept)
        self.added = False


#: Patterns the store holds before it is pruned to those of one run (the rulebooks have ~300).
PATTERN_STORE_LIMIT = 3000


@functools.cache
def keep_pattern_store() -> _PatternStore:
    """The rule patterns compiled by earlier processes, kept on disk (named by the versions of
    Python and regex, on which the compiled code depends). The patterns of the rulebooks other
    than the catalogue and the lexicon (debris, headings, time scopes …), compiled at every
    start, were a tenth of a one-sentence plan's start-up (22 ms against 1 ms unpickled). What
    a process adds is written when it exits; a forked worker leaves without writing (it ends by
    ``os._exit``), so only the process that started the batch does. Kept by
    :func:`clear_caches` (``keep_``): an entry is a pure function of its source."""
    root = cache_root()
    path = None if root is None else root / f"patterns-{hashlib.sha256(f'{sys.version}{regex.__version__}'.encode()).hexdigest()[:32]}.pickle"
    found = read_cached(path)
    store = _PatternStore(path, found if isinstance(found, dict) else {})
    atexit.register(store.write)
    return store


def alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first so that 及以上 wins over 以上."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(regex.escape(w) for w in ordered)


def rulebooks(folder: str | Path | None = None) -> list[str]:
    """The names of the rulebooks in a folder (``units``, ``verbs`` …)."""
    return sorted(p.stem for p in _folder(folder).glob("*.yaml"))


def userdict_path(folder: str | Path | None = None) -> Path:
    """The jieba user dictionary (plain ``word freq tag`` lines)."""
    return _folder(folder) / load("segmentation", folder)["userdict"]["file"]


def clear_caches() -> None:
    """Forget every rulebook and everything compiled from one, in every module of the package
    (each ``functools.cache`` whose name does not start with ``keep_``): the next call reads
    the files again. The jieba dictionaries are kept, keyed by their content."""
    for module_name, module in list(sys.modules.items()):
        if module is None or not module_name.startswith("policy_targets"):
            continue
        for attr, value in list(vars(module).items()):
            if callable(getattr(value, "cache_clear", None)) and not attr.startswith("keep_"):
                value.cache_clear()
