"""One plan as .txt, .html, .docx and .pdf (written by tests/formats_fixtures.py from
tests/data/formats-plan.yaml) gives the same records, each with its place in the source."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import formats_fixtures as ff
from policy_targets.api import extract_document
from policy_targets.cli import app
from policy_targets.contract import RECORD_FIELDS
from policy_targets.dataset.batch import collect_inputs, run_batch
from policy_targets.formats import read_source
from policy_targets.structure.documents import load_document

FORMATS = ("txt", "html", "docx", "pdf")
SPEC = ff.load_spec()
#: What may differ between formats of one plan: the id and where things stand in the file.
PROVENANCE = {f.name for f in RECORD_FIELDS if f.provenance} - {"section", "sentence", "rule"} | {"doc_id"}


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory) -> dict[str, Path]:
    return ff.write_all(SPEC, tmp_path_factory.mktemp("plans"))


@pytest.fixture(scope="module")
def records(plan_files) -> dict[str, list[dict]]:
    return {fmt: extract_document(load_document(path)) for fmt, path in plan_files.items()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_gives_the_written_down_records(records, fmt: str) -> None:
    fields = ("indicator", "value", "unit", "comparator", "target_year", "responsible_units", "binding")
    got = [{k: r[k] for k in fields} | {"location": r["location"]} for r in records[fmt]]
    want = [{k: e.get(k) for k in fields} | {"location": e["location"][fmt]} for e in SPEC["expected"]]
    assert got == want


def test_the_formats_agree_on_everything_but_provenance(records) -> None:
    def core(r: dict) -> dict:
        return {k: v for k, v in r.items() if k not in PROVENANCE}

    reference = [core(r) for r in records["txt"]]
    assert reference
    for fmt in FORMATS[1:]:
        assert [core(r) for r in records[fmt]] == reference, fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_plan_text_with_tables_as_rows(plan_files, fmt: str) -> None:
    """The whole plan in order, the merged-cell table as `a | b` rows with each merged cell
    repeated, and nothing of the file around it (page chrome, running header, page numbers)."""
    text = read_source(plan_files[fmt]).text
    # a PDF's lines are hard-wrapped (joining them is the structure stage's work): compare the
    # joined text there, whole lines elsewhere
    flat, edge = (text.replace("\n", ""), "") if fmt == "pdf" else ("\n" + text, "\n")
    pos = 0
    for block in ff.typed_paragraphs(SPEC):
        for wanted in ([" | ".join(row) for row in block] if isinstance(block, list) else [block]):
            found = flat.find(edge + wanted + edge, pos)
            assert found >= 0, wanted
            pos = found + len(wanted)
    assert "指标 | 目标值 | 目标值 | 属性" in text and "指标 | 2020年 | 2025年 | 属性" in text
    for chrome in [*ff.PAGE_CHROME["nav"][1:], ff.PAGE_CHROME["crumbs"], "分享到", "网站标识码", "ICP备", "统计代码", ff.PAGE_CHROME["related"][0], ff.RUNNING_HEADER, ff.RUNNING_FOOTER, "— 1 —", "— 2 —"]:
        assert chrome not in text, chrome


def test_pdf_locations_name_pages_and_table_cells(plan_files) -> None:
    source = read_source(plan_files["pdf"])
    at = source.locations.at
    assert at(source.text.index("二、重点任务")) == "page 2"
    row = source.text.index("工业用水重复利用率")
    assert at(row) == "page 1 table 1 row 4 cell 1"
    assert at(source.text.index("94", row)) == "page 1 table 1 row 4 cell 3"


def test_word_and_web_locations_name_paragraphs_and_cells(plan_files) -> None:
    for fmt in ("docx", "html"):
        source = read_source(plan_files[fmt])
        start = source.text.index("约束性")
        assert source.locations.at(start) == "table 1 row 3 cell 4", fmt
        assert source.locations.at(0) == "paragraph 1", fmt


def test_a_folder_of_four_formats_is_four_documents(plan_files, tmp_path: Path) -> None:
    folder = plan_files["txt"].parent
    out = tmp_path / "out.jsonl"
    result = run_batch([folder], out, progress=False, stderr=open(os.devnull, "w"))
    assert result.documents == 4 and not result.errors
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    per_doc: dict[str, int] = {}
    for r in rows:
        per_doc[r["doc_id"]] = per_doc.get(r["doc_id"], 0) + 1
    assert per_doc == {f"plan.{fmt}": len(SPEC["expected"]) for fmt in FORMATS}


def test_extensions_match_whatever_their_case(plan_files, tmp_path: Path) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "NOTICE.PDF").write_bytes(plan_files["pdf"].read_bytes())
    (folder / "Plan.Docx").write_bytes(plan_files["docx"].read_bytes())
    (folder / "readme.md").write_text("不是方案", "utf-8")
    files, errors = collect_inputs([folder])
    assert [f.path.name for f in files] == ["NOTICE.PDF", "Plan.Docx"] and not errors
    assert [f.path.name for f in collect_inputs([folder], "*.pdf")[0]] == ["NOTICE.PDF"]


def test_glob_narrows_the_formats_and_workers_do_not_change_the_bytes(plan_files, tmp_path: Path) -> None:
    folder = plan_files["txt"].parent
    runner = CliRunner()
    only_pdf = runner.invoke(app, ["extract", str(folder), "--glob", "*.pdf", "-o", str(tmp_path / "pdf.jsonl")])
    assert only_pdf.exit_code == 0, only_pdf.output
    rows = [json.loads(line) for line in (tmp_path / "pdf.jsonl").read_text("utf-8").splitlines()]
    assert {r["doc_id"] for r in rows} == {"plan"} and {r["source_file"].rsplit(".", 1)[1] for r in rows} == {"pdf"}
    for workers in ("1", "2"):
        done = runner.invoke(app, ["extract", str(folder), "-j", workers, "-o", str(tmp_path / f"all{workers}.jsonl")])
        assert done.exit_code == 0, done.output
    assert (tmp_path / "all1.jsonl").read_bytes() == (tmp_path / "all2.jsonl").read_bytes()


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_normalize_and_review_work_for_every_format(plan_files, fmt: str, tmp_path: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["normalize", str(plan_files[fmt])])
    assert shown.exit_code == 0
    assert "1.推广高效节能装备" in shown.output and "指标|2020年|2025年|属性" in shown.output.replace(" ", "")
    report = tmp_path / "report"
    done = runner.invoke(app, ["review", str(plan_files[fmt]), "-o", str(report)])
    assert done.exit_code == 0, done.output
    assert f"{len(SPEC['expected'])} targets from 1 plans" in done.output
    pages = [p.read_text("utf-8") for p in report.rglob("*.html") if p.name not in ("index.html", "records.html")]
    assert len(pages) == 1 and "高效节能电机在役比例" in pages[0]


def test_review_takes_a_folder_of_every_format(plan_files, tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["review", str(plan_files["txt"].parent), "-o", str(tmp_path / "report")])
    assert done.exit_code == 0, done.output
    assert f"{4 * len(SPEC['expected'])} targets from 4 plans" in done.output


def test_the_dataset_takes_every_format(plan_files, tmp_path: Path) -> None:
    from policy_targets.dataset.build import CorpusSet, write_dataset

    errors = write_dataset([CorpusSet("plans", plan_files["txt"].parent)], tmp_path / "ds").errors
    assert not errors
    docs = [json.loads(line) for line in (tmp_path / "ds" / "documents.jsonl").read_text("utf-8").splitlines()]
    assert [d["doc_id"] for d in docs] == [f"plan.{fmt}" for fmt in sorted(FORMATS)]
    assert {d["targets"] for d in docs} == {len(SPEC["expected"])}
    assert {d["title"] for d in docs} == {"江洲市工业领域节能降碳行动方案"}
