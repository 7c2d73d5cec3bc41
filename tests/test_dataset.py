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
from policy_targets.dataset.build import COLUMNS, CorpusSet, canonical, category_of, write_dataset
from policy_targets.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
FILES = ("targets.jsonl", "targets.csv", "targets.parquet", "documents.jsonl", "evaluation.json", "evaluation.md", "summary.md", "entries.svg", "errors.jsonl")
#: The sets `make run` builds, relative to the repository root.
SETS = [
    CorpusSet("bundled", Path("corpus/raw"), Path("corpus/gold")),
    CorpusSet("dev", Path("corpus/dev/raw"), Path("corpus/dev/gold")),
    CorpusSet("dev2", Path("corpus/dev2/raw"), Path("corpus/dev2/gold")),
]
PLAN = "到2025年，非化石能源消费比重达到20%左右。\n到2030年，城市绿化覆盖率不低于45%。\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Built as `make run` builds it: from the repository root, so source_file paths match."""
    out = tmp_path_factory.mktemp("dataset")
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        write_dataset(SETS, out)  # files it cannot read are in errors.jsonl, compared with the committed one
    finally:
        os.chdir(here)
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
        assert j["responsible_units"] == json.loads(c["responsible_units"]) == p["responsible_units"]
        assert j["corpus"] == c["corpus"] == p["corpus"]
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


def test_categories() -> None:
    assert category_of("新能源汽车新车销售量") == "transport"
    assert category_of("乡村振兴示范村") == "other"


def test_every_format_carries_the_catalogue_columns(built: Path) -> None:
    """indicator_id, scope and catalogue_rule are in JSONL, CSV and Parquet, with the same
    values; indicator_key is retired."""
    assert {"indicator_id", "scope", "catalogue_rule"} <= set(COLUMNS) and "indicator_key" not in COLUMNS
    frame = load_dataset(built)
    jsonl = [json.loads(line) for line in (built / "targets.jsonl").read_text("utf-8").splitlines()]
    rows = list(csv.DictReader(io.StringIO((built / "targets.csv").read_text("utf-8-sig"))))
    assert [r["indicator_id"] for r in jsonl] == [None if pd.isna(v) else v for v in frame["indicator_id"]]
    assert [r["indicator_id"] or "" for r in jsonl] == [r["indicator_id"] for r in rows]
    assert [r["scope"] for r in jsonl] == list(frame["scope"]) == [r["scope"] for r in rows]
    assert str(frame["indicator_id"].dtype) == "string"
    with_id = frame["indicator_id"].notna()
    assert with_id.mean() > 0.8
    picked = frame[with_id]
    assert all(rule.startswith(f"{i}:") for rule, i in zip(picked["catalogue_rule"], picked["indicator_id"]))
    summary = (built / "summary.md").read_text("utf-8")
    assert "## Targets by catalogue entry" in summary and "](entries.svg)" in summary
    assert (built / "entries.svg").read_text("utf-8").startswith("<svg")


def test_every_corpus_is_in_the_dataset(built: Path) -> None:
    names = [s.name for s in SETS]
    docs = [json.loads(line) for line in (built / "documents.jsonl").read_text("utf-8").splitlines()]
    failed = [e for e in map(json.loads, (built / "errors.jsonl").read_text("utf-8").splitlines()) if "level" not in e]
    assert {d["corpus"] for d in docs} == set(names)
    assert len(docs) + len(failed) == sum(len(list((ROOT / s.raw).glob("*.txt"))) for s in SETS)  # each plan read, or listed
    report = json.loads((built / "evaluation.json").read_text("utf-8"))
    assert set(report["sets"]) == set(names)
    overall = report["overall"]
    assert overall["gold"] == sum(report["sets"][n]["overall"]["gold"] for n in names)
    text = (built / "evaluation.md").read_text("utf-8")
    assert f"| figure | {' | '.join(names)} | overall |" in text and "responsible-units F1" in text


def test_list_columns_are_python_lists(built: Path) -> None:
    frame = load_dataset(built)
    assert all(isinstance(v, list) for v in frame["responsible_units"])
    assert all(isinstance(v, list) for v in frame["section"])
    with_units = frame["responsible_units"].map(len).gt(0).sum()
    assert with_units > 0
    # what a researcher types: joined lists are searchable as strings
    joined = frame["responsible_units"].map("、".join)
    assert joined.str.contains("发展改革委").sum() > 0


def test_load_dataset_reads_an_extract_output_file(tmp_path: Path) -> None:
    from policy_targets.dataset.batch import run_batch

    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "p.txt").write_text(PLAN, "utf-8")
    run_batch([tmp_path / "plans"], tmp_path / "t.jsonl", progress=False)
    frame = load_dataset(tmp_path / "t.jsonl")
    assert list(frame["value"]) == [20.0, 45.0]
    assert list(frame["indicator_id"]) == ["non_fossil_energy_share", "urban_green_coverage"]
    assert list(frame["scope"]) == ["", ""]
    assert str(frame["target_year"].dtype) == "Int64"
    assert frame["responsible_units"].tolist() == [[], []]
    with pytest.raises(FileNotFoundError, match="no such dataset file"):
        load_dataset(tmp_path / "missing")


def _tiny_corpus(tmp_path: Path) -> list[CorpusSet]:
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "p.txt").write_text(PLAN, "utf-8")
    return [CorpusSet("mine", tmp_path / "raw")]


def test_missing_inputs_are_errors_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sets = _tiny_corpus(tmp_path)
    write_dataset(sets, out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    with pytest.raises(UsageError, match="no such folder of plans"):
        write_dataset([CorpusSet("x", tmp_path / "nowhere")], out)
    with pytest.raises(UsageError, match="no such gold folder"):
        write_dataset([CorpusSet("mine", tmp_path / "raw", tmp_path / "no-gold")], out)
    (tmp_path / "empty-gold").mkdir()
    with pytest.raises(UsageError, match="no \\*.jsonl gold files"):
        write_dataset([CorpusSet("mine", tmp_path / "raw", tmp_path / "empty-gold")], out)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_a_folder_holding_other_files_is_not_replaced(tmp_path: Path) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(UsageError, match="not part of a dataset"):
        write_dataset(_tiny_corpus(tmp_path), out)
    assert (out / "thesis.docx").read_bytes() == b"years of work"


def test_dataset_is_written_whole_or_not_at_all(tmp_path: Path, monkeypatch) -> None:
    from policy_targets.dataset import build

    out = tmp_path / "out"
    sets = _tiny_corpus(tmp_path)
    write_dataset(sets, out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    (tmp_path / "raw" / "q.txt").write_text(PLAN.replace("20%", "30%"), "utf-8")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build, "summary_markdown", broken)
    with pytest.raises(OSError):
        write_dataset(sets, out)
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_no_plan_read_leaves_the_dataset_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sets = _tiny_corpus(tmp_path)
    write_dataset(sets, out)
    before = {f.name: f.read_bytes() for f in out.iterdir()}
    (tmp_path / "raw" / "p.txt").write_bytes(bytes(range(256)))
    result = write_dataset(sets, out)
    assert result.docs == [] and [e.kind for e in result.errors] == ["binary"]
    assert {f.name: f.read_bytes() for f in out.iterdir()} == before


def test_progress_bar(tmp_path: Path) -> None:
    import io

    err = io.StringIO()
    write_dataset(_tiny_corpus(tmp_path), tmp_path / "out", progress=True, stderr=err)
    assert "0/1" in err.getvalue() and "doc/s" in err.getvalue()


def test_two_builds_give_identical_bytes(built: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    write_dataset(SETS, tmp_path / "again", workers=2)
    tmp_path = tmp_path / "again"
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_committed_outputs_are_current(built: Path) -> None:
    for name in FILES:
        committed = ROOT / "outputs" / name
        assert committed.is_file(), f"outputs/{name} missing: run `make run`"
        assert committed.read_bytes() == (built / name).read_bytes(), f"outputs/{name} is stale: run `make run`"
