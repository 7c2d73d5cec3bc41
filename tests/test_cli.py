"""The command line as a researcher uses it."""

import json
from pathlib import Path

from typer.testing import CliRunner

from policy_targets.cli import app

RAW = "corpus/raw"
runner = CliRunner()


def test_normalize_and_structure() -> None:
    out = runner.invoke(app, ["normalize", f"{RAW}/qingdao-carbon-peak.txt"])
    assert out.exit_code == 0 and "可再生能源装机容量分别达到600万千瓦和1000万千瓦" in out.stdout
    out = runner.invoke(app, ["structure", "--json", f"{RAW}/binzhou-carbon-peak.txt"])
    data = json.loads(out.stdout)
    assert set(data) == {"doc_id", "title", "city", "issuer", "doc_number", "date", "items"}
    assert data["doc_number"] == "滨政字〔2023〕84号" and len(data["items"]) == 47
    assert set(data["items"][0]) == {"section", "raw_start", "raw_end", "responsible_units"}
    bad = runner.invoke(app, ["structure", "no/such/file.txt"])
    assert bad.exit_code == 1 and "no/such/file.txt: no such file" in bad.output


def test_evaluate_json_and_min_f1(tmp_path: Path) -> None:
    out = runner.invoke(app, ["evaluate", "--json"])
    assert out.exit_code == 0
    report = json.loads(out.stdout)
    assert set(report["per_document"]) == {p.stem for p in Path(RAW).glob("*.txt")}
    assert report["overall"]["f1"] >= 0.95
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    failing = runner.invoke(app, ["evaluate", "--pred", str(empty), "--min-f1", "0.5"])
    assert failing.exit_code == 1 and "below --min-f1" in failing.output
    errors = runner.invoke(app, ["evaluate", "--pred", str(empty), "--errors"])
    assert "## Missed gold (167)" in errors.stdout


def test_validate(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", "corpus/gold"]).exit_code == 0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x"}\n')
    out = runner.invoke(app, ["validate", str(bad)])
    assert out.exit_code == 1 and f"{bad}:1: indicator: missing" in out.stdout


def test_review_writes_only_into_the_named_folder(tmp_path: Path, monkeypatch) -> None:
    plan = Path(RAW, "zibo-pollution-carbon.txt").resolve()
    gold = Path("corpus/gold").resolve()
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["review", str(plan), "--gold", str(gold), "-o", "report"])
    assert out.exit_code == 0, out.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]
    page = (tmp_path / "report" / "plans" / "zibo-pollution-carbon.html").read_text("utf-8")
    assert "万千瓦" in page and 'class="t k-matched"' in page
    assert runner.invoke(app, ["show", str(plan)]).exit_code == 2  # `show` became `review`


def test_version() -> None:
    out = runner.invoke(app, ["--version"])
    assert out.exit_code == 0 and out.stdout.startswith("policy-targets ")
