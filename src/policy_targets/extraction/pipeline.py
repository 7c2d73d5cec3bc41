"""The spaCy pipeline: ``spacy.blank("zh")`` with a jieba tokenizer that segments only the
sentences that can hold a target, and four components, each doing one step and leaving its
results on the Doc:

- ``pt_structure``: ``doc._.structure`` (headings, items, responsible units), ``doc.spans["items"]``;
- ``pt_quantities``: ``doc._.quantities`` and ``doc.spans["quantities"]`` (``span._.quantity``);
- ``pt_time_scopes``: ``doc._.year_phrases``, ``doc._.baselines`` and ``doc.spans["time_scopes"]``;
  quantities governed by a phrase of the past become excluded (``tense``);
- ``pt_targets``: ``doc._.targets`` and ``doc.spans["targets"]`` (``span._.target``).

The components are registered through the ``spacy_factories`` entry point, so
``nlp.add_pipe("pt_targets")`` works wherever the package is installed.
"""

from __future__ import annotations

import functools
import logging
from bisect import bisect_right
from dataclasses import replace
from typing import Any

import jieba
import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from .. import rules
from .lexicon import lexicon
from ..text.spans import SENTENCE_BREAKS
from .quantities import find_quantities, quote_spans
from ..structure.outline import analyse
from .frames import Paragraph
from .tables import table_targets
from .targets import paragraph_targets
from .tense import exclude_past, written_year_by_horizon
from .timescope import YearPhrase, find_time_scopes

jieba.setLogLevel(logging.WARNING)  # jieba reports dictionary loading on stderr otherwise

COMPONENTS = ("pt_structure", "pt_quantities", "pt_time_scopes", "pt_targets")
_COARSE = regex.compile(r"\p{Han}+|[A-Za-z]+|\d+(?:\.\d+)?|\s|.", regex.S)
_SENTENCE = regex.compile(rf"[^{SENTENCE_BREAKS}]*[{SENTENCE_BREAKS}]?")

for _name in ("structure", "quantities", "year_phrases", "baselines", "targets", "quotes", "regions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
for _name in ("quantity", "time_scope", "target"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


@functools.cache
def jieba_tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of our own with the domain dictionary from ``rules/``: the global
    one is process-wide state that other code may change, and a user dictionary is not saved
    with a spaCy pipeline, so it is loaded here whenever the pipeline is built."""
    tk = jieba.Tokenizer()
    tk.initialize()
    tk.load_userdict(str(rules.userdict_path()))
    return tk


class SelectiveJiebaTokenizer:
    """Segments with jieba only the sentences that contain a number with a unit; the rest is
    cut into runs of Chinese, Latin and digits, which is all later steps need there."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab
        self._jieba = jieba_tokenizer()
        self._quantity = lexicon().quantity

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        for m in _SENTENCE.finditer(text):
            sentence = m.group(0)
            if not sentence:
                continue
            if self._quantity.search(sentence):
                words.extend(w for w in self._jieba.lcut(sentence) if w)
            else:
                words.extend(_COARSE.findall(sentence))
        return Doc(self.vocab, words=words, spaces=[False] * len(words))

    # A tokenizer with no state of its own: serialisation stores nothing.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> SelectiveJiebaTokenizer:
        return self

    def to_disk(self, path, **kwargs: Any) -> None:
        return None

    def from_disk(self, path, **kwargs: Any) -> SelectiveJiebaTokenizer:
        return self


@registry.tokenizers("policy_targets.selective_jieba.v1")
def create_selective_jieba_tokenizer():
    def create(nlp: Language) -> SelectiveJiebaTokenizer:
        return SelectiveJiebaTokenizer(nlp.vocab)

    return create


def doc_text(doc: Doc) -> str:
    """The Doc's text, read once: ``Doc.text`` joins every token on each access."""
    text = doc.user_data.get("policy_targets.text")
    if text is None:
        text = doc.user_data["policy_targets.text"] = doc.text
    return text


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


@Language.factory("pt_structure")
def make_structure(nlp: Language, name: str) -> Any:
    def structure(doc: Doc) -> Doc:
        if doc._.structure is None:
            doc._.structure = analyse(doc_text(doc), doc.user_data.get("doc_id", ""))
        _put_spans(doc, "items", doc._.structure.items, "item")
        return doc

    return structure


@Language.factory("pt_quantities")
def make_quantities(nlp: Language, name: str) -> Any:
    lex = lexicon()

    def quantities(doc: Doc) -> Doc:
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
                qs = [q if q.excluded else replace(q, excluded="project_box") for q in qs]
            elif st.in_review(p.start):
                qs = [q if q.excluded else replace(q, excluded="review_section") for q in qs]
            regions.append((p.start, end))
            quotes.extend(q_spans)
            found.extend(qs)
        doc._.regions, doc._.quotes, doc._.quantities = regions, quotes, found
        _put_spans(doc, "quantities", found, lambda q: q.excluded or "quantity", "quantity")
        return doc

    return quantities


@Language.factory("pt_time_scopes")
def make_time_scopes(nlp: Language, name: str) -> Any:
    lex = lexicon()

    def time_scopes(doc: Doc) -> Doc:
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

    return time_scopes


@Language.factory("pt_targets")
def make_targets(nlp: Language, name: str) -> Any:
    lex = lexicon()
    tk = jieba_tokenizer()

    def targets(doc: Doc) -> Doc:
        st = doc._.structure
        text = doc_text(doc)

        def tokens_of(start: int, end: int, fallback: str) -> list[str]:
            span = doc.char_span(start, end, alignment_mode="expand") if start >= 0 else None
            if span is None:
                return tk.lcut(fallback)
            return [text[max(t.idx, start) : min(t.idx + len(t.text), end)] for t in span if t.idx < end and t.idx + len(t.text) > start]

        regions = doc._.regions
        by_region = zip(
            regions,
            _by_region(regions, doc._.quantities),
            _by_region(regions, doc._.year_phrases),
            _by_region(regions, doc._.baselines),
        )
        drafts = []
        for (start, end), qs, phrases, baselines in by_region:
            # indicator tables (extraction/tables.py): read where the table starts, in document order
            table = st.table_at(start)
            if table is not None and table.start == start:
                drafts.extend(table_targets(table, st, text, lex))
            # end of indicator tables
            if any(q.excluded is None for q in qs):
                para = Paragraph(text, start, end, qs, phrases, baselines, st.units_at, tokens_of, in_table=table is not None)
                drafts.extend(paragraph_targets(para, lex))
        doc._.targets = drafts
        _put_spans(doc, "targets", drafts, "target", "target", bounds=lambda d: (d.evidence_start, d.evidence_end))
        return doc

    return targets


def blank() -> Language:
    """``spacy.blank("zh")`` with the selective jieba tokenizer."""
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "policy_targets.selective_jieba.v1"}}})


@functools.cache
def build_nlp() -> Language:
    """The full pipeline, built once per process (and once per worker in a batch)."""
    nlp = blank()
    # No component reads lexical attributes (like_num, shape …); computing them for every new
    # token string is most of the cost of building a Doc once strings are freed per document.
    nlp.vocab.lex_attr_getters = {}
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
