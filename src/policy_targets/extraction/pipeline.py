"""The spaCy pipeline: ``spacy.blank("zh")`` with a tokenizer that normalises the raw text and
four components, each doing one step and leaving its results on the Doc:

- tokenizer ``policy_targets.selective_jieba.v1``: OpenCC t2s, folding, debris, wrap joins
  (the offset map back to the raw text in ``doc.user_data``), then tokens;
- ``pt_structure``: ``doc._.structure`` (headings, items, responsible units), ``doc.spans["items"]``;
- ``pt_quantities``: ``doc._.quantities`` and ``doc.spans["quantities"]`` (``span._.quantity``);
- ``pt_time_scopes``: ``doc._.year_phrases``, ``doc._.baselines`` and ``doc.spans["time_scopes"]``;
  quantities governed by a phrase of the past become excluded (``tense``);
- ``pt_targets``: ``doc._.targets`` and ``doc.spans["targets"]`` (``span._.target``).

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
import io
import shutil
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import replace
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
from .frames import Paragraph
from .lexicon import Lexicon, lexicon
from .quantities import find_quantities, quote_spans
from .tables import table_targets
from .targets import paragraph_targets
from .tense import exclude_past, written_year_by_horizon
from .timescope import YearPhrase, find_time_scopes
from .years import YearContext

COMPONENTS = ("pt_structure", "pt_quantities", "pt_time_scopes", "pt_targets")
#: Keys of ``doc.user_data``: the normalised text with its offset map, and the text itself.
NORMALIZED = "policy_targets.normalized"
TEXT = "policy_targets.text"
_COARSE = regex.compile(r"\p{Han}+|[A-Za-z]+|\d+(?:\.\d+)?|\s|.", regex.S)
_SENTENCE = regex.compile(rf"[^{SENTENCE_BREAKS}]*[{SENTENCE_BREAKS}]?")
_BREAK = regex.compile(rf"[{SENTENCE_BREAKS}]")

for _name in ("structure", "quantities", "year_phrases", "baselines", "targets", "quotes", "regions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("quantity", "time_scope", "target"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


# --- jieba ---------------------------------------------------------------------------------


@functools.cache
def keep_jieba(userdict: str) -> Any:
    """A jieba tokenizer of our own with a user dictionary (its text), built on first use.

    Loading jieba's main dictionary is the largest start-up cost of the tool, so it is paid
    only when a sentence is really segmented (coordinated subjects), and once per process and
    dictionary: the cache is keyed by the dictionary's text and survives ``rules.clear_caches``
    (hence the ``keep_`` name). Our own instance, because the global one is process-wide state
    that other code may change."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba reports dictionary loading on stderr otherwise
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(io.StringIO(userdict))
    return tk


def jieba_tokenizer(folder: str | Path | None = None) -> Any:
    """The jieba tokenizer with the user dictionary of a rules folder."""
    return keep_jieba(rules.userdict_path(folder).read_text("utf-8"))


class Segmenter:
    """Words of a span of a Doc's text, as the jieba tokenizer cuts the sentence around it: a
    sentence that holds a number with a unit is cut by jieba, any other into runs of Chinese,
    Latin and digits. Sentences are cut on demand and remembered, so a plan whose targets
    never need words never loads jieba's dictionary."""

    def __init__(self, text: str, quantity: regex.Pattern[str], userdict: str) -> None:
        self.text = text
        self.quantity = quantity
        self.userdict = userdict
        self._breaks: list[int] | None = None
        self._words: dict[int, list[tuple[int, int]]] = {}

    def sentence(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos``: it ends after a break mark, as the tokenizer cuts."""
        if self._breaks is None:
            self._breaks = [m.start() for m in _BREAK.finditer(self.text)]
        i = bisect_left(self._breaks, pos)
        start = self._breaks[i - 1] + 1 if i > 0 else 0
        end = self._breaks[i] + 1 if i < len(self._breaks) else len(self.text)
        return start, end

    def words(self, sentence: str) -> list[str]:
        if self.quantity.search(sentence):
            return [w for w in keep_jieba(self.userdict).lcut(sentence) if w]
        return _COARSE.findall(sentence)

    def _spans(self, start: int) -> list[tuple[int, int]]:
        spans = self._words.get(start)
        if spans is None:
            a, b = self.sentence(start)
            spans, pos = [], a
            for w in self.words(self.text[a:b]):
                spans.append((pos, pos + len(w)))
                pos += len(w)
            self._words[start] = spans
        return spans

    def __call__(self, start: int, end: int, fallback: str) -> list[str]:
        """The words overlapping ``[start, end)``, clipped to it; ``fallback`` cut alone when
        it is not found in the text (start < 0)."""
        if start < 0:
            return keep_jieba(self.userdict).lcut(fallback)
        out, pos = [], start
        while pos < end:
            a, b = self.sentence(pos)
            out += [self.text[max(s, start) : min(e, end)] for s, e in self._spans(a) if s < end and e > start]
            pos = b
        return out


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
                words.extend(_COARSE.findall(sentence))
            elif self.words:
                words.extend(w for w in keep_jieba(self.userdict()).lcut(sentence) if w)
            else:  # runs cut at the edges of each quantity, so that its span is exact
                pos = 0
                for q in quantity.finditer(sentence):
                    words.extend(_COARSE.findall(sentence, pos, q.start()))
                    words.extend(_COARSE.findall(sentence, q.start(), q.end()))
                    pos = q.end()
                words.extend(_COARSE.findall(sentence, pos))
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


def _by_region(regions: list[tuple[int, int]], objects: list, start=lambda o: o.start) -> list[list]:
    """Objects (sorted by start) grouped by the region that holds their start, in one pass."""
    out: list[list] = [[] for _ in regions]
    starts = [a for a, _ in regions]
    for obj in objects:
        i = bisect_right(starts, start(obj)) - 1
        if i >= 0 and start(obj) < regions[i][1]:
            out[i].append(obj)
    return out


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
    excluded ones carry their reason."""

    def __call__(self, doc: Doc) -> Doc:
        _need(doc, self.name, {"structure": "pt_structure"})
        lex = self.lex
        st = doc._.structure
        text = doc_text(doc)
        blocks = sorted(it.block_start for it in st.items if it.block_start is not None)
        regions, quotes, found = [], [], []
        for p in st.paragraphs:
            i = bisect_right(blocks, p.end) - 1  # a unit block closing this paragraph ends its region
            end = blocks[i] if i >= 0 and p.start <= blocks[i] < p.end else p.end
            box = st.in_box(p.start)
            project_box = box is not None and lex.project_box.search(box.title) is not None
            q_spans = quote_spans(text, p.start, end, lex)
            qs = find_quantities(text, p.start, end, lex, q_spans)
            if project_box:
                qs = [q if q.excluded else replace(q, excluded="project_boxes") for q in qs]
            elif st.in_review(p.start):
                qs = [q if q.excluded else replace(q, excluded="review_section") for q in qs]
            regions.append((p.start, end))
            quotes.extend(q_spans)
            found.extend(qs)
        doc._.regions, doc._.quotes, doc._.quantities = regions, quotes, found
        _put_spans(doc, "quantities", found, lambda q: q.excluded or "quantity", "quantity")
        return doc


class TimeScopesPipe(RulebookPipe):
    """Year phrases and baselines of each region."""

    def __call__(self, doc: Doc) -> Doc:
        _need(doc, self.name, {"structure": "pt_structure", "regions": "pt_quantities", "quotes": "pt_quantities", "quantities": "pt_quantities"})
        lex = self.lex
        phrases, baselines, by_region = [], [], []
        text = doc_text(doc)
        quotes = _by_region(doc._.regions, sorted(doc._.quotes), start=lambda q: q[0])
        for (start, end), region_quotes in zip(doc._.regions, quotes):
            ph, bl = find_time_scopes(text, start, end, lex, region_quotes)
            phrases.extend(ph)
            baselines.extend(bl)
            by_region.append(ph)
        # both are years the plan cannot have been written before: the later one is the better
        known = [y for y in (doc._.structure.written_year, written_year_by_horizon(text, phrases, lex)) if y]
        written_year = max(known) if known else None
        quantities = []
        for ph, qs in zip(by_region, _by_region(doc._.regions, doc._.quantities)):
            quantities.extend(exclude_past(qs, ph, written_year))  # 截至2020年底…达到 in a later plan
        changed = len(quantities) != len(doc._.quantities) or any(a is not b for a, b in zip(quantities, doc._.quantities))
        doc._.year_phrases, doc._.baselines, doc._.quantities = phrases, baselines, quantities
        _put_spans(doc, "time_scopes", phrases + baselines, lambda o: "year" if isinstance(o, YearPhrase) else "baseline", "time_scope")
        if changed:  # the spans carry the exclusion reason as their label
            _put_spans(doc, "quantities", quantities, lambda q: q.excluded or "quantity", "quantity")
        return doc


class TargetsPipe(RulebookPipe):
    """The targets of each region that holds a candidate quantity (``doc._.targets``)."""

    def _loaded(self) -> None:
        self._userdict = rules.userdict_path(self.rules_dir).read_text("utf-8")

    def __call__(self, doc: Doc) -> Doc:
        _need(doc, self.name, {"structure": "pt_structure", "quantities": "pt_quantities", "year_phrases": "pt_time_scopes"})
        lex = self.lex
        st = doc._.structure
        text = doc_text(doc)
        tokens_of = Segmenter(text, lex.quantity, self._userdict)
        regions = doc._.regions
        by_region = zip(
            regions,
            _by_region(regions, doc._.quantities),
            _by_region(regions, doc._.year_phrases),
            _by_region(regions, doc._.baselines),
        )
        drafts = []
        years = _year_context(st, lex)
        for (start, end), qs, phrases, baselines in by_region:
            # indicator tables (extraction/tables.py): read where the table starts, in document order
            table = st.table_at(start)
            if table is not None and table.start == start:
                drafts.extend(table_targets(table, st, text, lex))
            # end of indicator tables
            if any(q.excluded is None for q in qs):
                para = Paragraph(text, start, end, qs, phrases, baselines, st.units_at, tokens_of, in_table=table is not None, years=years)
                drafts.extend(paragraph_targets(para, lex))
        doc._.targets = drafts
        _put_spans(doc, "targets", drafts, "target", "target", bounds=lambda d: (d.evidence_start, d.evidence_end))
        return doc


def _year_context(st, lex: Lexicon) -> YearContext:
    """The year phrases outside a paragraph that ``years`` offers as readings: of the innermost
    heading above an offset that has one, and of the plan's title. Read only when
    ``year_choice`` can take them, so the contract's order costs nothing."""
    if set(lex.year_choice) <= {"paragraph", "none"}:
        return YearContext()
    cache: dict[str, YearPhrase | None] = {}

    def last_phrase(line: str | None) -> YearPhrase | None:
        if not line:
            return None
        if line not in cache:
            found = find_time_scopes(line, 0, len(line), lex, quote_spans(line, 0, len(line), lex))[0]
            cache[line] = next((p for p in reversed(found) if p.target_year is not None), None)
        return cache[line]

    def heading_phrase(offset: int) -> YearPhrase | None:
        return next((ph for ph in map(last_phrase, reversed(st.section_at(offset))) if ph is not None), None)

    return YearContext(heading_phrase, last_phrase(st.title))


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
