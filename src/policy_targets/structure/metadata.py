"""A plan's metadata read from its opening lines: title, issuer, document number, issue date,
plan period and jurisdiction, for a notice as for a news page that reports one.

What the text does not say stays null: nothing is taken from the file's name, and a news
page's first paragraph is not a title. In order of trust:

- title: the plan a notice issues (关于印发《…》的通知), a title line of its own, the 《…》
  that a news lead reports as issued (某市人民政府印发《…》);
- issuer: the notice's issuer, the subject of the reporting sentence when it ends as an
  issuing body does (…人民政府, …办公厅, …部, joint issuers), a signature line;
- date: a dated signature line, else the page's own date (发布时间, 日期, a dateline), else a
  lead that opens with the full date; a date without a year is no date.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterator, Sequence

import regex

from .. import rules
from ..text.alternation import compiled_quicker
from .gazetteer import gazetteer
from .jurisdiction import Jurisdiction, resolve

#: Characters of each opening paragraph read: the report opens a news lead.
_LEAD_CHARS = 300
#: Lines of the raw page read for its own date.
_PAGE_LINES = 20
#: A plan's title is longer than a label (根据方案).
_TITLE_MIN = 6
#: Lines before the first heading read for a headline: a page's headline is at its top.
_HEADLINES = 5
#: A headline is a short line.
_HEADLINE_MAX = 40
#: Patterns of the hot loops over opening lines, compiled once.
_CLAUSE_END = regex.compile(r"[,，。;；:：]")
_CRUMB = regex.compile(r"^(?:[^\p{Han}\p{N}“《(（【]+|【[^】]{1,8}】|\p{Han}{1,4}\s*[|丨]\s*)+")
_PERIOD_AFTER = regex.compile(r"\s*[(（][^()（）]{2,20}[)）]$")


@functools.cache
def _issue_verbs() -> regex.Pattern[str] | re.Pattern[str]:
    """The verbs an issue sentence needs, asked of every opening line and of the runs of
    subject characters of those that hold one: a list of words, which ``re`` finds faster
    (``text.alternation.quicker_engine``)."""
    return compiled_quicker(rules.fragments()["issue_verbs"])


@functools.cache
def _subject_runs() -> regex.Pattern[str]:
    """Runs of the characters an issuer and its adverbs are written with (``fragments.yaml``
    issue_subject_chars), through which the issue sentence's opening lookahead reaches a verb."""
    return rules.compile_pattern("(?:" + rules.fragments()["issue_subject_chars"] + ")+")


def issue_sentences(lead: str) -> Iterator[regex.Match[str]]:
    """The matches of issue_sentence in ``lead`` that its ``finditer`` finds, tried only where
    one can start. The pattern opens with a lookahead for a verb reached through subject
    characters, and the verbs are written with those characters: a match starts in a run of
    them that holds a verb. Each position of such a run is tried in turn, as the search tries
    it (a match at a position is the search's match there); the search itself tries every
    subject length at every character of the line (three times the time over the opening
    lines of the bench plans). Most lines hold no verb: one search for the verbs rules them out
    before their runs are read."""
    pattern, verbs = _meta("issue_sentence"), _issue_verbs()
    pos = 0  # where the search goes on: the end of the last match
    for run in _subject_runs().finditer(lead) if verbs.search(lead) else ():
        if run.end() <= pos or verbs.search(lead, run.start(), run.end()) is None:
            continue
        for start in range(max(run.start(), pos), run.end()):
            m = pattern.match(lead, start) if start >= pos else None
            if m is not None:
                yield m
                pos = m.end()


@functools.cache
def _meta(name: str) -> regex.Pattern[str]:
    return rules.compile_pattern(rules.load("structure")["metadata"][name]["pattern"])


@functools.cache
def _standalone() -> dict[str, regex.Pattern[str] | re.Pattern[str]]:
    """The standalone-line forms by name, each searched by the engine that tries it in fewer
    steps (``text.alternation.quicker_engine``: the title form is asked of every header line)."""
    return {s["name"]: compiled_quicker(s["pattern"]) for s in rules.load("structure")["standalone_lines"]}


def _iso(y: str, m: str, d: str) -> str | None:
    yi, mi, di = int(y), int(m), int(d)
    if not (1 <= mi <= 12 and 1 <= di <= 31):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _clean_issuer(text: str | None) -> str | None:
    """The issuing body of a clause subject, or None when the subject is not one. Words
    joined before it (a headline run into the lead) are cut where a national body's or a
    place's name starts."""
    if not text:
        return None
    text = _meta("subject_lead").sub("", text).strip("、和与及 ")
    starts = [m.start() for m in _meta("issuer_start").finditer(text)][:1] + [m.start for m in gazetteer().scan(text) if m.full][:1]
    if starts:
        text = text[min(starts) :]
    return text if len(text) >= 2 and _meta("issuer_body").search(text) else None


@dataclass(frozen=True)
class Report:
    """A sentence that reports the issue: its subject (issuer or place) and the plan's title."""

    subject: str
    issuer: str | None
    title: str | None


def reports(lines: Sequence[str]) -> list[Report]:
    """The sentences of the opening lines that report the issue, in reading order."""
    found: list[tuple[int, int, Report]] = []
    for i, line in enumerate(lines):
        lead = line[:_LEAD_CHARS]
        for m in issue_sentences(lead):
            subject = m.group("issuer").strip("、")
            title = m.group("title") or m.group("notice") or m.group("named")
            found.append((i, m.start(), Report(subject, _clean_issuer(subject), title)))
        for m in _meta("issued_title").finditer(lead):
            found.append((i, m.start(), Report("", None, m.group("title"))))
    return [r for _, _, r in sorted(found, key=lambda f: (f[0], f[1]))]


def headlines(lines: Sequence[str]) -> list[str]:
    """Short lines at the top that open with a place: a news headline (某省:…, 某市丨…,
    某市吹响…号角), a title. A line that names a place further in is a sentence."""
    out = []
    for line in map(_crumb, lines):
        m = _meta("headline_place").search(line)
        if m:
            out.append(m.group("place"))
        elif len(line) <= _HEADLINE_MAX and any(p.start == 0 for p in gazetteer().scan(line)):
            out.append(line)
    return out


def plan_period(title: str | None) -> str | None:
    """The period a plan's title names: 十四五 -> 2021-2025, 2023—2025年 -> 2023-2025,
    2024年…方案 -> 2024; a horizon (2030年前) is not a period."""
    if not title:
        return None
    names = rules.load("periods")["periods"]["names"]
    for m in _meta("plan_years").finditer(title):
        if m.group("period"):
            span = names.get(m.group("period"))
            if span:
                return f"{span[0]}-{span[1]}"
        elif m.group("y1"):
            end = regex.search(r"((?:19|20)\d{2})\s*年?$", m.group(0))
            return f"{m.group('y1')}-{end.group(1)}" if end else m.group("y1")
        else:
            return m.group("y")
    return None


@dataclass(frozen=True)
class Header:
    title: str | None
    issuer: str | None
    doc_number: str | None
    date: str | None  # signed, else the page's
    signed: str | None  # the date of a signature line: the plan's own, which dates its years
    own_title: bool  # the title is the plan's own name (a notice's or a title line)
    reports: list[Report]
    headlines: list[str]


def _lead_title(lines: Sequence[str]) -> str | None:
    """A title that opens a line flattened from a PDF or a page (某市某某方案 为深入贯彻…)."""
    for line in lines[:3]:
        m = _meta("lead_title").search(_crumb(line))
        if m:
            return m.group("title")
    return None


def _clause_title(lines: Sequence[str]) -> str | None:
    """A plan's name standing as a clause of its own in a news lead, without 《》
    (3月23日,某省某某行动方案(2022—2025年),方案提出…): only one that names a place, so
    that a task (编制专项规划) is not taken for the plan."""
    for line in lines:
        for clause in _CLAUSE_END.split(line[:_LEAD_CHARS]):
            clause = clause.strip()
            if _is_title_line(clause) and not _meta("issue_sentence").search(clause) and any(m.full for m in gazetteer().scan(clause)):
                return clause
    return None


def _crumb(text: str) -> str:
    """A title without the page's label before it (全文|…, 【政策】…, a stray mark)."""
    return _CRUMB.sub("", text)


def _is_title_line(text: str) -> bool:
    """A line that is a plan's name: a title line, its period in brackets allowed after it."""
    bare = _PERIOD_AFTER.sub("", text)
    return len(bare) >= _TITLE_MIN and _standalone()["title"].search(bare) is not None


def read_header(header: Sequence[str], opening: Sequence[str], page_head: str = "") -> Header:
    """Title, issuer, document number and date of the lines before the first heading
    (``header``), of the page's first lines (``opening``) and of the raw page's top
    (``page_head``, which still has the page's own date that normalisation drops)."""
    standalone = _standalone()
    header = [_meta("pinyin_gloss").sub("", t) for t in header]
    opening = [_meta("pinyin_gloss").sub("", t) for t in opening]
    title = issuer = doc_number = date = None
    own_title = False
    pending_issuer = None  # an issuer alone on the line before 关于印发…的通知
    for i, text in enumerate(header):
        m = _meta("notice_title").search(text) or _meta("notice_inline").search(text[:_LEAD_CHARS])
        if m:
            notice_issuer = _clean_issuer(m.group("issuer")) or (pending_issuer if pending_issuer and i else None)
            if issuer is None and notice_issuer:
                issuer = notice_issuer
            if title is None:
                title, own_title = m.group("title").strip("《》<> "), True
        if doc_number is None:
            dn = _meta("doc_number").search(text)
            if dn and (standalone["doc_number"].search(text) or len(text) <= _HEADLINE_MAX):
                doc_number = dn.group(0)
        if date is None and (inline := _meta("signed_date").search(text)):
            date = _iso(inline["y"], inline["m"], inline["d"])
        if date is None and standalone["date"].search(text):
            d = _meta("date").search(text)
            date = _iso(d["y"], d["m"], d["d"])
            prefix = text[: d.start()].strip()
            if prefix and issuer is None and _clean_issuer(prefix):
                issuer = prefix
        if standalone["issuer"].search(text):
            pending_issuer = text
            if issuer is None:
                issuer = text
    plan_titles = [t for t in map(_crumb, header) if _is_title_line(t) and not _meta("notice_title").search(t) and not _meta("issue_sentence").search(t)]
    if plan_titles:
        title, own_title = plan_titles[-1], True
    if title is not None:
        title = _crumb(title)
    found = reports(opening)
    if title is None:
        title = next((r.title for r in found if r.title), None) or _lead_title(header) or _clause_title(opening[:_HEADLINES])
    if issuer is None:
        named = [r for r in found if r.issuer]
        issuer = next((r.issuer for r in named if r.title and r.title == title), named[0].issuer if named else None)
    signed = date
    if date is None:
        for text in page_head.splitlines()[:_PAGE_LINES] + list(opening):
            d = _meta("page_date").search(text) or _meta("lead_date").search(text)
            if d:
                date = _iso(d["y"], d["m"], d["d"])
                if date:
                    break
    return Header(title, issuer, doc_number, date, signed, own_title, found, headlines(header[:_HEADLINES]))


def jurisdiction_of(h: Header, opening: Sequence[str]) -> Jurisdiction | None:
    reported = [t for r in h.reports for t in (r.issuer or r.subject, r.title) if t]
    return resolve(h.title, h.issuer, reported, h.headlines, "\n".join(line[:_LEAD_CHARS] for line in opening))
