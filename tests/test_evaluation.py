"""The scorer on hand-made cases: every rule of the scoring section of ANNOTATION.md."""

import orjson
import pytest

from policy_targets.evaluate.evaluation import evaluate, indicators_overlap, set_f1
from policy_targets.evaluate.validation import read_folder, read_records

BASE = {
    "doc_id": "d",
    "indicator": "非化石能源消费比重",
    "value": 9,
    "unit": "%",
    "comparator": "~",
    "direction": "level",
    "target_year": 2025,
    "period_start": None,
    "baseline_year": None,
    "per_year": False,
    "cumulative": False,
    "aspirational": False,
    "responsible_units": ["市发展改革委"],
    "evidence": "非化石能源消费比重达到9%左右",
    "optional": False,
    "note": "",
}


def rec(**kw):
    return {**BASE, **kw}


def overall(gold, pred):
    return evaluate(gold, pred).to_json()["overall"]


def test_gold_against_itself_is_perfect(tmp_path) -> None:
    gold, problems = read_folder("corpus/gold")
    assert problems == [] and len(gold) == 193
    o = overall(gold, gold)
    assert o["gold"] + o["optional_gold"] == 193
    for key, value in o.items():
        if key.endswith(("precision", "recall", "f1", "accuracy")):
            assert value == 1.0, key


def test_empty_prediction_has_zero_recall() -> None:
    gold, _ = read_folder("corpus/gold")
    o = overall(gold, [])
    assert o["recall"] == 0.0 and o["f1"] == 0.0 and o["false_negatives"] == o["gold"]


@pytest.mark.parametrize(
    "pred_value,matches",
    [(33.33, True), (33.333333, True), (33.335, True), (33.3251, True), (33.34, False), (33.32, False)],
)
def test_value_tolerance(pred_value: float, matches: bool) -> None:
    gold = [rec(value=33.33)]
    assert overall(gold, [rec(value=pred_value)])["matched"] == int(matches)


def test_unit_and_year_must_be_equal() -> None:
    gold = [rec()]
    assert overall(gold, [rec(unit="个百分点")])["matched"] == 0
    assert overall(gold, [rec(target_year=2030)])["matched"] == 0
    assert overall(gold, [rec(target_year=None)])["matched"] == 0


def test_indicator_overlap_threshold() -> None:
    assert indicators_overlap("非化石能源消费比重", "非化石能源消费占比")
    assert indicators_overlap("运量", "多式联运货运量")  # the shorter one is wholly inside
    assert indicators_overlap("abcd", "abxy")  # exactly half
    assert not indicators_overlap("abcd", "axyz")
    assert not indicators_overlap("aab", "axy")  # characters count as a multiset
    gold = [rec(indicator="绿色出行比例")]
    assert overall(gold, [rec(indicator="绿色出行")])["matched"] == 1
    assert overall(gold, [rec(indicator="公交分担率")])["matched"] == 0


def test_matching_is_one_to_one_and_greedy_in_document_order() -> None:
    gold = [rec(value=100), rec(value=100)]
    o = overall(gold, [rec(value=100), rec(value=100), rec(value=100)])
    assert (o["matched"], o["false_positives"], o["false_negatives"]) == (2, 1, 0)
    # the first prediction takes the first gold record it matches
    gold = [rec(value=100, comparator=">="), rec(value=100, comparator="=")]
    report = evaluate(gold, [rec(value=100, comparator="=")])
    assert report.to_json()["overall"]["comparator_accuracy"] == 0.0
    assert report.to_json()["overall"]["false_negatives"] == 1


def test_optional_gold_counts_neither_way() -> None:
    gold = [rec(), rec(value=1000, unit="万千瓦", indicator="风电基地", optional=True)]
    with_opt = overall(gold, [rec(), rec(value=1000, unit="万千瓦", indicator="风电基地")])
    without = overall(gold, [rec()])
    assert with_opt["precision"] == without["precision"] == 1.0
    assert with_opt["recall"] == without["recall"] == 1.0
    assert with_opt["matched_optional"] == 1 and with_opt["gold"] == 1


def test_strict_match_needs_comparator_direction_baseline_and_units() -> None:
    gold = [rec()]
    for change in ({"comparator": "="}, {"direction": "increase"}, {"baseline_year": 2020}, {"responsible_units": []}):
        o = overall(gold, [rec(**change)])
        assert o["f1"] == 1.0 and o["strict_f1"] == 0.0, change
    # attributes outside the strict set do not break a strict match
    o = overall(gold, [rec(per_year=True, indicator="非化石能源比重")])
    assert o["strict_f1"] == 1.0 and o["per_year_accuracy"] == 0.0 and o["indicator_exact_accuracy"] == 0.0


def test_units_set_f1() -> None:
    assert set_f1([], []) == 1.0
    assert set_f1(["a", "b"], ["b", "a"]) == 1.0
    assert set_f1(["a"], ["a", "b"]) == pytest.approx(2 / 3)
    o = overall([rec(responsible_units=["a", "b"])], [rec(responsible_units=["a"])])
    assert o["responsible_units_f1"] == pytest.approx(0.6667, abs=1e-4)


def test_documents_are_scored_apart_and_unknown_documents_listed() -> None:
    gold = [rec(doc_id="a"), rec(doc_id="b")]
    report = evaluate(gold, [rec(doc_id="b"), rec(doc_id="zzz")])
    j = report.to_json()
    assert j["per_document"]["a"]["recall"] == 0.0 and j["per_document"]["b"]["f1"] == 1.0
    assert j["unscored_documents"] == ["zzz"]


def test_validation_reports_every_bad_line_and_keeps_good_ones(tmp_path) -> None:
    path = tmp_path / "p.jsonl"
    lines = [
        orjson.dumps(rec()),
        b"{not json",
        orjson.dumps({k: v for k, v in rec().items() if k != "unit"}),
        orjson.dumps(rec(comparator="about", target_year="2025")),
        orjson.dumps(rec(value=25)),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    records, problems = read_records(path)
    assert [r["value"] for r in records] == [9, 25]
    text = [str(p) for p in problems]
    assert text[0].startswith(f"{path}:2: <line>: invalid JSON")
    assert f"{path}:3: unit: missing" in text
    assert any(t.startswith(f"{path}:4: comparator:") for t in text)
    assert any(t.startswith(f"{path}:4: target_year:") for t in text)


def test_figures_over_zero_items_are_none() -> None:
    o = overall([rec()], [])
    assert o["precision"] is None and o["comparator_accuracy"] is None and o["responsible_units_f1"] is None
    assert o["recall"] == 0.0 and o["f1"] == 0.0
    nothing = evaluate([rec(doc_id="a")], [rec(doc_id="a")]).per_doc["a"]
    nothing.gold = nothing.tp = nothing.predicted = 0
    nothing.field_right.clear()
    assert nothing.figures()["f1"] is None


def test_f1_is_the_harmonic_mean_when_both_exist() -> None:
    gold = [rec(value=1), rec(value=2), rec(value=3)]
    o = overall(gold, [rec(value=1), rec(value=2), rec(value=99)])
    p, r = o["precision"], o["recall"]
    assert o["f1"] == pytest.approx(2 * p * r / (p + r), abs=1e-4)


def test_several_gold_sets_side_by_side() -> None:
    from policy_targets.evaluate.evaluation import GoldSet, evaluate_sets
    from policy_targets.evaluate.reporting import report_markdown

    a = GoldSet("a", [rec(doc_id="x")], [rec(doc_id="x")])
    b = GoldSet("b", [rec(doc_id="x", value=5)], [rec(doc_id="x", value=6)])  # same doc_id, another set
    report = evaluate_sets([a, b])
    j = report.to_json()
    assert j["sets"]["a"]["overall"]["f1"] == 1.0 and j["sets"]["b"]["overall"]["f1"] == 0.0
    assert j["overall"]["gold"] == 2 and j["overall"]["matched"] == 1
    text = report_markdown(report)
    assert "| figure | a | b | overall |" in text
    assert "| detection F1 | 1.0000 | 0.0000 | 0.5000 |" in text


def test_check_scorable_refuses_nothing() -> None:
    from policy_targets.errors import UsageError
    from policy_targets.evaluate.evaluation import check_scorable

    for gold, pred, message in (([], [rec()], "no gold"), ([rec()], [], "no predictions"), ([rec()], [rec(doc_id="z")], "no document scored")):
        with pytest.raises(UsageError, match=message):
            check_scorable("set", gold, pred)


def test_missed_records_say_which_stage_missed_them() -> None:
    from policy_targets.evaluate.reporting import errors_text

    gold = [
        rec(value=7, evidence="煤电机组供电煤耗下降7%"),
        rec(value=8, evidence="新能源汽车占比达到8%"),
        rec(value=9, evidence="绿色建筑占比达到9%"),
        rec(value=10, evidence="新增造林10万亩"),
        rec(value=11, evidence="森林覆盖率达到11%"),
    ]
    quantities = {
        "d": [
            {"text": "7%", "value": 7, "unit": "%", "excluded": "condition"},
            {"text": "8%", "value": 8, "unit": "%", "excluded": None},
            {"text": "9%", "value": 9, "unit": "%", "excluded": None},
        ]
    }
    preds = [rec(value=9, target_year=2030, rule="verb-object"), rec(value=11, indicator="区县数量", rule="list")]
    report = evaluate(gold, preds, quantities)
    assert report.missed_stages == [
        "excluded: condition",
        "found as a candidate number, no target made of it",
        "predicted with another target_year · verb-object",
        "never found as a number with a unit",
        "predicted with an indicator too different · list",
    ]
    text = errors_text(report)
    assert "excluded: condition (1):" in text and "### Spurious predictions (2)" in text
    assert "verb-object (1):" in text and "list (1):" in text
    assert evaluate(gold, [], None).missed_stages[0] == "not known (predictions read from a file)"
