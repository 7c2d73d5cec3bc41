"""Batch extraction against a matrix of bad inputs: each failure is named, the batch goes on,
nothing already written is lost, and output does not depend on the number of workers."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy_targets.dataset.batch import collect_inputs, run_batch
from policy_targets.cli import app

ROOT = Path(__file__).resolve().parents[1]
PLAN = "到2025年，非化石能源消费比重达到20%左右。（责任单位：市发展改革委）\n到2030年，绿色出行比例不低于70%。\n"
PLAN_RECORDS = 2
TRADITIONAL = "到2025年，再生能源發電裝置容量達到300萬千瓦。\n到2030年，綠色運輸使用比例不低於70%。\n"


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def copies(folder: Path, n: int) -> Path:
    """``folder`` holding ``n`` copies of a bundled plan: a batch that runs for a while."""
    text = (ROOT / "corpus" / "raw" / "binzhou-carbon-peak.txt").read_bytes()
    for i in range(n):
        write(folder, f"plan-{i:03d}.txt", text)
    return folder


@pytest.fixture()
def matrix(tmp_path: Path) -> Path:
    """One folder holding every kind of bad input next to good plans."""
    d = tmp_path / "plans"
    write(d, "a-good.txt", PLAN.encode("utf-8"))
    write(d, "b-empty.txt", b"")
    write(d, "c-binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write(d, "d-truncated.txt", PLAN.encode("utf-8")[:-3])  # cut inside the final 。
    write(d, "e-gb18030.txt", PLAN.encode("gb18030"))
    write(d, "f-utf16.txt", PLAN.encode("utf-16"))
    write(d, "g-no-targets.txt", "一、总体要求\n坚持稳中求进工作总基调。\n".encode("utf-8"))
    write(d, "h-large.txt", b"a" * 50_000_000)  # 50 MB: over the default 20 MB limit
    os.symlink("i-loop.txt", d / "i-loop.txt")
    os.symlink(d, d / "j-link-to-self")
    write(d, "sub/k-good.txt", PLAN.encode("utf-8"))
    write(d, "l-big5.txt", TRADITIONAL.encode("big5"))
    write(d, "m-utf16-no-bom.txt", PLAN.encode("utf-16-le"))
    write(d, "n-english.txt", b"Targets for 2025: the renewable share reaches 20% and emissions fall by 5%.\n")
    write(d, "o-blank-lines.txt", b"\n \n\t\n")
    write(d, "other/k-good.txt", PLAN.encode("utf-8"))  # same name, another folder
    return d


def run(paths, tmp_path: Path, **kw):
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "errors.jsonl"
    result = run_batch(paths, out, errors, progress=False, stderr=open(os.devnull, "w"), **kw)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    failed = {Path(e["path"]).name: e["kind"] for e in map(json.loads, errors.read_text("utf-8").splitlines()) if "level" not in e}
    return result, records, failed


def warnings_of(tmp_path: Path) -> dict[str, str]:
    lines = map(json.loads, (tmp_path / "errors.jsonl").read_text("utf-8").splitlines())
    return {Path(e["path"]).name: e["kind"] for e in lines if e.get("level") == "warning"}


def test_bad_input_matrix(matrix: Path, tmp_path: Path) -> None:
    result, records, failed = run([matrix], tmp_path)
    assert failed == {
        "c-binary.txt": "unsupported",  # a PNG, named by its magic bytes
        "d-truncated.txt": "truncated",
        "h-large.txt": "too_large",
        "i-loop.txt": "io",
        "j-link-to-self": "io",
        "n-english.txt": "not_chinese",
    }
    assert warnings_of(tmp_path) == {"b-empty.txt": "empty", "o-blank-lines.txt": "empty"}
    by_doc: dict[str, int] = {}
    for r in records:
        by_doc[r["doc_id"]] = by_doc.get(r["doc_id"], 0) + 1
    assert by_doc == {
        "a-good": PLAN_RECORDS,
        "e-gb18030": PLAN_RECORDS,
        "f-utf16": PLAN_RECORDS,
        "l-big5": PLAN_RECORDS,
        "m-utf16-no-bom": PLAN_RECORDS,
        "other/k-good": PLAN_RECORDS,
        "sub/k-good": PLAN_RECORDS,
    }
    assert result.documents == 8  # the seven above and no-targets


def test_encodings_give_the_same_records(matrix: Path, tmp_path: Path) -> None:
    names = ["a-good.txt", "e-gb18030.txt", "f-utf16.txt", "m-utf16-no-bom.txt"]
    _, records, _ = run([matrix / n for n in names], tmp_path)
    fields = [(r["indicator"], r["value"], r["target_year"], r["responsible_units"]) for r in records]
    assert fields[0:2] == fields[2:4] == fields[4:6] == fields[6:8]


def test_big5_gives_the_records_of_its_simplified_text(matrix: Path, tmp_path: Path) -> None:
    _, records, _ = run([matrix / "l-big5.txt"], tmp_path)
    assert [(r["value"], r["unit"], r["target_year"]) for r in records] == [(300, "万千瓦", 2025), (70, "%", 2030)]
    assert "发电" in records[0]["indicator"]  # decoded as Big5, then simplified


def test_symlink_loop_messages(matrix: Path) -> None:
    _, errors = collect_inputs([matrix])
    text = {Path(e.path).name: e.message for e in errors}
    assert text["i-loop.txt"] == "symlink loop"
    assert "symlink loop" in text["j-link-to-self"]


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch) -> None:
    from policy_targets.text import reading

    d = tmp_path / "plans"
    write(d, "a.txt", PLAN.encode("utf-8"))
    bad = write(d, "b.txt", PLAN.encode("utf-8"))

    def fake_open(path, *args, **kwargs):
        if Path(path) == bad:
            raise PermissionError(13, "Permission denied")
        return open(path, *args, **kwargs)

    monkeypatch.setattr(reading, "open", fake_open, raising=False)
    _, records, failed = run([d], tmp_path)
    assert failed == {"b.txt": "io"}
    assert {r["doc_id"] for r in records} == {"a"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_mode(tmp_path: Path) -> None:
    bad = write(tmp_path / "plans", "b.txt", PLAN.encode("utf-8"))
    bad.chmod(0)
    _, _, failed = run([tmp_path / "plans"], tmp_path)
    assert failed == {"b.txt": "io"}


def test_same_named_files_are_two_documents_with_stable_ids(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, "plans/x/plan.txt", PLAN.encode("utf-8"))
    write(tmp_path, "plans/y/plan.txt", PLAN.encode("utf-8"))
    _, records, failed = run([tmp_path / "plans"], tmp_path)
    assert failed == {}
    assert sorted({r["doc_id"] for r in records}) == ["x/plan", "y/plan"]
    # the id is the path below the input folder: the same from any working directory
    monkeypatch.chdir(tmp_path / "plans" / "x")
    _, again, _ = run(["../../plans"], tmp_path)
    assert [r["doc_id"] for r in again] == [r["doc_id"] for r in records]
    # the same names under two input folders are told apart by their folders
    _, two_roots, _ = run([tmp_path / "plans" / "x", tmp_path / "plans" / "y"], tmp_path)
    assert sorted({r["doc_id"] for r in two_roots}) == ["x/plan", "y/plan"]


def test_thousands_of_files_in_order_for_any_worker_count(tmp_path: Path) -> None:
    d = tmp_path / "many"
    for i in range(1500):
        write(d, f"plan-{i:04d}.txt", f"到{2025 + i % 6}年,储能装机规模达到{i + 1}万千瓦。".encode("utf-8"))
    out1, out2 = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    r1 = run_batch([d], out1, progress=False, workers=1)
    r2 = run_batch([d], out2, progress=False, workers=2)
    assert r1.records == r2.records == 1500
    assert out1.read_bytes() == out2.read_bytes()
    values = [json.loads(line)["value"] for line in out1.read_text("utf-8").splitlines()]
    assert values == list(range(1, 1501))


def test_spawn_workers_build_their_own_pipeline(tmp_path: Path) -> None:
    """Under spawn (macOS, Python >= 3.14) nothing unpicklable may cross to a worker."""
    out1, out2 = tmp_path / "one.jsonl", tmp_path / "spawn.jsonl"
    run_batch([ROOT / "corpus" / "raw"], out1, progress=False, workers=1)
    run_batch([ROOT / "corpus" / "raw"], out2, progress=False, workers=2, start_method="spawn")
    assert out1.read_bytes() == out2.read_bytes()


def test_cli_exit_status_and_messages(matrix: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["extract", str(matrix / "a-good.txt"), "-o", str(tmp_path / "ok.jsonl")])
    assert ok.exit_code == 0
    bad = runner.invoke(app, ["extract", str(matrix), "-o", str(tmp_path / "some.jsonl")])
    assert bad.exit_code == 1
    assert f"{matrix / 'c-binary.txt'}: this is a PNG image" in bad.output
    usage = runner.invoke(app, ["extract", "--no-such-option", str(matrix)])
    assert usage.exit_code == 2


def test_interrupted_run_leaves_previous_output_intact(tmp_path: Path) -> None:
    d = copies(tmp_path / "many", 300)
    out = tmp_path / "targets.jsonl"
    out.write_bytes(b'{"previous": "good output"}\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_targets", "extract", str(d), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".targets.jsonl.*.tmp")):
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == b'{"previous": "good output"}\n'


def test_ten_megabyte_plan(tmp_path: Path) -> None:
    """Under the size limit, over spaCy's million-character Doc limit: read in parts, every
    copy of the plan gives its targets."""
    one = (ROOT / "corpus" / "raw" / "binzhou-carbon-peak.txt").read_bytes()
    copies = 10_000_000 // len(one)
    plan = write(tmp_path / "big", "plan.txt", one * copies)
    assert 9_000_000 < plan.stat().st_size <= 10_000_000
    single = run_batch([ROOT / "corpus" / "raw" / "binzhou-carbon-peak.txt"], tmp_path / "one.jsonl", progress=False)
    result, records, failed = run([plan], tmp_path)
    assert failed == {} and result.documents == 1
    assert result.records == copies * single.records


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _interrupt(args: list[str], delay: float) -> tuple[int, float, str]:
    """Run the command in a session of its own, send SIGINT to its process group ``delay``
    seconds after its workers appeared (as Ctrl-C on a terminal does: the workers get it
    too), and return the exit status, the seconds it took to exit, and stderr. Fails if any
    process of the group outlives the command."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to see the workers start")
    proc = subprocess.Popen(
        [sys.executable, "-m", "policy_targets", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.time() + 120
    while not _children(proc.pid) and proc.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(delay)
    assert proc.poll() is None, "the run ended before the interrupt; give it more input"
    os.killpg(proc.pid, signal.SIGINT)
    sent = time.time()
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{args[0]} still running 30 s after Ctrl-C at {delay} s")
    took = time.time() - sent
    err = proc.stderr.read().decode("utf-8", "replace")
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # no worker left behind
    return code, took, err


@pytest.mark.parametrize("delay", [0.0, 0.3, 1.0, 3.0])
def test_ctrl_c_with_two_workers_exits_130_at_once_and_keeps_the_output(tmp_path: Path, delay: float) -> None:
    """Whether Ctrl-C comes as the workers start, while they build their pipeline, or while
    they extract. The batch is long enough to outlast the longest delay several times over,
    however fast the pipeline becomes (400 plans came to end within 3 s on two workers)."""
    d = copies(tmp_path / "many", 1600)
    out = tmp_path / "targets.jsonl"
    out.write_bytes(b'{"previous": "good output"}\n')
    code, took, err = _interrupt(["extract", str(d), "-o", str(out), "--workers", "2"], delay)
    assert code == 130 and took < 10, (code, took, err)
    assert err.strip() == "interrupted", err  # one line, no traceback from the parent or a worker
    assert out.read_bytes() == b'{"previous": "good output"}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many", "targets.jsonl"]  # no temporary file left


def test_ctrl_c_during_a_dataset_build_keeps_the_previous_dataset(tmp_path: Path) -> None:
    d = copies(tmp_path / "many", 800)
    out = tmp_path / "dataset"
    out.mkdir()
    (out / "summary.md").write_text("previous summary\n")
    code, took, err = _interrupt(["dataset", "--corpus", f"x={d}", "-o", str(out), "--workers", "2"], 1.0)
    assert code == 130 and took < 10 and err.strip() == "interrupted", (code, took, err)
    assert [p.name for p in out.iterdir()] == ["summary.md"] and (out / "summary.md").read_text() == "previous summary\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dataset", "many"]


def test_forked_workers_start_from_a_parent_that_has_read_every_stage() -> None:
    """On Linux the workers are forked from a warm parent; the warm-up plan goes through the
    stages a plan needs (targets, the catalogue, jieba's words for coordinated subjects), so the
    workers inherit them loaded. A start method asked for is kept."""
    import subprocess
    import sys

    from policy_targets.dataset.batch import start_method_for

    assert start_method_for("spawn") == "spawn"
    if sys.platform.startswith("linux"):
        assert start_method_for(None) == "fork"
    code = (
        "import sys, json\n"
        "from policy_targets.dataset.batch import warm_up, WARM_UP_PLAN\n"
        "from policy_targets import extract\n"
        "warm_up()\n"
        "print(json.dumps(['jieba' in sys.modules, [r['value'] for r in extract(WARM_UP_PLAN)]]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [True, [14.2, 27, 16]]


@pytest.mark.parametrize("jobs, workers", [(0, 2), (1, 2), (5, 2), (9, 2), (100, 2), (495, 2), (495, 4), (30, 8)])
def test_jobs_go_out_in_order_in_small_pieces_and_one_by_one_at_the_end(jobs: int, workers: int) -> None:
    """Every job once, in order; pieces of at most four plans; the last 4 × workers plans
    alone, so that no worker is left with a piece of several plans while the other waits."""
    from policy_targets.dataset.batch import chunks

    pieces = chunks(list(range(jobs)), workers)
    assert [j for piece in pieces for j in piece] == list(range(jobs))
    assert all(1 <= len(piece) <= 4 for piece in pieces)
    tail = min(jobs, 4 * workers)
    assert all(len(piece) == 1 for piece in pieces[len(pieces) - tail :])
    if jobs >= 16 * workers:
        assert len(pieces) < jobs  # the queue is spared a round trip per plan


def test_stopping_the_pool_ends_although_a_worker_left_half_a_result_in_the_pipe(tmp_path: Path) -> None:
    """A worker ended by Ctrl-C while writing its result leaves part of a message in the
    result pipe; the pool's manager thread then waited for the rest for ever, and so did the
    exit of the process (it hung after "interrupted", now and then, on a loaded machine).
    Here the half message is written by hand, then the pool is stopped as on Ctrl-C: the
    process must end."""
    code = (
        "import os, struct, time\n"
        "import multiprocessing\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from policy_targets.dataset import batch\n"
        "pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context('fork'))\n"
        "assert pool.submit(abs, -1).result() == 1\n"
        "writer = pool._result_queue._writer\n"
        "os.write(writer.fileno(), struct.pack('!i', 1000) + b'cut short')\n"
        "time.sleep(0.5)\n"
        "batch._stop(pool)\n"
        "print('stopped')\n"
    )
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs fork")
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the process did not end after its pool was stopped")
    assert out.returncode == 0 and out.stdout.strip() == "stopped", out.stderr


#: The start of a script that runs 40 slow jobs (a tenth of a second each) on a pool of two
#: forked workers through ``batch._pooled``, its first result read; the pool is ``made[0]``.
_POOLED_SLOW_JOBS = (
    "import os, signal, struct, sys, threading, time, traceback\n"
    "import concurrent.futures as cf\n"
    "from pathlib import Path\n"
    "from policy_targets.dataset import batch\n"
    "made = []\n"
    "class Pool(cf.ProcessPoolExecutor):\n"
    "    def __init__(self, *a, **k):\n"
    "        super().__init__(*a, **k)\n"
    "        made.append(self)\n"
    "cf.ProcessPoolExecutor = Pool\n"
    "def slow(document):\n"
    "    time.sleep(0.1)\n"
    "    return 0, b''\n"
    "folder = Path(sys.argv[1])\n"
    "jobs = []\n"
    "for i in range(40):\n"
    "    p = folder / f'plan-{i:02d}.txt'\n"
    "    p.write_text('到2030年,某指标达到5%。\\n', 'utf-8')\n"
    "    jobs.append((str(p), p.stem, p.name, None, slow))\n"
    "results = batch._pooled(jobs, 2, 'fork')\n"
    "next(results)\n"
)


def test_ctrl_c_while_the_pool_waits_for_a_result_cut_short_prints_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C while the parent waits for the next result, and the pool's manager thread for
    the rest of a result a killed worker cut short: the futures left must not have been
    cancelled from the parent's thread (as ``pool.map``'s iterator does when an exception
    reaches it), else the manager, which marks every pending future broken when the pipe
    ends, fails on them and prints an ``InvalidStateError`` traceback after "interrupted"
    (seen now and then on a loaded machine). Here the cut-short result is written by hand and
    the interrupt sent while the parent waits."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs fork")
    code = _POOLED_SLOW_JOBS + (
        "os.write(made[0]._result_queue._writer.fileno(), struct.pack('!i', 10**8) + b'cut short')\n"
        "threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
        "try:\n"
        "    for _ in results:\n"
        "        pass\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted')\n"
    )
    try:
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the process did not end after the interrupt")
    assert out.returncode == 0 and out.stdout.strip() == "interrupted", out.stderr
    assert "Traceback" not in out.stderr, out.stderr


def test_ctrl_c_while_the_parent_waits_is_raised_by_the_waiting_loop_not_inside_a_lock(tmp_path: Path) -> None:
    """Python's own SIGINT handler raises wherever the parent happens to be, inside the lock
    of a future the pool's manager thread is setting too, which then reported "cannot release
    un-acquired lock" instead of "interrupted" (now and then, under load). While the parent
    waits for its workers, Ctrl-C is only noted, and the waiting loop raises it: the
    interrupt's innermost frame is that loop's. Between the waits (the caller writing records,
    perhaps to a pipe nobody reads) and afterwards, Ctrl-C is Python's own again."""
    if "fork" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("needs fork")
    code = _POOLED_SLOW_JOBS + (
        "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"  # between waits: Python's own
        "threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
        "try:\n"
        "    for _ in results:\n"
        "        pass\n"
        "except KeyboardInterrupt as exc:\n"
        "    print(traceback.extract_tb(exc.__traceback__)[-1].name)\n"
        "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.split() == ["True", "_result_of", "True"], (out.stdout, out.stderr)
