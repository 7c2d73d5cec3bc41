"""The spaCy pipeline: ``spacy.blank("zh")`` with a tokenizer that normalises the raw text and
four components, each doing one step and leaving its results on the Doc:

- tokenizer ``policy_targets.selective_jieba.v1``: OpenCC t2s, folding, debris, wrap joins
  (the offset map back to the raw text in ``doc.user_data``), then tokens;
- ``pt_structure``: ``doc._.structure`` (headings, items, responsible units), ``doc.spans["items"]``;
- ``pt_quantities``: ``doc._.quantities`` and ``doc.spans["quantities"]`` (``span._.quantity``);
- ``pt_time_scopes``: ``doc._.year_phrases``, ``doc._.baselines`` and ``doc.spans["time_scopes"]``;
  quantities governed by a phrase of the past become excluded (``tense``);
- ``pt_targets``: ``doc._.targets`` and ``doc.spans["targets"]`` (``span._.target``).

Each component is a thin wrapper over a pure stage of :mod:`.stages` (which the records path,
``api.extract``, calls without spaCy), so the Doc and the records always agree.
The components are classes in spaCy's own manner (like ``SpanRuler``): a ``rules`` setting in
their config (``None``: the package's ``rules/``), rulebooks read in ``initialize()`` and
written by ``to_disk()``, so that ``nlp.to_disk(p)`` then ``spacy.load(p)`` reads the same
rules; each declares what it ``requires`` and ``assigns`` and refuses, with a
:class:`~policy_targets.errors.PipelineError`, a Doc that lacks what it needs.
They are registered through the ``spacy_factories`` entry point, so ``nlp.add_pipe("pt_targets")``
works wherever the package is installed.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .. import rules
from ..errors import PipelineError
from ..structure.documents import normalize_plan
from ..structure.outline import analyse
from ..text.normalize import NormalizedText
from ..text.spans import SENTENCE_BREAKS
from .lexicon import Lexicon, lexicon
from .stages import COARSE_WORDS, Segmenter, jieba_tokenizer, keep_jieba, quantities_stage, targets_stage, time_scopes_stage
from .timescope import YearPhrase

__all__ = ["COMPONENTS", "Segmenter", "blank", "build_nlp", "jieba_tokenizer", "keep_jieba"]

COMPONENTS = ("pt_structure", "pt_quantities", "pt_time_scopes", "pt_targets")
#: Keys of ``doc.user_data``: the normalised text with its offset map, and the text itself.
NORMALIZED = "policy_targets.normalized"
TEXT = "policy_targets.text"
_SENTENCE = regex.compile(rf"[^{SENTENCE_BREAKS}]*[{SENTENCE_BREAKS}]?")

for _name in ("structure", "quantities", "year_phrases", "baselines", "targets", "quotes", "regions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("quantity", "time_scope", "target"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


# --- tokenizer -----------------------------------------------------------------------------


class SelectiveJiebaTokenizer:
    """Normalises raw text (as ``extract()`` does) and cuts it into tokens: runs of Chinese,
    Latin and digits, cut at the edges of every number with its unit so that quantity spans
    are exact. The components need no more: they cut words themselves where they need them
    (:class:`Segmenter`), so a plan pays for jieba's dictionary only when words matter.
    ``words=True`` cuts sentences that hold a quantity into jieba words instead, for readers
    of the tokens (loading jieba's dictionary at the first Doc). The normalised text and its offset
    map are kept in ``doc.user_data["policy_targets.normalized"]``."""

    def __init__(self, vocab, words: bool = False, rules_dir: str | None = None) -> None:
        self.vocab = vocab
        self.words = words
        self.rules_dir = rules_dir
        self._userdict: str | None = None

    def _quantity(self) -> regex.Pattern[str]:
        return lexicon(self.rules_dir).quantity

    def __call__(self, text: str) -> Doc:
        return self.from_normalized(normalize_plan(text))

    def from_normalized(self, normalized: NormalizedText) -> Doc:
        """The Doc of text that is already normalised (a prepared document)."""
        text = normalized.text
        quantity = self._quantity()
        words: list[str] = []
        for m in _SENTENCE.finditer(text):
            sentence = m.group(0)
            if not sentence:
                continue
            if not quantity.search(sentence):
                words.extend(COARSE_WORDS.findall(sentence))
            elif self.words:
                words.extend(w for w in keep_jieba(self.userdict()).lcut(sentence) if w)
            else:  # runs cut at the edges of each quantity, so that its span is exact
                pos = 0
                for q in quantity.finditer(sentence):
                    words.extend(COARSE_WORDS.findall(sentence, pos, q.start()))
                    words.extend(COARSE_WORDS.findall(sentence, q.start(), q.end()))
                    pos = q.end()
                words.extend(COARSE_WORDS.findall(sentence, pos))
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        doc.user_data[NORMALIZED] = normalized
        doc.user_data[TEXT] = text
        return doc

    def userdict(self) -> str:
        if self._userdict is None:
            self._userdict = rules.userdict_path(self.rules_dir).read_text("utf-8")
        return self._userdict

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        pkuseg_model: str | None = None,
        pkuseg_user_dict: str | None = "default",
    ) -> None:
        """Read the user dictionary. ``pkuseg_*``: what spaCy's ``zh`` language puts in
        ``[initialize.tokenizer]``; this tokenizer does not use pkuseg."""
        self.userdict()

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.userdict().encode("utf-8")

    def from_bytes(self, data: bytes, **kwargs: Any) -> SelectiveJiebaTokenizer:
        self._userdict = data.decode("utf-8")
        return self

    def to_disk(self, path: str | Path, **kwargs: Any) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "jieba_userdict.txt").write_text(self.userdict(), "utf-8")

    def from_disk(self, path: str | Path, **kwargs: Any) -> SelectiveJiebaTokenizer:
        self._userdict = (Path(path) / "jieba_userdict.txt").read_text("utf-8")
        return self


@registry.tokenizers("policy_targets.selective_jieba.v1")
def create_selective_jieba_tokenizer(words: bool = False, rules: str | None = None):
    def create(nlp: Language) -> SelectiveJiebaTokenizer:
        return SelectiveJiebaTokenizer(nlp.vocab, words, rules)

    return create


# --- helpers -------------------------------------------------------------------------------


def doc_text(doc: Doc) -> str:
    """The Doc's text, read once: ``Doc.text`` joins every token on each access."""
    text = doc.user_data.get(TEXT)
    if text is None:
        text = doc.user_data[TEXT] = doc.text
    return text


def _need(doc: Doc, component: str, attrs: dict[str, str]) -> None:
    """Refuse a Doc that lacks what an earlier component sets: a wrong order or a missing
    component is named, not an AttributeError further down."""
    for attr, setter in attrs.items():
        if getattr(doc._, attr) is None:
            raise PipelineError(f"{component} needs doc._.{attr}, which {setter} sets: add {setter} before {component}")


def _put_spans(doc: Doc, key: str, objects, label, attr: str | None = None, bounds=lambda o: (o.start, o.end)) -> None:
    """One span per object on ``doc.spans[key]`` (expanded to token edges), the object itself
    on ``span._.<attr>``; ``label`` is a string or a function of the object."""
    spans = []
    for obj in objects:
        start, end = bounds(obj)
        span = doc.char_span(start, end, label=label(obj) if callable(label) else label, alignment_mode="expand")
        if span is None:
            continue
        if attr:
            setattr(span._, attr, obj)
        spans.append(span)
    doc.spans[key] = spans


# --- components ----------------------------------------------------------------------------


class RulebookPipe:
    """A component that reads the extraction rulebooks of a rules folder: loaded in
    ``initialize()`` (or at the first Doc, so that ``add_pipe`` alone is enough), written with
    the pipeline by ``to_disk()`` and read back by ``from_disk()``."""

    def __init__(self, nlp: Language, name: str, rules: str | None = None) -> None:
        self.name = name
        self.rules_dir = rules
        self._lex: Lexicon | None = None

    @property
    def lex(self) -> Lexicon:
        if self._lex is None:
            self.initialize()
        assert self._lex is not None
        return self._lex

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None, rules: str | None = None) -> None:
        """Read and check the rulebooks (``rules`` overrides the configured folder)."""
        if rules is not None:
            self.rules_dir = rules
        self._lex = lexicon(self.rules_dir)
        self._loaded()

    def _loaded(self) -> None:
        """Hook for what a component derives from its rulebooks."""

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the rulebooks this component reads (with their schemas) under ``path/rules``."""
        source = Path(self.rules_dir) if self.rules_dir else rules.rules_dir()
        _ = self.lex  # a broken rulebook is refused before anything is written
        target = Path(path) / "rules"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> RulebookPipe:
        self.initialize(rules=str(Path(path) / "rules"))
        return self


class StructurePipe:
    """Headings, items and their 责任单位 blocks (``doc._.structure``). A Doc that another
    tokenizer made is accepted only when its text is already normalised."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.structure is None:
            normalized = doc.user_data.get(NORMALIZED)
            if normalized is None:
                normalized = normalize_plan(doc.text)
                if normalized.text != doc.text:
                    raise PipelineError(
                        "pt_structure: the Doc's text is not normalised (traditional script, full-width "
                        "characters or debris): make Docs with the policy_targets.selective_jieba.v1 tokenizer"
                    )
                doc.user_data[NORMALIZED] = normalized
            doc._.structure = analyse(doc_text(doc), doc.user_data.get("doc_id", ""))
        _put_spans(doc, "items", doc._.structure.items, "item")
        return doc


class QuantitiesPipe(RulebookPipe):
    """Numbers with units and comparator words, in the regions of the plan's paragraphs;
    excluded ones carry their reason (:func:`.stages.quantities_stage`)."""

    def __call__(self, doc: Doc) -> Doc:
        _need(doc, self.name, {"structure": "pt_structure"})
        doc._.regions, doc._.quotes, doc._.quantities = quantities_stage(doc_text(doc), doc._.structure, self.lex)
        _put_spans(doc, "quantities", doc._.quantities, lambda q: q.excluded or "quantity", "quantity")
        return doc


class TimeScopesPipe(RulebookPipe):
    """Year phrases and baselines of each region (:func:`.stages.time_scopes_stage`)."""

    def __call__(self, doc: Doc) -> Doc:
        _need(doc, self.name, {"structure": "pt_structure", "regions": "pt_quantities", "quotes": "pt_quantities", "quantities": "pt_quantities"})
        before = doc._.quantities
        phrases, baselines, quantities = time_scopes_stage(doc_text(doc), doc._.structure, self.lex, doc._.regions, doc._.quotes, before)
        changed = len(quantities) != len(before) or any(a is not b for a, b in zip(quantities, before))
        doc._.year_phrases, doc._.baselines, doc._.quantities = phrases, baselines, quantities
        _put_spans(doc, "time_scopes", phrases + baselines, lambda o: "year" if isinstance(o, YearPhrase) else "baseline", "time_scope")
        if changed:  # the spans carry the exclusion reason as their label
            _put_spans(doc, "quantities", quantities, lambda q: q.excluded or "quantity", "quantity")
        return doc


class TargetsPipe(RulebookPipe):
    """The targets of each region that holds a candidate quantity (``doc._.targets``;
    :func:`.stages.targets_stage`)."""

    def _loaded(self) -> None:
        self._userdict = rules.userdict_path(self.rules_dir).read_text("utf-8")

    def __call__(self, doc: Doc) -> Doc:
        _need(doc, self.name, {"structure": "pt_structure", "quantities": "pt_quantities", "year_phrases": "pt_time_scopes"})
        lex = self.lex  # loads the rulebooks and the user dictionary at the first Doc
        drafts = targets_stage(doc_text(doc), doc._.structure, lex, self._userdict, doc._.regions, doc._.quantities, doc._.year_phrases, doc._.baselines)
        doc._.targets = drafts
        _put_spans(doc, "targets", drafts, "target", "target", bounds=lambda d: (d.evidence_start, d.evidence_end))
        return doc


_RULES_CONFIG = {"rules": None}


@Language.factory("pt_structure", assigns=["doc._.structure", "doc.spans"])
def make_structure(nlp: Language, name: str) -> StructurePipe:
    return StructurePipe(nlp, name)


@Language.factory(
    "pt_quantities",
    default_config=_RULES_CONFIG,
    requires=["doc._.structure"],
    assigns=["doc._.quantities", "doc._.regions", "doc._.quotes", "doc.spans"],
)
def make_quantities(nlp: Language, name: str, rules: str | None) -> QuantitiesPipe:
    return QuantitiesPipe(nlp, name, rules)


@Language.factory(
    "pt_time_scopes",
    default_config=_RULES_CONFIG,
    requires=["doc._.structure", "doc._.regions", "doc._.quotes", "doc._.quantities"],
    assigns=["doc._.year_phrases", "doc._.baselines", "doc._.quantities", "doc.spans"],
)
def make_time_scopes(nlp: Language, name: str, rules: str | None) -> TimeScopesPipe:
    return TimeScopesPipe(nlp, name, rules)


@Language.factory(
    "pt_targets",
    default_config=_RULES_CONFIG,
    requires=["doc._.structure", "doc._.quantities", "doc._.year_phrases", "doc._.baselines"],
    assigns=["doc._.targets", "doc.spans"],
)
def make_targets(nlp: Language, name: str, rules: str | None) -> TargetsPipe:
    return TargetsPipe(nlp, name, rules)


def blank(words: bool = False) -> Language:
    """``spacy.blank("zh")`` with the normalising tokenizer."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "policy_targets.selective_jieba.v1", "words": words}}})


@functools.cache
def build_nlp() -> Language:
    """The full pipeline, built and initialised once per process (and once per worker in a batch)."""
    nlp = blank()
    # No component reads lexical attributes (like_num, shape …); computing them for every new
    # token string is most of the cost of building a Doc once strings are freed per document.
    nlp.vocab.lex_attr_getters = {}
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.initialize()
    return nlp
