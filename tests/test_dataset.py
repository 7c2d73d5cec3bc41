"""The indicator dataset: same rows in every format, typed loading, canonical values,
byte-for-byte regeneration, and outputs/ always current."""

import csv
import io
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from policy_targets import load_dataset
from policy_targets.dataset.build import canonical, category_of, indicator_key, write_dataset

ROOT = Path(__file__).resolve().parents[1]
FILES = ("targets.jsonl", "targets.csv", "targets.parquet", "documents.jsonl", "evaluation.json", "evaluation.md", "summary.md")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Built as `make run` builds it: from the repository root, so source_file paths match."""
    out = tmp_path_factory.mktemp("dataset")
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        errors = write_dataset("corpus/raw", "corpus/gold", out)
    finally:
        os.chdir(here)
    assert errors == []
    return out


def test_all_files_are_written(built: Path) -> None:
    for name in FILES:
        assert (built / name).is_file(), name


def test_formats_hold_the_same_rows(built: Path) -> None:
    jsonl = [json.loads(line) for line in (built / "targets.jsonl").read_text("utf-8").splitlines()]
    raw_csv = (built / "targets.csv").read_bytes()
    assert raw_csv.startswith(b"\xef\xbb\xbf"), "CSV starts with a BOM so that Excel shows the Chinese"
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8-sig"))))
    frame = load_dataset(built)
    assert len(jsonl) == len(rows) == len(frame) > 0
    for j, c, (_, p) in zip(jsonl, rows, frame.iterrows()):
        assert j["indicator"] == c["indicator"] == p["indicator"]
        assert float(j["value"]) == float(c["value"]) == p["value"]
        assert j["unit"] == c["unit"] == p["unit"]
        assert (j["target_year"] or "") == (int(c["target_year"]) if c["target_year"] else "") == (p["target_year"] if pd.notna(p["target_year"]) else "")
        assert j["responsible_units"] == json.loads(c["responsible_units"]) == list(p["responsible_units"])
        assert j["aspirational"] == (c["aspirational"] == "true") == bool(p["aspirational"])


def test_load_dataset_is_typed(built: Path) -> None:
    frame = load_dataset(built)
    assert str(frame["target_year"].dtype) == "Int64"
    assert str(frame["per_year"].dtype) == "boolean"
    assert frame["value"].dtype == "float64"
    assert str(frame["indicator"].dtype).startswith("string")
    assert frame["target_year"].isna().any()


def test_canonical_values() -> None:
    assert canonical(100, "万千瓦") == (1000000, "kW")
    assert canonical(1.54, "亿平方米") == (154000000, "m2")
    assert canonical(400, "兆瓦") == (400000, "kW")
    assert canonical(295, "克标准煤/千瓦时") == (295, "gce/kWh")
    assert canonical(5, "个百分点") == (5, "pp")
    assert canonical(9, "%") == (9, "%")
    assert canonical(4, "万个") == (40000, "个")
    assert canonical(3, "furlongs") == (None, None)


def test_grouping_across_plans() -> None:
    assert indicator_key("非化石能源消费比重") == indicator_key("非化石能源消费占比")
    assert category_of("新能源汽车新车销售量") == "transport"


def test_two_builds_give_identical_bytes(built: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    write_dataset("corpus/raw", "corpus/gold", tmp_path, workers=2)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_committed_outputs_are_current(built: Path) -> None:
    for name in FILES:
        committed = ROOT / "outputs" / name
        assert committed.is_file(), f"outputs/{name} missing: run `make run`"
        assert committed.read_bytes() == (built / name).read_bytes(), f"outputs/{name} is stale: run `make run`"
