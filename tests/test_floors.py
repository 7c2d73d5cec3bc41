"""Floors on the three gold sets: the bundled plans the rules were first written on, the
development set of 40 excerpts from 14 provinces and national ministries, and the second
development set of 42 excerpts from 18 provinces (mirror pages, traditional script). A change
that costs accuracy fails here, with the figure it reached."""

from __future__ import annotations

from pathlib import Path

import pytest

from policy_targets.api import extract_document
from policy_targets.evaluate.evaluation import evaluate
from policy_targets.evaluate.validation import read_folder
from policy_targets.structure.documents import load_document

ROOT = Path(__file__).resolve().parents[1]

#: (gold set, raw plans, floors). Floors are the figures measured on this build, rounded down.
FLOORS = {
    "bundled": ("corpus/gold", "corpus/raw", {"f1": 0.99, "strict_f1": 0.97, "indicator_exact": 0.93}),
    # exact 0.86: dev's gold names a built thing alone (建成充电桩50个 -> 充电桩) where the bundled
    # and dev2 gold, and ANNOTATION.md's first form, name it with its verb noun (充电桩建成);
    # the extractor follows the contract's first form, except for a running total (累计建成…)
    "dev": ("corpus/dev/gold", "corpus/dev/raw", {"f1": 0.99, "strict_f1": 0.99, "indicator_exact": 0.86}),
    # read while this build's rules were written (its figure before any of them: F1 0.7964,
    # strict 0.7821, exact 0.4529); issue 17 asks 0.97 / 0.95 / 0.85
    "dev2": ("corpus/dev2/gold", "corpus/dev2/raw", {"f1": 0.97, "strict_f1": 0.97, "indicator_exact": 0.85}),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request):
    gold_dir, raw_dir, floors = FLOORS[request.param]
    gold, problems = read_folder(ROOT / gold_dir)
    assert not problems, problems
    preds = [r for p in sorted((ROOT / raw_dir).glob("*.txt")) for r in extract_document(load_document(p))]
    return request.param, evaluate(gold, preds).to_json(), floors


def test_detection_and_strict_floors(scored) -> None:
    name, report, floors = scored
    overall = report["overall"]
    assert overall["responsible_units_f1"] >= 0.95, f"{name}: responsible-units F1 {overall['responsible_units_f1']:.4f}"
    assert overall["f1"] >= floors["f1"], f"{name}: detection F1 {overall['f1']:.4f}"
    assert overall["strict_f1"] >= floors["strict_f1"], f"{name}: strict F1 {overall['strict_f1']:.4f}"


def test_exact_indicator_floor(scored) -> None:
    name, report, floors = scored
    exact = report["overall"]["indicator_exact_accuracy"]
    assert exact >= floors["indicator_exact"], f"{name}: exact indicator {exact:.4f}"
