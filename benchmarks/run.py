"""Speed and memory of the whole pipeline, measured in one run on one machine.

Builds a synthetic corpus of recombined paragraphs of the bundled plans (100x their size, in
plan-sized documents), then measures:
- characters per second of the whole pipeline (read, normalise, structure, extract) with 1 and
  2 workers, and of bare ``jieba.lcut`` over the same text on one process, and their ratio;
- start-up time of ``policy-targets extract`` on one short plan in a fresh process (median of 5);
- peak memory (max RSS) of a one-worker extraction of the whole corpus in its own process;
- time against input size (a quarter, half and all of the corpus) to check linearity;
- one 10 MB plan (recombined paragraphs, 3.4 M characters: over spaCy's one-million-character
  Doc limit, so it runs in parts): characters per second and peak memory of its batch.
- characters per second of each format reader (text, HTML, Word, PDF, Word 97 through
  LibreOffice) on the test fixture plan repeated to plan size, and of pypdfium2 against
  pdfplumber on the same PDF, with how much of the Chinese text each recovers.

Figures are ratios within this run: the machine is shared and noisy. Run: ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def time_jieba(files: list[Path]) -> float:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [p.read_text("utf-8") for p in files]
    t0 = time.perf_counter()
    for t in texts:
        jieba.lcut(t)
    return time.perf_counter() - t0


def time_pipeline(files: list[Path]) -> float:
    from policy_targets.api import extract_document
    from policy_targets.structure.documents import load_document
    from policy_targets.extraction.pipeline import build_nlp

    build_nlp()
    extract_document(load_document(files[0]))  # warm caches
    t0 = time.perf_counter()
    for f in files:
        extract_document(load_document(f))
    return time.perf_counter() - t0


def time_batch(folder: Path, workers: int) -> float:
    from policy_targets.dataset.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run_batch([folder], Path(tmp) / "out.jsonl", progress=False, workers=workers)
        return time.perf_counter() - t0


def one_line_rates(factors=(4, 16)) -> dict[str, float]:
    """Worst case for time linearity: the bundled plans with every line break removed, so the
    whole text is one paragraph (as in some scraped pages)."""
    from policy_targets import extract

    one = "".join(p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))).replace("\n", "")
    rates = {}
    for k in factors:
        text = one * k
        t0 = time.perf_counter()
        extract(text)
        rates[str(len(text))] = len(text) / (time.perf_counter() - t0)
    return rates


def startup_seconds(runs: int = 5) -> float:
    """``policy-targets extract`` on one short plan in a fresh process (import, rulebooks,
    jieba dictionary if needed, one document): the median of ``runs``. Another checkout's
    code can be timed with the same script: ``PYTHONPATH=<checkout>/src``."""
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "short.txt"
        plan.write_text("到2025年,非化石能源消费比重达到9%左右。\n", "utf-8")
        cmd = [sys.executable, "-m", "policy_targets", "extract", str(plan)]
        subprocess.run(cmd, check=True, capture_output=True)  # warm the OS file cache and the rules cache
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def build_large_plan(folder: Path, size_bytes: int = 10_000_000, seed: int = 20261201) -> Path:
    """One plan of ``size_bytes`` UTF-8 bytes from recombined paragraphs of the seed plans."""
    raws = [p.read_text("utf-8") for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))]
    paragraphs = [line for text in raws for line in text.split("\n") if line.strip()]
    rng = random.Random(seed)
    lines, size = [], 0
    while size < size_bytes:
        line = rng.choice(paragraphs)
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "large-plan.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _fixtures():
    sys.path.insert(0, str(ROOT / "tests"))
    import formats_fixtures

    return formats_fixtures


def _han(text: str) -> str:
    import regex

    return "".join(regex.findall(r"\p{Han}+", text))


def reader_rates(out: Path, times: int = 30, rounds: int = 3) -> dict[str, dict[str, float]]:
    """Each reader on the fixture plan with its body repeated ``times`` times, written in every
    format; characters of extracted text per second (best of ``rounds``), and the normalise +
    structure + extract pipeline on the same text beside them."""
    from policy_targets.api import extract_document
    from policy_targets.formats import read_source
    from policy_targets.formats.office import soffice
    from policy_targets.structure.documents import prepare

    ff = _fixtures()
    folder = out / "formats"
    shutil.rmtree(folder, ignore_errors=True)
    spec = ff.repeated(ff.load_spec(), times)
    files = ff.write_all(spec, folder)
    # most pages of a plan hold no table: PDFium alone reads those
    prose = dict(spec, blocks=[b for b in spec["blocks"] if "table" not in b])
    files["pdf_without_tables"] = ff.write_pdf(prose, folder / "prose.pdf")
    binary = soffice()
    if binary:
        subprocess.run([binary, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to", "doc",
                        "--outdir", str(folder), str(files["docx"])], check=True, capture_output=True)
        files["doc"] = folder / "plan.doc"
    rates: dict[str, dict[str, float]] = {}
    for fmt, path in files.items():
        best = float("inf")
        for _ in range(rounds if fmt != "doc" else 1):
            t0 = time.perf_counter()
            source = read_source(path)
            best = min(best, time.perf_counter() - t0)
        rates[fmt] = {"bytes": path.stat().st_size, "characters": len(source.text), "chars_per_s": len(source.text) / best}
    text = read_source(files["txt"]).text
    extract_document(prepare(text[:2000], "warm-up"))  # build the pipeline and load jieba first
    t0 = time.perf_counter()
    extract_document(prepare(text, "bench"))
    rates["pipeline_after_reading"] = {"characters": len(text), "chars_per_s": len(text) / (time.perf_counter() - t0)}
    rates.update(pdf_libraries(files["pdf"], _han(text), rounds))
    return rates


def pdf_libraries(pdf: Path, han: str, rounds: int) -> dict[str, dict[str, float]]:
    """pypdfium2 against pdfplumber: plain page text, speed and the share of the plan's Chinese
    characters recovered in order (difflib's matching blocks over Han characters only)."""
    import difflib

    import pdfplumber
    import pypdfium2

    def with_pdfium() -> str:
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return "\n".join(page.get_textpage().get_text_range() for page in doc)
        finally:
            doc.close()

    def with_plumber() -> str:
        with pdfplumber.open(pdf) as doc:
            return "\n".join(page.extract_text() or "" for page in doc.pages)

    out = {}
    for name, fn in (("pypdfium2_text", with_pdfium), ("pdfplumber_text", with_plumber)):
        best, text = float("inf"), ""
        for _ in range(rounds):
            t0 = time.perf_counter()
            text = fn()
            best = min(best, time.perf_counter() - t0)
        got = _han(text)
        matched = sum(b.size for b in difflib.SequenceMatcher(None, han, got, autojunk=False).get_matching_blocks())
        out[name] = {"characters": len(text), "chars_per_s": len(text) / best, "han_recovered": matched / max(1, len(han))}
    return out


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=int, default=100, help="corpus size as a multiple of the bundled plans")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    ap.add_argument("--startup-only", action="store_true", help="measure only the start-up of `policy-targets extract`")
    ap.add_argument("--readers-only", action="store_true", help="measure only the format readers")
    args = ap.parse_args()
    if args.startup_only:
        print(f"start-up (policy-targets extract, one short plan, median of 5) {startup_seconds():.2f} s")
        return
    readers = reader_rates(args.out)
    print("format readers (fixture plan repeated; characters of extracted text per second):")
    for name, r in readers.items():
        extra = f"  Chinese text recovered {r['han_recovered']:.1%}" if "han_recovered" in r else ""
        print(f"  {name:<24}{r['chars_per_s']:>12,.0f} chars/s{extra}")
    if args.readers_only:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "readers.json").write_text(json.dumps(readers, indent=2) + "\n", "utf-8")
        return
    folder = args.out / "corpus"
    shutil.rmtree(folder, ignore_errors=True)
    files, total = build_corpus(folder, args.factor)
    print(f"synthetic corpus: {len(files)} documents, {total:,} characters ({args.factor}x the bundled plans)")

    t_jieba = time_jieba(files)
    t_pipe = time_pipeline(files)
    t_b1 = time_batch(folder, 1)
    t_b2 = time_batch(folder, 2)
    n = len(files)
    parts = {}
    for frac in (0.25, 0.5):
        sub = files[: max(1, int(n * frac))]
        parts[frac] = (chars_of(sub), time_pipeline(sub))
    parts[1.0] = (total, t_pipe)
    one_line = one_line_rates()
    start = startup_seconds()
    peak = peak_memory_mb(folder)
    large_folder = args.out / "large"
    shutil.rmtree(large_folder, ignore_errors=True)
    large = build_large_plan(large_folder)
    large_chars = len(large.read_text("utf-8"))
    t_large = time_batch(large_folder, 1)
    peak_large = peak_memory_mb(large_folder)

    results = {
        "documents": n,
        "characters": total,
        "jieba_lcut_chars_per_s": total / t_jieba,
        "pipeline_1_process_chars_per_s": total / t_pipe,
        "pipeline_over_jieba": t_jieba / t_pipe,
        "batch_1_worker_chars_per_s": total / t_b1,
        "batch_2_workers_chars_per_s": total / t_b2,
        "speedup_2_workers": t_b1 / t_b2,
        "startup_s": start,
        "peak_memory_mb_1_worker": peak,
        "linearity_chars_per_s": {str(k): v[0] / v[1] for k, v in parts.items()},
        "one_paragraph_chars_per_s": one_line,
        "large_plan_bytes": large.stat().st_size,
        "large_plan_characters": large_chars,
        "large_plan_chars_per_s": large_chars / t_large,
        "large_plan_peak_memory_mb": peak_large,
        "readers": readers,
    }
    print(f"bare jieba.lcut                 {results['jieba_lcut_chars_per_s']:>12,.0f} chars/s")
    print(f"whole pipeline, 1 process       {results['pipeline_1_process_chars_per_s']:>12,.0f} chars/s  ({results['pipeline_over_jieba']:.2f}x jieba.lcut)")
    print(f"batch, 1 worker (with I/O)      {results['batch_1_worker_chars_per_s']:>12,.0f} chars/s")
    print(f"batch, 2 workers                {results['batch_2_workers_chars_per_s']:>12,.0f} chars/s  ({results['speedup_2_workers']:.2f}x 1 worker)")
    print(f"start-up (import, build, one plan) {start:.2f} s")
    print(f"peak memory, 1 worker           {peak:.0f} MB")
    lin = ", ".join(f"{float(k):.0%}: {v:,.0f}" for k, v in results["linearity_chars_per_s"].items())
    print(f"chars/s by input size           {lin}")
    worst = ", ".join(f"{int(k):,} chars: {v:,.0f}" for k, v in one_line.items())
    print(f"one-paragraph text, chars/s     {worst}")
    print(f"one 10 MB plan ({large_chars:,} chars) {results['large_plan_chars_per_s']:>9,.0f} chars/s, peak memory {peak_large:.0f} MB")
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
