"""A batch on a Dask cluster (``--dask-scheduler``) writes the same bytes as a local run, for
``extract``, ``dataset`` and ``review``, and reports a failing file as a local run does; on a
LocalCluster of two worker processes on 127.0.0.1. Skipped only where Dask is not installed
and CI is not set (the test extra installs it); without Dask the option is a usage error."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_targets.cli import app

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [str(ROOT / "corpus" / "raw"), str(ROOT / "corpus" / "dev" / "raw")]
runner = CliRunner()

if importlib.util.find_spec("distributed") is None:
    if os.environ.get("CI"):
        pytest.fail("CI: dask[distributed] is not installed (the test extra installs it)", pytrace=False)
    pytest.skip("dask[distributed] is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_extract_on_the_cluster_gives_the_bytes_of_a_local_run_and_the_same_failures(scheduler: str, tmp_path: Path) -> None:
    broken = tmp_path / "inputs"
    broken.mkdir()
    (broken / "not-a-plan.pdf").write_bytes(b"%PDF-1.4 this file ends before any page")
    (broken / "plan.txt").write_text("到2030年,新建公共建筑中绿色建筑占比达到百分之百。\n", "utf-8")
    runs = {}
    for name, extra in (("local", []), ("cluster", ["--dask-scheduler", scheduler])):
        out, errors = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.errors.jsonl"
        result = runner.invoke(app, ["extract", *CORPORA, str(broken), "-o", str(out), "--errors-file", str(errors), *extra])
        runs[name] = (result.exit_code, out.read_bytes(), errors.read_bytes())
    assert runs["cluster"] == runs["local"]
    from distributed import Client

    with Client(scheduler) as client:  # the documents really were tasks of the cluster
        assert "run_job" in client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
    code, records, errors = runs["local"]
    assert code == 1 and records.count(b"\n") > 100 and b"not-a-plan.pdf" in errors


def test_dataset_and_review_on_the_cluster_give_the_bytes_of_a_local_run(scheduler: str, tmp_path: Path) -> None:
    sets = ["--corpus", f"bundled={CORPORA[0]}", "--gold", f"bundled={ROOT / 'corpus' / 'gold'}",
            "--corpus", f"dev={CORPORA[1]}", "--gold", f"dev={ROOT / 'corpus' / 'dev' / 'gold'}"]
    for name, extra in (("local", []), ("cluster", ["--dask-scheduler", scheduler])):
        made = runner.invoke(app, ["dataset", *sets, "-o", str(tmp_path / name / "dataset"), *extra])
        assert made.exit_code == 0, made.output
        made = runner.invoke(app, ["review", CORPORA[0], "--gold", str(ROOT / "corpus" / "gold"), "-o", str(tmp_path / name / "review"), *extra])
        assert made.exit_code == 0, made.output
    local, cluster = _files(tmp_path / "local"), _files(tmp_path / "cluster")
    assert "dataset/targets.jsonl" in local and "review/index.html" in local
    assert cluster == local


def test_without_dask_the_option_is_a_usage_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", CORPORA[0], "-o", str(out), "--dask-scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2 and "policy-targets[dask]" in result.output
    assert not out.exists()


@pytest.mark.parametrize("address", ["a scheduler somewhere", "tcp://127.0.0.1", "carrier-pigeon://127.0.0.1:8786"])
def test_an_address_that_names_no_scheduler_is_a_usage_error(address: str, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", CORPORA[0], "-o", str(out), "--dask-scheduler", address])
    assert result.exit_code == 2 and "not a scheduler address" in result.output and "tcp://HOST:PORT" in result.output
    assert not out.exists()
