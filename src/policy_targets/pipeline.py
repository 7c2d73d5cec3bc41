"""The spaCy pipeline: ``spacy.blank("zh")`` with a jieba tokenizer that segments only the
sentences that can hold a target, and four components, each doing one step and leaving its
results on the Doc:

- ``pt_structure``: ``doc._.structure`` (headings, items, responsible units), ``doc.spans["items"]``;
- ``pt_quantities``: ``doc._.quantities`` and ``doc.spans["quantities"]`` (``span._.quantity``);
- ``pt_time_scopes``: ``doc._.year_phrases``, ``doc._.baselines`` and ``doc.spans["time_scopes"]``;
- ``pt_targets``: ``doc._.targets`` and ``doc.spans["targets"]`` (``span._.target``).

The components are registered through the ``spacy_factories`` entry point, so
``nlp.add_pipe("pt_targets")`` works wherever the package is installed.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import jieba
import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from . import rules
from .lexicon import lexicon
from .quantities import SENTENCE_BREAKS, find_quantities, quote_spans
from .structure import analyse
from .targets import Paragraph, paragraph_targets
from .timescope import find_time_scopes

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


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    return span


@Language.factory("pt_structure")
def make_structure(nlp: Language, name: str) -> Any:
    def structure(doc: Doc) -> Doc:
        if doc._.structure is None:
            doc._.structure = analyse(doc_text(doc), doc.user_data.get("doc_id", ""))
        spans = []
        for item in doc._.structure.items:
            s = _span(doc, item.start, item.end, "item")
            if s is not None:
                spans.append(s)
        doc.spans["items"] = spans
        return doc

    return structure


@Language.factory("pt_quantities")
def make_quantities(nlp: Language, name: str) -> Any:
    lex = lexicon()

    def quantities(doc: Doc) -> Doc:
        st = doc._.structure
        text = doc_text(doc)
        block_starts = {it.block_start for it in st.items if it.block_start is not None}
        regions, quotes, found = [], [], []
        for p in st.paragraphs:
            end = next((b for b in block_starts if p.start <= b < p.end), p.end)
            box = st.in_box(p.start)
            project_box = box is not None and lex.project_box.search(box.title) is not None
            q_spans = quote_spans(text, p.start, end, lex)
            quotes.extend(q_spans)
            qs = find_quantities(text, p.start, end, lex, q_spans)
            if project_box:
                qs = [q if q.excluded else _mark(q, "project_box") for q in qs]
            regions.append((p.start, end))
            found.extend(qs)
        doc._.regions, doc._.quotes, doc._.quantities = regions, quotes, found
        spans = []
        for q in found:
            s = _span(doc, q.start, q.end, q.excluded or "quantity")
            if s is not None:
                s._.quantity = q
                spans.append(s)
        doc.spans["quantities"] = spans
        return doc

    return quantities


def _mark(q, reason: str):
    from dataclasses import replace

    return replace(q, excluded=reason)


@Language.factory("pt_time_scopes")
def make_time_scopes(nlp: Language, name: str) -> Any:
    lex = lexicon()

    def time_scopes(doc: Doc) -> Doc:
        phrases, baselines = [], []
        text = doc_text(doc)
        for start, end in doc._.regions:
            quotes = [q for q in doc._.quotes if start <= q[0] < end]
            ph, bl = find_time_scopes(text, start, end, lex, quotes)
            phrases.extend(ph)
            baselines.extend(bl)
        doc._.year_phrases, doc._.baselines = phrases, baselines
        spans = []
        for obj, label in [(y, "year") for y in phrases] + [(b, "baseline") for b in baselines]:
            s = _span(doc, obj.start, obj.end, label)
            if s is not None:
                s._.time_scope = obj
                spans.append(s)
        doc.spans["time_scopes"] = spans
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
            if start < 0:
                return tk.lcut(fallback)
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                return tk.lcut(fallback)
            out = []
            for t in span:
                a, b = max(t.idx, start), min(t.idx + len(t.text), end)
                if b > a:
                    out.append(text[a:b])
            return out

        drafts = []
        for start, end in doc._.regions:
            qs = [q for q in doc._.quantities if start <= q.start < end]
            if not any(q.excluded is None for q in qs):
                continue
            para = Paragraph(
                text=text,
                start=start,
                end=end,
                quantities=qs,
                phrases=[y for y in doc._.year_phrases if start <= y.start < end],
                baselines=[b for b in doc._.baselines if start <= b.start < end],
                units_at=st.units_at,
                tokens_of=tokens_of,
            )
            drafts.extend(paragraph_targets(para, lex))
        doc._.targets = drafts
        spans = []
        for d in drafts:
            s = _span(doc, d.evidence_start, d.evidence_end, "target")
            if s is not None:
                s._.target = d
                spans.append(s)
        doc.spans["targets"] = spans
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
