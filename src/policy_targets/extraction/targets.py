"""Targets of a paragraph, assembled: each frame (``frames``) gets its indicator
(``naming``), its values are shared out among indicators and years (``distribution``), and
the fields are resolved from the words around it (``attributes``). Nothing here reads text
of its own."""

from __future__ import annotations

from . import attributes, naming
from .distribution import Previous, distribute
from .frames import Frame, Paragraph, frames
from .lexicon import Lexicon
from .records import Draft

__all__ = ["Paragraph", "paragraph_targets"]


def paragraph_targets(p: Paragraph, lex: Lexicon) -> list[Draft]:
    if p.in_table:
        return []  # a row of an indicator table: read by ``tables``
    drafts: list[Draft] = []
    previous: Previous | None = None
    enclosing = ""  # the last indicator that is not a part: what 其中… parts belong to
    part_before = False  # whether the target before was such a part (其中海上…、陆上…)
    for frame in frames(p, lex):
        # after the parts of a whole (其中…), an elided head goes back to the whole
        parent = enclosing if part_before and enclosing else drafts[-1].indicator if drafts else ""
        sibling = parent if previous is not None and previous.frame.sentence_start == frame.sentence_start else ""
        part = naming.is_part(frame, lex) and (part_before or not frame.follows_list) and bool(enclosing)
        indicator = naming.indicator_of(frame, parent, lex, sibling, enclosing if part else None)
        if not indicator:
            continue
        made, previous = _drafts(frame, indicator, lex, previous)
        drafts.extend(made)
        part_before = part
        if not part and made:
            enclosing = made[-1].indicator
    return drafts


def _drafts(frame: Frame, indicator: str, lex: Lexicon, previous: Previous | None) -> tuple[list[Draft], Previous]:
    head = frame.head_clean
    first = frame.group[0]
    clause_before, sentence_before = frame.clause_before, frame.sentence_before
    direction = attributes.direction(lex, frame.tail, head)
    per_year = attributes.per_year(lex, clause_before, indicator)
    carried = (
        previous is not None
        and previous.aspirational
        and previous.frame.sentence_start == frame.sentence_start
        and attributes.continues_verb(lex, frame.text[previous.frame.end : first.prefix_start], frame.tail, first.prefix, frame.build_verb)
    )
    aspirational = attributes.aspirational(lex, clause_before, sentence_before, carried)
    units = list(frame.paragraph.units_at(first.start))
    evidence = (naming.evidence_start(frame, lex), frame.end)
    period_start = frame.phrase.period_start if frame.phrase else None
    dist = distribute(frame, indicator, head, lex, previous)
    baseline = dist.baseline if dist.baseline is not None else frame.baseline
    listed = frame.group[-1].suffix if len(frame.group) > 1 else ""
    ends = _range_ends(frame, lex)
    drafts = [
        Draft(
            indicator=share.indicator,
            value=share.quantity.value,
            unit=share.quantity.unit,
            comparator=attributes.comparator(lex, share.quantity.suffix, listed, share.quantity.prefix or first.prefix, ends.get(share.quantity.start, "")),
            direction=direction,
            target_year=share.year,
            period_start=period_start,
            baseline_year=baseline,
            per_year=per_year,
            cumulative=frame.cumulative,
            aspirational=aspirational,
            responsible_units=units,
            evidence_start=evidence[0],
            evidence_end=evidence[1],
            anchor=share.quantity.start,
            note=dist.note,
            rule=f"{frame.construction}/{dist.strategy}",
            year_source=frame.year.source,
        )
        for share in dist.shares
    ]
    return drafts, Previous(frame, dist, baseline, aspirational)


def _range_ends(frame: Frame, lex: Lexicon) -> dict[int, str]:
    """The two ends of a range (2-3座, 500个至700个, 20%-25%), by the start of each number:
    ``low`` and ``high``; {} for a single number or a list."""
    group = frame.group
    if len(group) != 2 or group[0].value >= group[1].value:
        return {}
    gap = frame.text[group[0].ext_end : group[1].prefix_start].strip()
    return {group[0].start: "low", group[1].start: "high"} if gap in lex.range_joiners else {}
