"""Characters per second of the PDF reader beside PDFium alone, and beside the reader of another
git revision, in one process, alternating, medians (the machine is shared: read the ratios).

PDFium alone is opening the document, loading every page and its text page and taking the
text, nothing else: the floor under any reader built on it. The other revision's reader
(``--base REF``: its ``formats/pdf.py``, ``pdf_layout.py`` and, where it has them,
``pdf_grid.py`` and ``pdfium.py``, read with ``git show``) runs against this checkout's other
modules, so that only the PDF reader differs; both must give the same text.

Run: ``python benchmarks/pdf_reader.py [--base main] [--no-fonts] [--rounds 9]``. The fixtures
are ``make bench``'s: the test plan 30× repeated, with a ruled table on every page and without,
in a font that is not embedded; and, when LibreOffice is installed, the same plan written as
``.docx`` and saved as PDF by LibreOffice (fonts embedded, as most plans are published).
``--no-fonts`` gives PDFium no system font (as on a machine without CJK fonts), so that the
glyphs of the fixture's font, which is not embedded, are not measured in a substitute font.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("pdfium", "pdf_layout", "pdf_grid", "pdf")  # in import order


def reader_of(ref: str) -> Callable[[bytes, str], object]:
    """``read_pdf`` of revision ``ref``, its PDF modules loaded under other names inside this
    checkout's ``policy_targets.formats`` package."""
    suffix = "_base"
    found = {}
    for name in MODULES:
        done = subprocess.run(["git", "show", f"{ref}:src/policy_targets/formats/{name}.py"], cwd=ROOT, capture_output=True, text=True)
        if done.returncode == 0:
            found[name] = done.stdout
    module = None
    for name, source in found.items():
        source = re.sub(r"from \.(\w+) import", lambda m: f"from .{m[1]}{suffix if m[1] in found else ''} import", source)
        source = re.sub(r"^( *)from \. import ([\w, ]+)$", lambda m: "\n".join(
            m[1] + (f"from . import {n}{suffix} as {n}" if n in found else f"from . import {n}") for n in m[2].split(", ")), source, flags=re.M)
        module = types.ModuleType(f"policy_targets.formats.{name}{suffix}")
        module.__package__ = "policy_targets.formats"
        sys.modules[module.__name__] = module
        exec(compile(source, f"{ref}:{name}.py", "exec"), module.__dict__)
    assert module is not None and "pdf" in found, f"{ref} has no PDF reader"
    return module.read_pdf


def pdfium_alone(data: bytes) -> None:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    for index in range(len(pdf)):
        page = pdf[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    pdf.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", help="also time this git revision's PDF reader (e.g. main)")
    parser.add_argument("--no-fonts", action="store_true", help="give PDFium no system font")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    import formats_fixtures as ff

    if args.no_fonts:
        ff.no_system_fonts()

    from policy_targets.formats.pdf import read_pdf

    base = reader_of(args.base) if args.base else None
    base_name = f"{args.base}'s reader"
    folder = Path(tempfile.mkdtemp(prefix="pdf-reader-"))
    spec = ff.repeated(ff.load_spec(), 30)
    files = {"long paragraphs": ff.write_pdf(dict(spec, blocks=[b for b in spec["blocks"] if "table" not in b]), folder / "prose.pdf"),
             "ruled table on every page": ff.write_pdf(spec, folder / "plan.pdf")}
    office = ff.write_pdf_by_libreoffice(spec, folder / "office.pdf")
    if office is not None:
        files["saved as PDF by LibreOffice, a ruled table on every page"] = office
    print(f"load average {os.getloadavg()[0]:.1f}; medians of {args.rounds} alternating rounds; characters/s")
    for label, path in files.items():
        data = path.read_bytes()
        text = read_pdf(data, path.name).text
        runs: dict[str, Callable[[], object]] = {"this reader": lambda: read_pdf(data, path.name), "PDFium alone": lambda: pdfium_alone(data)}
        if base is not None:
            assert base(data, path.name).text == text, f"{args.base}'s reader gives another text"  # type: ignore[attr-defined]
            runs[base_name] = lambda: base(data, path.name)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                t0 = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t0)
        median = {name: statistics.median(t) for name, t in times.items()}
        shown = ", ".join(f"{name} {len(text) / t / 1000:.0f} k" for name, t in median.items())
        extra = f"; this ÷ {args.base} {median[base_name] / median['this reader']:.2f}×" if base else ""
        print(f"{label} ({len(text):,} characters): {shown}; PDFium's share of this reader {median['PDFium alone'] / median['this reader']:.0%}{extra}")


if __name__ == "__main__":
    main()
