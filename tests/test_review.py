"""The review report without a browser: highlights nest, gold evidence is found, verdicts
come from the scorer, the folder is handled safely, bytes are reproducible, and the committed
reports in outputs/review/ are current."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_targets.cli import app
from policy_targets.review.locate import Compact, find_evidence
from policy_targets.review.marks import Node, Span, clip, nest
from policy_targets.review.site import FolderRefused, write_review
from policy_targets.structure.documents import normalize_plan
from review_helpers import write_inputs

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _tree(segments) -> list:
    return [s if isinstance(s, str) else (s.span.key, s.span.head, _tree(s.children)) for s in segments]


def test_equal_spans_nest_and_the_first_is_innermost() -> None:
    text = "到2030年分别达到5%和6%"
    spans = [Span(6, 15, "a", order=0), Span(6, 15, "b", order=1)]
    assert _tree(nest(text, 0, spans)) == ["到2030年", ("b", True, [("a", True, ["分别达到5%和6%"])])]


def test_a_crossing_span_is_cut_and_keeps_one_head() -> None:
    text = "甲乙丙丁戊己"
    tree = _tree(nest(text, 10, [Span(11, 14, "x"), Span(13, 16, "y")]))
    assert tree == ["甲", ("x", True, ["乙丙", ("y", True, ["丁"])]), ("y", False, ["戊己"])]
    heads = [n for n in _walk(nest(text, 10, [Span(11, 14, "x"), Span(13, 16, "y")])) if n.span.head]
    assert sorted(n.span.key for n in heads) == ["x", "y"]


def _walk(segments):
    for s in segments:
        if isinstance(s, Node):
            yield s
            yield from _walk(s.children)


def test_clip_marks_continuation_pieces() -> None:
    pieces = clip([Span(5, 15, "x")], 10, 20)
    assert [(p.start, p.end, p.head) for p in pieces] == [(10, 15, False)]
    assert clip([Span(5, 15, "x")], 15, 20) == []


def test_evidence_is_found_without_white_space_and_in_document_order() -> None:
    text = "到2026年,造林面积达到 3 万亩。\n到2028年,造林面积达到3万亩。"
    c = Compact.of(text)
    first = find_evidence(c, "造林面积达到3万亩")
    assert first is not None and text[first[0] : first[1]] == "造林面积达到 3 万亩"
    second = find_evidence(c, "造林面积达到 3万亩", near=first[0] + 1)
    assert second is not None and second[0] > text.index("\n")
    assert find_evidence(c, "森林覆盖率达到30%") is None
    assert find_evidence(c, "") is None


def test_evidence_in_another_script_is_found_after_normalising() -> None:
    text = normalize_plan("到2027年,風電裝機容量達到30萬千瓦。").text
    found = find_evidence(Compact.of(text), "風電裝機容量達到30萬千瓦", normalise=lambda s: normalize_plan(s).text)
    assert found is not None and text[found[0] : found[1]] == "风电装机容量达到30万千瓦"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    plans, gold = write_inputs(tmp_path_factory.mktemp("inputs"))
    out = tmp_path_factory.mktemp("site") / "report"
    result = write_review([plans], out, [gold])
    assert result.plans == 2 and result.records == 9 and not result.errors and not result.problems
    return out


def test_pages_are_written(demo: Path) -> None:
    for name in ("index.html", "records.html", "review.css", "review.js", "plans/demo-plan.html", "plans/other-plan.html"):
        assert (demo / name).is_file(), name


def test_plan_text_is_escaped(demo: Path) -> None:
    page = (demo / "plans" / "demo-plan.html").read_text("utf-8")
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in page
    assert page.count("<script") == 1  # the report's own script


def test_verdicts_and_reasons_are_on_the_page(demo: Path) -> None:
    page = (demo / "plans" / "demo-plan.html").read_text("utf-8")
    assert "comparator &gt;= ≠ gold =" in page
    assert "units 市能源局 ≠ gold []" in page
    assert "left out by scale_class" in page
    assert "year 2027 ≠ gold 2030" in page
    index = (demo / "index.html").read_text("utf-8")
    assert "no gold for this plan" in (demo / "plans" / "other-plan.html").read_text("utf-8")
    assert "<svg" in index and "Detection F1 per plan" in index


def test_two_builds_of_the_same_inputs_are_identical(tmp_path: Path) -> None:
    plans, gold = write_inputs(tmp_path)
    write_review([plans], tmp_path / "a", [gold])
    write_review([plans], tmp_path / "b", [gold], workers=2)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_a_folder_holding_other_files_is_refused(tmp_path: Path) -> None:
    plans, gold = write_inputs(tmp_path)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(FolderRefused, match="mine: folder is not empty"):
        write_review([plans], out, [gold])
    assert (out / "notes.txt").read_text() == "keep me" and not (out / "index.html").exists()
    cli = runner.invoke(app, ["review", str(plans), "-o", str(out)])
    assert cli.exit_code == 2 and "holds no earlier review report" in cli.output


def test_an_earlier_report_is_replaced_and_stale_pages_go(tmp_path: Path) -> None:
    plans, gold = write_inputs(tmp_path)
    out = tmp_path / "report"
    write_review([plans], out, [gold])
    (plans / "other-plan.txt").unlink()
    write_review([plans], out, [gold])
    assert sorted(p.name for p in (out / "plans").iterdir()) == ["demo-plan.html"]


def test_a_bad_file_is_named_and_the_rest_is_written(tmp_path: Path) -> None:
    plans, gold = write_inputs(tmp_path)
    (plans / "broken.txt").write_bytes(b"\x00\x01binary")
    out = tmp_path / "report"
    cli = runner.invoke(app, ["review", str(plans), "--gold", str(gold), "-o", str(out)])
    assert cli.exit_code == 1
    assert f"{plans / 'broken.txt'}: binary data" in cli.output
    assert (out / "plans" / "demo-plan.html").is_file()
    assert "broken.txt: binary data" in (out / "index.html").read_text("utf-8")


def test_bad_gold_is_named_and_the_report_written(tmp_path: Path) -> None:
    plans, gold = write_inputs(tmp_path)
    with gold.open("a", encoding="utf-8") as fh:
        fh.write('{"doc_id": "demo-plan", "value": 5}\n')
    out = tmp_path / "report"
    cli = runner.invoke(app, ["review", str(plans), "--gold", str(gold), "--gold", str(tmp_path / "nowhere"), "-o", str(out)])
    assert cli.exit_code == 1
    assert f"{gold}:9: indicator: missing" in cli.output and f"{tmp_path / 'nowhere'}: no such file or folder" in cli.output
    index = (out / "index.html").read_text("utf-8")
    assert "Gold problems (" in index and "nowhere: no such file or folder" in index
    assert "F1 0.7" in index  # the good gold lines are still scored


def test_nothing_readable_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "report"
    cli = runner.invoke(app, ["review", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert cli.exit_code == 1 and "no plan could be read" in cli.output
    assert not out.exists()


def test_gold_of_plans_not_reviewed_is_left_aside(tmp_path: Path) -> None:
    plans, gold = write_inputs(tmp_path)
    out = tmp_path / "report"
    cli = runner.invoke(app, ["review", str(plans / "other-plan.txt"), "--gold", str(gold), "-o", str(out)])
    assert cli.exit_code == 0, cli.output
    index = (out / "index.html").read_text("utf-8")
    assert "No gold record belongs to these plans" in index and "left aside: demo-plan" in index


def _build_committed(tmp: Path) -> Path:
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        for name, raw, gold in (("corpus", "corpus/raw", "corpus/gold"), ("dev", "corpus/dev/raw", "corpus/dev/gold"), ("dev2", "corpus/dev2/raw", "corpus/dev2/gold")):
            write_review([raw], tmp / name, [gold])  # as `make run` does; a file it cannot read is on the index
    finally:
        os.chdir(here)
    return tmp


def test_committed_reports_are_current(tmp_path: Path) -> None:
    built = _build_committed(tmp_path)
    committed = ROOT / "outputs" / "review"
    names = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*") if p.is_file()), "run `make run`"
    for name in names:
        assert (built / name).read_bytes() == (committed / name).read_bytes(), f"outputs/review/{name} is stale: run `make run`"


def test_every_link_to_a_plan_page_names_a_file_that_exists(tmp_path: Path) -> None:
    """A link is read by the browser with its escapes decoded: it must name the page's file
    as written on disk, whatever the plan's name (Chinese, space, sub-folder, capitals)."""
    import re
    from urllib.parse import unquote

    from review_helpers import AWKWARD_NAMES, write_awkward

    out = tmp_path / "report"
    result = write_review([write_awkward(tmp_path)], out)
    assert result.plans == len(AWKWARD_NAMES) and not result.errors
    pages = sorted(p.relative_to(out).as_posix() for p in (out / "plans").rglob("*.html"))
    assert len(pages) == len(AWKWARD_NAMES) and all(re.fullmatch(r"plans/[a-z0-9._~-]+\.html", p) for p in pages), pages
    for listing in ("index.html", "records.html"):
        hrefs = {h.split("#")[0] for h in re.findall(r'href="(plans/[^"]+)"', (out / listing).read_text("utf-8"))}
        assert hrefs and {unquote(h) for h in hrefs} <= set(pages), listing
    assert len(set(pages)) == len({unquote(h) for h in re.findall(r'href="(plans/[^"#]+)', (out / "index.html").read_text("utf-8"))})
