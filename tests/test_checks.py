"""The self-checks of a record (rules/checks.yaml, issue 16): every record carries ``flags``,
a flagged record is kept and shown (review report, summary.md, evaluate --errors), the naming
repairs what it can, and on the gold sets the extractor is flagged no more often than the
gold's own records are. Sentences written for these tests; none is copied from a corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policy_targets import extract
from policy_targets.api import extract_document
from policy_targets.dataset.build import enrich, load_dataset, summary_markdown
from policy_targets.errors import InputError
from policy_targets.evaluate.evaluation import evaluate
from policy_targets.evaluate.reporting import errors_text
from policy_targets.evaluate.validation import read_folder
from policy_targets.extraction.checks import checks, record_flags
from policy_targets.review.site import write_review
from policy_targets.structure.documents import load_document

ROOT = Path(__file__).resolve().parents[1]


def _record(**fields) -> dict:
    base = {"doc_id": "t", "indicator": "森林覆盖率", "value": 40, "unit": "%", "direction": "level", "comparator": "=",
            "target_year": 2027, "period_start": None, "baseline_year": None, "responsible_units": [], "evidence": ""}
    return {**base, **fields}


# --- the checks ----------------------------------------------------------------------------


def test_a_right_record_has_no_flag() -> None:
    assert record_flags(_record(), written_year=2024) == []


@pytest.mark.parametrize(
    "fields,written_year,flag",
    [
        ({"indicator": "光伏发电装机规模2027年"}, None, "year_phrase"),
        ({"indicator": "森林覆盖率达到"}, None, "reaching_verb"),
        ({"indicator": "森林覆(fù)盖率"}, None, "gloss"),
        ({"indicator": "k% 7T 森林覆盖率"}, None, "site_junk"),
        ({"indicator": "12个乡镇森林覆盖率"}, None, "leading_count"),
        ({"indicator": "各县(市森林覆盖率"}, None, "brackets_unbalanced"),
        ({"value": 140}, None, "share_over_100"),
        ({"value": 2027, "unit": ""}, None, "value_is_year"),
        ({"target_year": 2020}, 2023, "year_before_plan"),
        ({"baseline_year": 2027}, None, "years_out_of_order"),
        ({"indicator": "()"}, None, "no_name"),
    ],
)
def test_each_check_flags_the_record_that_breaks_it(fields: dict, written_year: int | None, flag: str) -> None:
    assert flag in record_flags(_record(**fields), written_year)


def test_flags_follow_the_order_of_the_rulebook() -> None:
    names = [c.name for c in checks()]
    flags = record_flags(_record(indicator="5个乡镇森林覆盖率2027年)", value=150))
    assert flags == sorted(flags, key=names.index) and len(flags) == 4


def test_every_record_carries_flags() -> None:
    records = extract("到2027年,全县森林覆盖率达到45%,新建口袋公园12个。")
    assert records and all(r["flags"] == [] for r in records)


def test_a_flagged_record_is_kept() -> None:
    (r,) = extract("到2027年,全县农村污水处理设施运行率达到120%。")
    assert (r["value"], r["flags"]) == (120, ["share_over_100"])


# --- repairs in the naming -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text,indicator",
    [
        ("风电和光伏发电装机规模2028年达到900万千瓦。", "风电和光伏发电装机规模"),
        ("到2027年,全县11个省控断面水质优良比例达到90%。", "省控断面水质优良比例"),
        ("全市今年新增城市绿道120公里。", "新增城市绿道"),
        ("到2027年,城镇生活污水集中收集率从65%提高到75%。", "城镇生活污水集中收集率"),
    ],
)
def test_the_naming_repairs_what_it_can(text: str, indicator: str) -> None:
    (r,) = extract(text)
    assert (r["indicator"], r["flags"]) == (indicator, [])


# --- where flags are shown -----------------------------------------------------------------


def _rows() -> list[dict]:
    flagged = _record(indicator="林地保有量2027年", unit="万亩", flags=["year_phrase"], doc_id="b")
    rows = [_record(flags=[], doc_id="a"), _record(flags=[], doc_id="b"), flagged]
    return [enrich({**r, "evidence": ""}, None, "demo") for r in rows]


def test_summary_counts_flagged_records_per_check_and_plan() -> None:
    docs = [{"doc_id": d, "corpus": "demo", "jurisdiction": None, "title": None, "targets": 1} for d in "ab"]
    md = summary_markdown(_rows(), docs)
    assert "1 of 3 records (33.3 %) fail a check" in md
    assert "| `year_phrase` | 1 |" in md and "| demo | b | 1 | 2 |" in md


def test_summary_says_when_nothing_is_flagged() -> None:
    assert "None: every record passes the checks" in summary_markdown(_rows()[:2], [])


def test_the_dataset_reads_flags_as_lists(tmp_path: Path) -> None:
    import orjson

    path = tmp_path / "targets.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in _rows()))
    frame = load_dataset(path)
    assert list(frame["flags"]) == [[], [], ["year_phrase"]]


def test_evaluate_counts_flagged_predictions_and_shows_flags_of_spurious_ones() -> None:
    gold = [_record(flags=None)]
    preds = [_record(flags=[]), _record(indicator="湿地保护率达到", value=60, flags=["reaching_verb"])]
    report = evaluate(gold, preds)
    assert (report.flagged, report.flag_counts) == (1, {"reaching_verb": 1})
    assert report.to_json()["errors"]["spurious"][0]["flags"] == ["reaching_verb"]
    text = errors_text(report)
    assert "Flagged predictions: 1 of 2 (50.0 %)" in text and "flags: reaching_verb" in text


def test_the_review_report_filters_and_counts_flags(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "demo.txt").write_text("到2027年,全县森林覆盖率达到45%。\n到2027年,全县农村污水处理设施运行率达到120%。\n", "utf-8")
    write_review([plans], tmp_path / "report")
    records = (tmp_path / "report" / "records.html").read_text("utf-8")
    assert 'data-flags="share_over_100"' in records and 'data-flags=""' in records
    assert '<option value="share_over_100">' in records and "flags: share_over_100" in records
    index = (tmp_path / "report" / "index.html").read_text("utf-8")
    assert ">flagged</th>" in index and '<td class="num">1</td>' in index


# --- the gold sets and the wild pages ------------------------------------------------------

#: How far (in percentage points) the flagged share of predictions may exceed the gold's own.
MARGIN = 1.5
GOLD_SETS = {
    "bundled": ("corpus/raw", "corpus/gold"),
    "dev": ("corpus/dev/raw", "corpus/dev/gold"),
    "dev2": ("corpus/dev2/raw", "corpus/dev2/gold"),
}


def _share(records: list[dict], written_years: dict[str, int | None]) -> float:
    flagged = sum(bool(record_flags(r, written_years.get(r["doc_id"]))) for r in records)
    return 100 * flagged / len(records)


@pytest.mark.parametrize("name", sorted(GOLD_SETS))
def test_predictions_are_flagged_no_more_than_the_gold(name: str) -> None:
    raw, gold_dir = GOLD_SETS[name]
    documents = [load_document(p) for p in sorted((ROOT / raw).glob("*.txt"))]
    years = {d.doc_id: d.structure.written_year for d in documents}
    gold, problems = read_folder(ROOT / gold_dir)
    assert not problems
    preds = [r for d in documents for r in extract_document(d)]
    assert all(r["flags"] == record_flags(r, years[r["doc_id"]]) for r in preds)
    gold_share, pred_share = _share(gold, years), _share(preds, years)
    assert pred_share <= gold_share + MARGIN, f"{name}: {pred_share:.2f} % flagged, gold {gold_share:.2f} %"


def _wild_folder() -> Path | None:
    """The unlabeled wild pages: corpus/wild (issue 16 item 4), or a folder named by
    POLICY_TARGETS_WILD until it is in the project."""
    for folder in (os.environ.get("POLICY_TARGETS_WILD"), ROOT / "corpus" / "wild" / "raw", ROOT / "corpus" / "wild"):
        if folder and Path(folder).is_dir() and any(Path(folder).glob("*.txt")):
            return Path(folder)
    return None


#: Measured before the debris removal of issue 16 item 1: 10.7 % of the wild records flagged,
#: most for glosses; after it, 3.04 % (22 of 723); on the final build 2.36 % (16 of 678: brackets
#: a page broke, year phrases left in a name, a bad decoding that lost bytes). The issue's goal
#: is 3 %.
WILD_FLAGGED_CEILING = 3.0  # the goal of issue 16


@pytest.mark.tighten
def test_wild_pages_flagged_share() -> None:
    folder = _wild_folder()
    if folder is None:
        pytest.skip("no wild pages: corpus/wild comes with issue 16 item 4 (or set POLICY_TARGETS_WILD)")
    records = []
    for path in sorted(folder.glob("*.txt")):
        try:
            records.extend(extract_document(load_document(path)))
        except InputError:  # a page refused as not Chinese prose is the debris part's floor test
            continue
    share = 100 * sum(bool(r["flags"]) for r in records) / len(records)
    assert share <= WILD_FLAGGED_CEILING, f"{share:.2f} % of {len(records)} wild records flagged"
