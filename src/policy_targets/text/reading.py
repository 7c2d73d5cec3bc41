"""Reading a notice from disk: bytes to text, with a named error for anything else.

Plans arrive as UTF-8 (with or without BOM) from web pages, GB18030/GBK from older Windows
exports, and UTF-16 from Word's "Unicode text". Anything else is reported, not guessed.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from ..errors import InputError

#: Files larger than this are refused by default (`--max-mb` raises it): a plan is rarely
#: over 2 MB, and a larger file is usually a mis-saved binary or a concatenation of many.
DEFAULT_MAX_BYTES = 20_000_000

_SUPPORTED = "UTF-8, GB18030/GBK or UTF-16 with BOM"


def read_text(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """Read and decode a file, raising :class:`InputError` with the file name on failure."""
    return decode_bytes(read_bytes(path, max_bytes), str(path))


def read_bytes(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or :class:`InputError` naming the file (missing, a folder, too large,
    unreadable): the one place every reader, text or binary format, gets its input from."""
    name = str(path)
    p = Path(path)
    try:
        if max_bytes is not None and p.stat().st_size > max_bytes:
            size = p.stat().st_size / 1e6
            raise InputError(name, "too_large", f"file is {size:.1f} MB, over the {max_bytes / 1e6:g} MB limit (raise it with --max-mb)")
        return p.read_bytes()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(name, "not_found", "no such file") from None
    except IsADirectoryError:
        raise InputError(name, "io", "is a directory, not a file") from None
    except PermissionError:
        raise InputError(name, "io", "permission denied") from None
    except OSError as exc:  # symlink loops, I/O errors
        raise InputError(name, "io", exc.strerror or str(exc)) from None


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode the bytes of a notice.

    Order matters: a BOM is authoritative; NUL bytes mean binary (UTF-16 always has a BOM
    here); valid UTF-8 is taken as UTF-8; only then GB18030, which would otherwise accept
    almost any byte sequence as mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _check_text(_strict(data, "utf-16", name), name)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(name, "binary", f"binary data (NUL byte at offset {nul}); cannot decode as {_SUPPORTED}")
    try:
        return _check_text(data.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            raise InputError(
                name, "truncated", f"truncated UTF-8: the file ends inside a character at byte {exc.start}"
            ) from None
        utf8_error = exc
    if _mostly_utf8(data[: utf8_error.start]):
        raise InputError(name, "decode", f"invalid UTF-8 at byte {utf8_error.start}; cannot decode as {_SUPPORTED}")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(name, "decode", f"cannot decode as {_SUPPORTED} (bad byte at offset {exc.start})") from None
    return _check_text(text, name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, "decode", f"cannot decode as {encoding} (bad byte at offset {exc.start})") from None


def _mostly_utf8(prefix: bytes) -> bool:
    """True when the valid part before an error already holds many multi-byte characters,
    i.e. the file is UTF-8 with a corrupt byte rather than GB18030."""
    return sum(1 for b in prefix if b >= 0xC0) >= 8


def _check_text(text: str, name: str) -> str:
    """Refuse decoded text that is mostly control characters: a binary file in disguise."""
    if not text:
        return text
    sample = text[:20000]
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if control > max(8, len(sample) // 100):
        raise InputError(name, "binary", f"binary data ({control} control characters); cannot decode as {_SUPPORTED}")
    return text
