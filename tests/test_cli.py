"""The command line as a researcher uses it."""

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_targets.cli import app

RAW = "corpus/raw"
ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
#: A record of the first bundled gold document, for predictions made by hand.
GOLD_LIKE = json.loads((ROOT / "corpus" / "gold" / "binzhou-carbon-peak.jsonl").read_text("utf-8").splitlines()[0])


def test_normalize_and_structure() -> None:
    out = runner.invoke(app, ["normalize", f"{RAW}/qingdao-carbon-peak.txt"])
    assert out.exit_code == 0 and "可再生能源装机容量分别达到600万千瓦和1000万千瓦" in out.stdout
    out = runner.invoke(app, ["structure", "--json", f"{RAW}/binzhou-carbon-peak.txt"])
    data = json.loads(out.stdout)
    assert set(data) == {"doc_id", "title", "issuer", "doc_number", "date", "period", "jurisdiction", "admin_code", "level", "province", "items"}
    assert (data["jurisdiction"], data["admin_code"], data["level"]) == ("滨州市", "371600", "city")
    assert data["doc_number"] == "滨政字〔2023〕84号" and len(data["items"]) == 47
    assert set(data["items"][0]) == {"section", "raw_start", "raw_end", "responsible_units"}
    bad = runner.invoke(app, ["structure", "no/such/file.txt"])
    assert bad.exit_code == 1 and "no/such/file.txt: no such file" in bad.output


def test_evaluate_json_and_min_f1(tmp_path: Path) -> None:
    out = runner.invoke(app, ["evaluate", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert set(report["sets"]) == {"bundled", "dev", "dev2"}
    assert set(report["sets"]["bundled"]["per_document"]) == {p.stem for p in Path(RAW).glob("*.txt")}
    assert report["sets"]["bundled"]["overall"]["f1"] >= 0.95
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({**GOLD_LIKE, "value": 1234}) + "\n")
    failing = runner.invoke(app, ["evaluate", "--gold", "corpus/gold", "--pred", str(other), "--min-f1", "0.5"])
    assert failing.exit_code == 1 and "below --min-f1" in failing.output
    errors = runner.invoke(app, ["evaluate", "--gold", "corpus/gold", "--pred", str(other), "--errors"])
    assert "### Missed gold (167)" in errors.stdout


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


def test_extract_imports_only_what_the_plan_needs(tmp_path: Path) -> None:
    """Start-up is paid for what a plan uses: a one-sentence plan loads no word segmenter, no
    Chinese-numeral converter, no pinyin table and no spaCy; a plan with numbered headings,
    a pinyin-like bracket and coordinated subjects loads jieba's tokenizer but still neither
    cn2an (its numbers are small) nor pypinyin (its readings are kept on disk), nor setuptools'
    pkg_resources (jieba imports it only to open its own files). The command line itself
    imports neither typer nor pydantic."""
    import subprocess
    import sys

    short = tmp_path / "short.txt"
    short.write_text("到2027年,某县公共建筑光伏覆盖率达到45%。\n", "utf-8")
    longer = tmp_path / "longer.txt"
    longer.write_text(
        "某县绿色低碳发展方案\n一、总体要求\n(二)主要目标\n"
        "到2027年,甲镇、乙镇的生活垃圾回收利用率分别达到38%和41%,建成零碳(lingtan)示范园区12个。\n",
        "utf-8",
    )
    heavy = ("spacy", "jieba", "cn2an", "pypinyin", "typer", "pydantic", "pkg_resources")
    code = (
        "import sys, json\n"
        "from policy_targets.cli import main\n"
        "try:\n"
        "    main(['extract', sys.argv[1], '-o', sys.argv[2]])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print(json.dumps([m for m in {heavy!r} if m in sys.modules]))\n"
    )

    def loaded(plan: Path) -> list[str]:
        out = subprocess.run([sys.executable, "-c", code, str(plan), str(tmp_path / "out.jsonl")], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    loaded(longer)  # the first run may build the caches on disk (the suite's own cache folder)
    assert loaded(short) == []
    assert loaded(longer) == ["jieba"]
    assert (tmp_path / "out.jsonl").read_text("utf-8").count("\n") == 3


def test_version() -> None:
    out = runner.invoke(app, ["--version"])
    assert out.exit_code == 0 and out.stdout.startswith("policy-targets ")


# --- mistakes, odd files and conventions (issue 11) ----------------------------------------

PLAN = "到2025年，非化石能源消费比重达到20%左右。\n到2030年，城市绿化覆盖率不低于45%。\n"


def plans(tmp_path: Path) -> Path:
    d = tmp_path / "plans"
    d.mkdir(exist_ok=True)
    (d / "p.txt").write_text(PLAN, "utf-8")
    return d


def no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_mistyped_input_does_not_empty_a_good_file(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(b'{"kept": true}\n')
    out = runner.invoke(app, ["extract", str(tmp_path / "missing.txt"), "-o", str(good)])
    assert out.exit_code == 1 and "missing.txt: no such file or folder" in out.output
    assert "left unchanged" in out.output
    assert good.read_bytes() == b'{"kept": true}\n'
    no_traceback(out)


def test_output_through_symlinks_and_special_files(tmp_path: Path) -> None:
    d = plans(tmp_path)
    real = tmp_path / "real.jsonl"
    real.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert runner.invoke(app, ["extract", str(d), "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and len(real.read_text().splitlines()) == 2
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert runner.invoke(app, ["extract", str(d), "-o", str(fifo)]).exit_code == 0
    reader.join(30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and got[0].count(b"\n") == 2


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_output_onto_a_device_keeps_the_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    assert runner.invoke(app, ["extract", str(plans(tmp_path)), "-o", str(null)]).exit_code == 0
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_dev_null_stays_a_device() -> None:
    assert runner.invoke(app, ["extract", f"{RAW}/qingdao-carbon-peak.txt", "-o", os.devnull]).exit_code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("option", ["-o", "--errors-file"])
def test_output_that_is_a_folder_is_refused_before_any_work(tmp_path: Path, option: str, monkeypatch) -> None:
    from policy_targets.dataset import batch

    def never(*args, **kwargs):
        raise AssertionError("work started")

    monkeypatch.setattr(batch, "iter_results", never)
    folder = tmp_path / "out"
    folder.mkdir()
    out = runner.invoke(app, ["extract", str(plans(tmp_path)), option, str(folder)])
    assert out.exit_code == 2 and f"{folder}: is a folder" in out.output
    no_traceback(out)


def test_read_only_folder_is_one_line(tmp_path: Path, monkeypatch) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == ro else real_access(p, mode))
    for option in ("-o", "--errors-file"):
        out = runner.invoke(app, ["extract", str(plans(tmp_path)), option, str(ro / "x.jsonl")])
        assert out.exit_code == 2 and "permission denied" in out.output and len(out.output.strip().splitlines()) == 1
        no_traceback(out)


def test_stdout_and_stdin(tmp_path: Path) -> None:
    out = runner.invoke(app, ["extract", str(plans(tmp_path)), "-o", "-"])
    assert out.exit_code == 0 and [json.loads(x)["value"] for x in out.stdout.splitlines()] == [20, 45]
    assert not (Path.cwd() / "-").exists()
    out = runner.invoke(app, ["extract", "-"], input=PLAN.encode("gb18030"))
    records = [json.loads(x) for x in out.stdout.splitlines()]
    assert out.exit_code == 0 and [r["doc_id"] for r in records] == ["stdin", "stdin"]
    assert records[0]["source_file"] == "<stdin>"
    out = runner.invoke(app, ["normalize", "-"], input=PLAN.encode("utf-8"))
    assert out.exit_code == 0 and "非化石能源" in out.stdout


def test_no_matching_files_says_so(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "plan.md").write_text(PLAN, "utf-8")
    out = runner.invoke(app, ["extract", str(d), "--glob", "*.txt"])
    assert out.exit_code == 1 and f"no *.txt files under {d}/; use --glob" in out.output
    out = runner.invoke(app, ["extract", str(d)])  # every supported format, and .md is none
    assert out.exit_code == 1 and f"*.pdf, *.doc, *.wps files under {d}/; use --glob" in out.output
    out = runner.invoke(app, ["extract", str(d), "--glob", "*.txt", "--glob", "*.md"])
    assert out.exit_code == 0 and len(out.stdout.splitlines()) == 2


def test_empty_file_is_a_warning_not_a_plan(tmp_path: Path) -> None:
    d = plans(tmp_path)
    (d / "z-empty.txt").write_bytes(b"")
    errors = tmp_path / "errors.jsonl"
    out = runner.invoke(app, ["extract", str(d), "-o", str(tmp_path / "t.jsonl"), "--errors-file", str(errors)])
    assert out.exit_code == 0 and "z-empty.txt: empty file" in out.output and "1 warning" in out.output
    assert json.loads(errors.read_text()) == {"path": str(d / "z-empty.txt"), "kind": "empty", "message": "empty file (no text); skipped", "level": "warning"}


def test_missing_files_of_evaluate_and_validate_are_one_line(tmp_path: Path) -> None:
    out = runner.invoke(app, ["evaluate", "--gold", "corpus/gold", "--pred", str(tmp_path / "missing.jsonl")])
    assert out.exit_code == 2 and out.output.strip() == f"{tmp_path / 'missing.jsonl'}: no such file"
    out = runner.invoke(app, ["validate", str(tmp_path / "missing.jsonl")])
    assert out.exit_code == 1 and f"{tmp_path / 'missing.jsonl'}: no such file or folder" in out.output
    no_traceback(out)


def test_evaluate_refuses_to_score_nothing(tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "empty-gold"
    empty.mkdir()
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(GOLD_LIKE) + "\n")
    cases = [
        (["--gold", str(empty), "--pred", str(pred)], "no gold records"),
        (["--gold", "corpus/gold", "--pred", str(tmp_path / "none.jsonl")], "no such file"),
    ]
    (tmp_path / "none.jsonl").write_text("")
    cases[1] = (["--gold", "corpus/gold", "--pred", str(tmp_path / "none.jsonl")], "no predictions")
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({**GOLD_LIKE, "doc_id": "not-in-gold"}) + "\n")
    cases.append((["--gold", "corpus/gold", "--pred", str(other)], "no document scored"))
    for args, message in cases:
        out = runner.invoke(app, ["evaluate", *args, "--min-f1", "0"])
        assert out.exit_code == 2 and message in out.output, (args, out.output)
        assert "1.0000" not in out.output
    monkeypatch.chdir(tmp_path)  # outside the repository: no bundled corpus, no gold
    out = runner.invoke(app, ["evaluate"])
    assert out.exit_code == 2 and "corpus/raw: no such folder of plans" in out.output


def test_figures_over_zero_items_are_n_a(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({**GOLD_LIKE, "value": 98765}) + "\n")
    out = runner.invoke(app, ["evaluate", "--gold", "corpus/gold", "--pred", str(pred)])
    rows = {line.split(" | ")[0].lstrip("| "): line for line in out.stdout.splitlines() if line.startswith("| ")}
    assert "n/a" in rows["comparator accuracy"] and "n/a" in rows["responsible-units F1"]
    doc_rows = [line for line in out.stdout.splitlines() if line.startswith("| qingdao-carbon-peak ")]
    assert "| n/a |" in doc_rows[0]  # precision with nothing predicted


def test_rows_add_up(tmp_path: Path) -> None:
    report = json.loads(runner.invoke(app, ["evaluate", "--json"]).stdout)
    for name, data in report["sets"].items():
        for figures in [data["overall"], *data["per_document"].values()]:
            assert figures["predicted"] == figures["matched"] + figures["matched_optional"] + figures["false_positives"], name


def test_errors_grouped_by_kind_and_stage() -> None:
    out = runner.invoke(app, ["evaluate", "--errors", "--corpus", "dev=corpus/dev/raw", "--gold", "dev=corpus/dev/gold"])
    assert out.exit_code == 0
    text = out.stdout
    for heading in ("### Missed gold", "### Spurious predictions", "### Field errors on matched pairs"):
        assert heading in text
    missed = text.split("### Missed gold")[1].split("### Spurious")[0]
    stages = ("never found", "predicted with", "excluded:", "found as a candidate")
    items = [line for line in missed.splitlines() if line.startswith("- ")]
    assert items, "the dev set has missed gold records to group"
    groups = [line for line in missed.splitlines() if line.endswith(":") and line.startswith(stages)]
    assert groups and sum(int(g.rsplit("(", 1)[1].split(")")[0]) for g in groups) == len(items)


def test_dataset_outside_the_repository_is_an_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["dataset"])
    assert out.exit_code == 2 and "no such folder of plans" in out.output
    assert not (tmp_path / "outputs").exists()


def test_dataset_with_missing_gold_keeps_the_old_evaluation(tmp_path: Path) -> None:
    d = plans(tmp_path)
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "p.jsonl").write_text(json.dumps({**GOLD_LIKE, "doc_id": "p", "value": 20, "unit": "%", "target_year": 2025}) + "\n")
    out_dir = tmp_path / "out"
    ok = runner.invoke(app, ["dataset", "--corpus", str(d), "--gold", str(gold), "-o", str(out_dir)])
    assert ok.exit_code == 0, ok.output
    before = (out_dir / "evaluation.md").read_bytes()
    bad = runner.invoke(app, ["dataset", "--corpus", str(d), "--gold", str(tmp_path / "nope"), "-o", str(out_dir)])
    assert bad.exit_code == 2 and "no such gold folder" in bad.output
    assert (out_dir / "evaluation.md").read_bytes() == before


def test_unexpected_errors_say_where_to_report(tmp_path: Path, monkeypatch) -> None:
    from policy_targets.dataset import batch

    def boom(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(batch, "collect_inputs", boom)
    out = runner.invoke(app, ["extract", str(plans(tmp_path))])
    assert out.exit_code == 2 and "internal error: RuntimeError: something nobody foresaw; please report it" in out.output
    no_traceback(out)
    debug = runner.invoke(app, ["--debug", "extract", str(plans(tmp_path))])
    assert isinstance(debug.exception, RuntimeError)


def test_help_version_and_metavars() -> None:
    assert runner.invoke(app, ["-V"]).stdout.startswith("policy-targets ")
    for name in ("extract", "evaluate", "dataset", "normalize", "structure", "review"):
        out = runner.invoke(app, [name, "-h"])
        assert out.exit_code == 0 and "-o, --output" in out.stdout, name
        assert "<" not in out.stdout and "list[" not in out.stdout
    assert "[OPTIONS] PATH..." in runner.invoke(app, ["extract", "-h"]).stdout


def test_disk_full_while_writing_the_dataset_is_one_line(tmp_path: Path, monkeypatch) -> None:
    from policy_targets.dataset import build

    def full(*args):
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "summary.md"))

    monkeypatch.setattr(build, "summary_markdown", full)
    out = runner.invoke(app, ["dataset", "--corpus", str(plans(tmp_path)), "-o", str(tmp_path / "out")])
    assert out.exit_code == 2 and out.output.strip().endswith("summary.md: No space left on device")
    assert not (tmp_path / "out").exists()
    no_traceback(out)


# --- failures visible everywhere (issue 20) --------------------------------------------------


def _mixed(tmp_path: Path, bad: bytes) -> Path:
    """A folder of one good plan and one bad file (``bad``)."""
    d = plans(tmp_path)
    (d / "q-bad.txt").write_bytes(bad)
    return d


@pytest.mark.parametrize("bad,code,line", [(b"", 0, "1 warning(s)"), (bytes(range(256)) * 4, 1, "1 file(s) failed")], ids=["warning", "failure"])
def test_extract_dataset_and_review_agree_on_exit_codes(tmp_path: Path, bad: bytes, code: int, line: str) -> None:
    d = _mixed(tmp_path, bad)
    runs = {
        "extract": ["extract", str(d), "-o", str(tmp_path / "t.jsonl")],
        "dataset": ["dataset", "--corpus", str(d), "-o", str(tmp_path / "ds")],
        "review": ["review", str(d), "-o", str(tmp_path / "report")],
    }
    for name, args in runs.items():
        out = runner.invoke(app, args)
        assert out.exit_code == code and line in out.output and "q-bad.txt: " in out.output, (name, out.output)
        no_traceback(out)


def test_dataset_records_failed_inputs_in_its_folder_and_errors_file(tmp_path: Path, monkeypatch) -> None:
    d = _mixed(tmp_path, bytes(range(256)) * 4)
    (d / "r-empty.txt").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    out = runner.invoke(app, ["dataset", "--corpus", "plans", "-o", "ds", "--errors-file", "failed.jsonl"])
    assert out.exit_code == 1, out.output
    expected = [
        {"path": "plans/q-bad.txt", "kind": "binary", "message": "binary data (NUL byte at offset 0); cannot decode as UTF-8, GB18030/GBK, Big5 or UTF-16"},
        {"path": "plans/r-empty.txt", "kind": "empty", "message": "empty file (no text); skipped", "level": "warning"},
    ]
    assert [json.loads(line) for line in Path("ds/errors.jsonl").read_text("utf-8").splitlines()] == expected
    assert Path("failed.jsonl").read_bytes() == Path("ds/errors.jsonl").read_bytes()
    summary = Path("ds/summary.md").read_text("utf-8")
    assert "## Files that could not be read (1)" in summary and "| plans/q-bad.txt | binary | binary data" in summary
    assert "## Warnings (1)" in summary and "| plans/r-empty.txt | empty |" in summary
    clean = runner.invoke(app, ["dataset", "--corpus", "plans", "-o", "ds2", "--glob", "p.txt"])
    assert clean.exit_code == 0 and Path("ds2/errors.jsonl").read_bytes() == b""
    assert "## Files that could not be read (0)\n\nNone: every file was read." in Path("ds2/summary.md").read_text("utf-8")


def test_review_index_tells_failures_from_warnings(tmp_path: Path) -> None:
    d = _mixed(tmp_path, bytes(range(256)) * 4)
    (d / "r-empty.txt").write_bytes(b"")
    out = runner.invoke(app, ["review", str(d), "-o", str(tmp_path / "report")])
    assert out.exit_code == 1
    index = (tmp_path / "report" / "index.html").read_text("utf-8")
    failed, warned = index.split("Files that could not be read (1)")[1].split("Warnings (1)")
    assert "q-bad.txt: binary data" in failed and "r-empty.txt" not in failed
    assert "r-empty.txt: empty file" in warned.split("</section>")[0]


def test_evaluate_warns_about_gold_plans_without_any_prediction(tmp_path: Path) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    other = {**GOLD_LIKE, "doc_id": "second-plan"}
    (gold / "first.jsonl").write_text(json.dumps(GOLD_LIKE, ensure_ascii=False) + "\n", "utf-8")
    (gold / "second.jsonl").write_text(json.dumps(other, ensure_ascii=False) + "\n", "utf-8")
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps(GOLD_LIKE, ensure_ascii=False) + "\n", "utf-8")
    out = runner.invoke(app, ["evaluate", "--gold", f"mine={gold}", "--pred", str(pred)])
    assert out.exit_code == 0, out.output
    assert f"{gold}: 1 gold plan(s) of corpus 'mine' have no prediction at all (not read, or nothing extracted): second-plan" in out.output
    both = tmp_path / "both.jsonl"
    both.write_text(json.dumps(GOLD_LIKE, ensure_ascii=False) + "\n" + json.dumps(other, ensure_ascii=False) + "\n", "utf-8")
    assert "no prediction" not in runner.invoke(app, ["evaluate", "--gold", str(gold), "--pred", str(both)]).output


def test_a_full_device_is_named(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    out = runner.invoke(app, ["extract", str(plans(tmp_path)), "-o", "/dev/full"])
    assert out.exit_code == 2 and out.output.strip().endswith("/dev/full: No space left on device"), out.output
    no_traceback(out)


def _limited(args: list[str], max_bytes: int) -> "subprocess.CompletedProcess[str]":
    """The command with a file size limit (as a full disk or a quota stops a write)."""
    import resource
    import signal
    import subprocess
    import sys

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run([sys.executable, "-m", "policy_targets", *args], preexec_fn=limit, capture_output=True, text=True, timeout=300)


def test_a_write_that_fails_names_the_output_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "targets.jsonl"
    out.write_bytes(b'{"previous": 1}\n')
    done = _limited(["extract", RAW, "-o", str(out)], 4000)
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1] == f"{out}: File too large", done.stderr
    assert out.read_bytes() == b'{"previous": 1}\n'
    folder = tmp_path / "ds"
    done = _limited(["dataset", "--corpus", RAW, "-o", str(folder)], 4000)
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1] == f"{folder}: File too large", done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["targets.jsonl"]
