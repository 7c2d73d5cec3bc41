"""Word 97 ``.doc`` and WPS ``.wps`` (OLE2 containers): converted to ``.docx`` by LibreOffice
headless, then read like any Word file.

No maintained Python package reads the binary Word format, and LibreOffice's import filters
are the reference outside Microsoft's and Kingsoft's own programs. Each conversion runs in a
private temporary profile so that parallel workers never share LibreOffice's lock files.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from .docx import read_docx
from .extracted import Extracted

#: Seconds one conversion may take before it counts as hung.
CONVERT_TIMEOUT = 120
_INSTALL = "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui) or save the file as .docx"


def soffice() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_office(data: bytes, name: str) -> Extracted:
    binary = soffice()
    if binary is None:
        raise InputError(name, "converter_missing", f"an old Word/WPS file needs LibreOffice to be read: {_INSTALL}")
    with tempfile.TemporaryDirectory(prefix="policy-targets-soffice-") as tmp:
        work = Path(tmp)
        source = work / ("input" + (Path(name).suffix.lower() or ".doc"))
        source.write_bytes(data)
        command = [
            binary, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(name, "convert", f"LibreOffice did not finish converting within {CONVERT_TIMEOUT} s") from None
        converted = work / "out" / (source.stem + ".docx")
        if done.returncode != 0 or not converted.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise InputError(name, "convert", "LibreOffice could not convert the file" + (f": {detail[-1]}" if detail else ""))
        return read_docx(converted.read_bytes(), name)
