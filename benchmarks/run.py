"""Speed and memory of the whole tool, as a table of ratios measured in one run on one machine.

Builds a synthetic corpus of recombined paragraphs of the bundled plans (``--factor`` times
their size, in plan-sized documents) and prints, each figure the median of ``--rounds`` runs
that alternate with the runs they are compared to (the machine is shared and noisy: read the
ratios, not the seconds):

- start-up of ``policy-targets extract`` as a fresh process, on a one-sentence plan and on the
  largest bundled plan (which loads jieba's tokenizer), beside a bare ``python -c pass``, and
  the real plan's fixed cost: its start-up less its own work in a warm process;
- the whole pipeline (read, normalise, structure, extract) ÷ bare ``jieba.lcut`` on the same
  text, in one process;
- the CLI batch with 2 workers ÷ 1 worker, as whole processes (start-up included), with the
  CPU seconds of the two runs (workers included), and on a Dask ``LocalCluster`` of 2 workers
  ÷ 2 local workers, with the cluster's cost per document; the three outputs compared byte for
  byte;
- characters per second of each reader (text, HTML, DOCX, PDF of long paragraphs, PDF with a
  ruled table on every page, and where LibreOffice is installed the same plan saved by it as
  PDF with its fonts embedded; PDFium alone beside each PDF) on the test fixture plan repeated,
  of the pipeline after reading on the same plan, and the share of reading in reading and
  extracting;
- peak memory of a 1-worker batch by input size (a quarter, half and all of the corpus).

Run: ``make bench`` (``--quick``: a small corpus and two rounds, to check that it runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def build_corpus(out: Path, factor: int, seed: int = 20261121) -> tuple[list[Path], int]:
    """Recombine the paragraphs of the seed plans into ``factor`` times their size."""
    raws = [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    paragraphs = [line for text in raws for line in text.split("\n") if line.strip()]
    target = factor * sum(len(t) for t in raws)
    doc_size = sum(len(t) for t in raws) // len(raws)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files, total, i = [], 0, 0
    while total < target:
        lines, size = [], 0
        while size < doc_size:
            line = rng.choice(paragraphs)
            lines.append(line)
            size += len(line) + 1
        text = "\n".join(lines) + "\n"
        path = out / f"synthetic-{i:04d}.txt"
        path.write_text(text, "utf-8")
        files.append(path)
        total += len(text)
        i += 1
    return files, total


def chars_of(files: list[Path]) -> int:
    return sum(len(p.read_text("utf-8")) for p in files)


def _fixtures():
    sys.path.insert(0, str(ROOT / "tests"))
    import formats_fixtures

    return formats_fixtures


def peak_memory_mb(folder: Path) -> float:
    """Peak resident memory of the extracting process itself, read from /proc (VmHWM): unlike
    ru_maxrss, it does not inherit the high-water mark of the benchmark process that started it."""
    code = (
        "import sys, tempfile, pathlib, resource\n"
        "from policy_targets.dataset.batch import run_batch\n"
        "with tempfile.TemporaryDirectory() as t:\n"
        "    run_batch([sys.argv[1]], pathlib.Path(t) / 'o.jsonl', progress=False, workers=1)\n"
        "try:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "except OSError:\n"
        "    hwm = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(hwm)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(folder)], check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024  # kB


# --- the table of ratios -----------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "policy_targets", *args]


#: CPU seconds (user + system) of each timed command, its worker processes included, by command line.
CPU: dict[str, list[float]] = {}


def _timed(cmd: list[str]) -> float:
    """Wall seconds of a command as a whole process; its CPU seconds, and those of the worker
    processes it started and waited for, are noted in :data:`CPU`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(" ".join(cmd), []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


#: The machine's load average (1 minute) before each timed run: the runs of a measure taken
#: while other work shared the cores show there.
LOADS: list[float] = []


def alternating(commands: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Each timing function once per round, in turn, so that the machine's load falls on all
    of them alike; the seconds of every round."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, run in commands.items():
            LOADS.append(os.getloadavg()[0])
            times[name].append(run())
    return times


def ratio(times: dict[str, list[float]], slow: str, fast: str) -> float:
    """Median over rounds of ``slow``'s time ÷ ``fast``'s: how many times faster ``fast`` is."""
    return _median([a / b for a, b in zip(times[slow], times[fast])])


def pipeline_vs_jieba(files: list[Path], rounds: int) -> tuple[float, dict[str, float]]:
    """The whole pipeline (read, normalise, structure, extract) against bare ``jieba.lcut`` on
    the same text, one process, both warm."""
    import jieba

    from policy_targets.api import extract_document
    from policy_targets.structure.documents import load_document

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [p.read_text("utf-8") for p in files]
    extract_document(load_document(files[0]))  # rulebooks, catalogue, gazetteer, jieba

    def lcut() -> float:
        t0 = time.perf_counter()
        for t in texts:
            jieba.lcut(t)
        return time.perf_counter() - t0

    def pipeline() -> float:
        t0 = time.perf_counter()
        for f in files:
            extract_document(load_document(f))
        return time.perf_counter() - t0

    times = alternating({"jieba": lcut, "pipeline": pipeline}, rounds)
    chars = sum(len(t) for t in texts)
    return ratio(times, "jieba", "pipeline"), {k: chars / _median(v) for k, v in times.items()}


def workers_and_cluster(folder: Path, chars: int, docs: int, rounds: int, out: Path) -> dict[str, Any]:
    """``policy-targets extract`` over the corpus as whole processes started from here (start-up
    included: the 2-worker process reads a short plan itself, then forks its two workers from
    it, as every such run does): 1 worker and 2 workers alternating; then 2 workers and 2
    workers of a Dask LocalCluster (started once, warm) alternating; the outputs of the three
    compared byte for byte. The cluster is started only after the local runs: idle, its
    scheduler, nannies and workers take about a tenth of a core (heartbeats), which on two
    cores slowed the 2-worker runs more than the 1-worker ones. Beside the wall time, the CPU
    seconds of the 2-worker run (its workers included) ÷ the 1-worker run's: the work paid
    twice, which the load of other processes on the machine does not change as it changes the
    wall time."""
    outs = {name: out / f"batch-{name}.jsonl" for name in ("1", "2", "cluster")}
    one, two = _cli("extract", str(folder), "-j", "1", "-o", str(outs["1"])), _cli("extract", str(folder), "-j", "2", "-o", str(outs["2"]))
    local = alternating({"1 worker": lambda: _timed(one), "2 workers": lambda: _timed(two)}, rounds)
    cpu_one, cpu_two = list(CPU[" ".join(one)]), list(CPU[" ".join(two)])
    found = {
        "seconds": local,
        "cpu_seconds": {"1 worker": cpu_one, "2 workers": cpu_two},
        "cpu_2_over_1": _median([b / a for a, b in zip(cpu_one, cpu_two)]),
        "speedup_2_workers": ratio(local, "1 worker", "2 workers"),
        "chars_per_s": {k: chars / _median(v) for k, v in local.items()},
    }
    cluster = None
    try:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
        address = cluster.scheduler_address
        run_cluster = lambda: _timed(_cli("extract", str(folder), "--dask-scheduler", address, "-o", str(outs["cluster"])))  # noqa: E731
        run_cluster()  # the workers load what a plan needs once, as a long-lived cluster has
        beside = alternating({"2 workers": lambda: _timed(two), "cluster": run_cluster}, rounds)
        found["seconds_beside_cluster"] = beside
        found["chars_per_s"]["cluster"] = chars / _median(beside["cluster"])
        found["cluster_over_local_2"] = ratio(beside, "2 workers", "cluster")
        found["cluster_seconds_per_doc_per_worker"] = 2 * _median(beside["cluster"]) / docs
    except ImportError:
        pass
    finally:
        if cluster is not None:
            cluster.close()
    found["same_bytes"] = len({p.read_bytes() for p in outs.values() if p.exists()}) == 1
    return found


def startup(plans: dict[str, Path], rounds: int) -> dict[str, float]:
    """Seconds of ``policy-targets extract`` on each plan as a fresh process, and of the bare
    interpreter, alternating; medians. A first run of each is not counted: it fills the OS
    file cache and, on a new machine, the caches on disk (the checked rulebooks, jieba's
    dictionary split by first character, pypinyin's readings, the gazetteer)."""
    commands: dict[str, Callable[[], float]] = {"python alone": lambda: _timed([sys.executable, "-c", "pass"])}
    for name, plan in plans.items():
        commands[name] = lambda plan=plan: _timed(_cli("extract", str(plan)))
    for run in commands.values():
        run()
    return {k: _median(v) for k, v in alternating(commands, rounds).items()}


def warm_seconds(plan: Path, rounds: int) -> float:
    """Seconds to read and extract a plan in a process that has already read it: its own
    work, without the start-up; the median of ``rounds`` runs."""
    from policy_targets.api import extract_document
    from policy_targets.structure.documents import load_document

    extract_document(load_document(plan))
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        extract_document(load_document(plan))
        times.append(time.perf_counter() - t0)
    return _median(times)


def memory_by_size(files: list[Path], out: Path, fractions=(0.25, 0.5, 1.0)) -> dict[str, float]:
    """Peak memory (MB) of a 1-worker extraction of a quarter, half and all of the corpus."""
    found = {}
    for frac in fractions:
        sub = out / f"memory-{frac}"
        shutil.rmtree(sub, ignore_errors=True)
        sub.mkdir(parents=True)
        chosen = files[: max(1, int(len(files) * frac))]
        for f in chosen:
            shutil.copy(f, sub / f.name)
        found[f"{chars_of(chosen):,} chars"] = peak_memory_mb(sub)
    return found


def reader_table(out: Path, times: int, rounds: int) -> dict[str, float]:
    """Characters per second of each reader (median of alternating rounds) on the fixture plan
    with its body repeated ``times`` times: text, HTML, Word, PDF of long paragraphs, PDF with a
    ruled table on every page; and the pipeline after reading on the same text.

    reportlab's PDFs do not embed their font (STSong-Light): PDFium measures every glyph in
    the CJK font it substitutes, which sets a floor under any reader built on it, so each PDF
    is also timed with PDFium alone (loading its pages and their text, nothing else). Plans are
    mostly published with their fonts embedded: where LibreOffice is installed, the same plan
    saved as PDF by it (from the .docx) is timed too, and issue 21's 100 k characters/s is read
    on that row; without LibreOffice the row is left out."""
    from pdf_reader import pdfium_alone

    from policy_targets.api import extract_document
    from policy_targets.formats import read_source
    from policy_targets.structure.documents import prepare

    ff = _fixtures()
    folder = out / "formats"
    shutil.rmtree(folder, ignore_errors=True)
    spec = ff.repeated(ff.load_spec(), times)
    files = ff.write_all(spec, folder)
    prose = dict(spec, blocks=[b for b in spec["blocks"] if "table" not in b])
    files = {"text": files["txt"], "HTML": files["html"], "DOCX": files["docx"],
             "PDF, long paragraphs": ff.write_pdf(prose, folder / "prose.pdf"), "PDF, ruled tables": files["pdf"]}
    office = ff.write_pdf_by_libreoffice(spec, folder / "office.pdf")
    if office is not None:
        files["PDF saved by LibreOffice (fonts embedded), ruled tables"] = office
    chars = {name: len(read_source(path).text) for name, path in files.items()}
    pdfs = {f"{name}: PDFium alone": path for name, path in files.items() if path.suffix == ".pdf"}
    chars.update({name: chars[name.removesuffix(": PDFium alone")] for name in pdfs})

    def reading(path: Path) -> Callable[[], float]:
        def run() -> float:
            t0 = time.perf_counter()
            read_source(path)
            return time.perf_counter() - t0
        return run

    text = read_source(files["text"]).text
    extract_document(prepare(text[:2000], "warm-up"))

    def extracting() -> float:
        t0 = time.perf_counter()
        extract_document(prepare(text, "bench"))
        return time.perf_counter() - t0

    def floor(path: Path) -> Callable[[], float]:
        data = path.read_bytes()

        def run() -> float:
            t0 = time.perf_counter()
            pdfium_alone(data)
            return time.perf_counter() - t0
        return run

    commands = {name: reading(path) for name, path in files.items()}
    commands.update({name: floor(path) for name, path in pdfs.items()})
    commands["pipeline after reading"] = extracting
    chars["pipeline after reading"] = len(text)
    found = alternating(commands, rounds)
    return {name: chars[name] / _median(t) for name, t in found.items()}


def _k(x: float) -> str:
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.0f} k"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=int, default=100, help="corpus size as a multiple of the bundled plans")
    ap.add_argument("--rounds", type=int, default=3, help="alternating runs per measure (medians are reported)")
    ap.add_argument("--quick", action="store_true", help="a small corpus and two rounds: checks that the benchmark runs")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    ap.add_argument("--startup-only", action="store_true", help="measure only the start-up of `policy-targets extract`")
    args = ap.parse_args()
    factor, rounds, repeat = (2, 2, 3) if args.quick else (args.factor, args.rounds, 30)
    args.out.mkdir(parents=True, exist_ok=True)
    short = args.out / "one-sentence.txt"
    short.write_text("到2025年,非化石能源消费比重达到9%左右。\n", "utf-8")
    real = max(sorted((ROOT / "corpus" / "raw").glob("*.txt")), key=lambda p: p.stat().st_size)
    real_name = f"a real plan ({len(real.read_text('utf-8')):,} chars)"
    starts = startup({"one-sentence plan": short, real_name: real}, max(rounds, 3))
    rows: list[tuple[str, str, str]] = []
    base = starts.pop("python alone")
    for name, sec in starts.items():
        rows.append((f"start-up, `extract` of {name}", f"{sec:.2f} s", f"{sec / base:.1f}× a bare `python -c pass` ({base:.2f} s)"))
    work = warm_seconds(real, max(rounds, 3))
    rows.append(("fixed cost of the real plan (its start-up − its own work)", f"{starts[real_name] - work:.2f} s",
                 f"its work, read again in a warm process: {work:.2f} s"))
    if args.startup_only:
        _print(rows)
        return
    folder = args.out / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    files, total = build_corpus(folder, factor)
    over_jieba, rates = pipeline_vs_jieba(files, rounds)
    rows.append(("pipeline ÷ bare `jieba.lcut`, same text, one process", f"{over_jieba:.2f}×", f"{_k(rates['pipeline'])} vs {_k(rates['jieba'])} chars/s"))
    batch = workers_and_cluster(folder, total, len(files), rounds, args.out)
    cps = batch["chars_per_s"]
    rows.append(("CLI batch, 2 workers ÷ 1 worker (whole processes)", f"{batch['speedup_2_workers']:.2f}×",
                 f"{_k(cps['2 workers'])} vs {_k(cps['1 worker'])} chars/s; CPU seconds of 2 workers ÷ 1: {batch['cpu_2_over_1']:.2f}"))
    if "cluster_over_local_2" in batch:
        rows.append(("Dask LocalCluster (2 workers) ÷ local 2 workers", f"{batch['cluster_over_local_2']:.2f}×",
                     f"{_k(cps['cluster'])} chars/s; {batch['cluster_seconds_per_doc_per_worker'] * 1000:.0f} ms per document per worker"))
    rows.append(("same bytes from 1 worker, 2 workers and the cluster", "yes" if batch["same_bytes"] else "NO", ""))
    readers = reader_table(args.out, repeat, rounds)
    after = readers["pipeline after reading"]
    for name, cps_ in readers.items():
        if name == "pipeline after reading":
            rows.append(("pipeline after reading, same plan", f"{_k(cps_)} chars/s", ""))
        elif name.endswith("PDFium alone"):
            rows.append((f"reader: {name}", f"{_k(cps_)} chars/s", ""))
        else:
            share = (1 / cps_) / (1 / cps_ + 1 / after)  # of reading the file, then extracting its targets
            rows.append((f"reader: {name}", f"{_k(cps_)} chars/s", f"reading is {share:.0%} of reading and extracting this plan"))
    for size, mb in memory_by_size(files, args.out).items():
        rows.append((f"peak memory, 1-worker batch of {size}", f"{mb:.0f} MB", ""))
    print(f"corpus: {len(files)} documents, {total:,} characters ({factor}× the bundled plans); medians of {rounds} alternating runs; "
          f"load average before the runs {min(LOADS):.1f}–{max(LOADS):.1f} on {os.cpu_count()} cores")
    _print(rows)
    (args.out / "results.json").write_text(json.dumps({"rows": rows, "batch": batch, "readers": readers, "loads": LOADS}, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _print(rows: list[tuple[str, str, str]]) -> None:
    print("| measure | result | detail |")
    print("|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
