"""Reading a notice from disk: bytes to text, with a named error for anything else.

Plans arrive as UTF-8 (with or without BOM) from web pages, GB18030/GBK from older Windows
exports, Big5 from Taiwan and Hong Kong sources, and UTF-16 (with or without BOM) from Word's
"Unicode text". A BOM decides; valid UTF-8 is taken as UTF-8; otherwise charset-normalizer
chooses among the remaining encodings only, because an open-ended guess turns a Big5 file
into GB18030 mojibake or a binary file into "text". Whatever is decoded must then look like
Chinese prose: extracting from anything else gives garbage targets with a clean exit.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

import regex

from ..errors import InputError
from . import mojibake

#: Files larger than this are refused by default (`--max-mb` raises it): a plan is rarely
#: over 2 MB, and a larger file is usually a mis-saved binary or a concatenation of many.
DEFAULT_MAX_BYTES = 20_000_000

SUPPORTED = "UTF-8, GB18030/GBK, Big5 or UTF-16"
#: What charset-normalizer may choose from when a file is not UTF-8 (its codec names).
CANDIDATES = ("gb18030", "big5", "utf_16_le", "utf_16_be")
#: A plan holds Chinese prose: at least this many Han characters standing in runs of four or
#: more (one clause at least, not a term quoted in another language) once mirror-page debris
#: (pronunciation glosses, junk runs) is removed. A count, not a share: a bilingual plan, or
#: one with its English translation after it, is read for its Chinese part; a text with no
#: Chinese to speak of is refused.
MIN_HAN_PROSE = 4
STDIN = "-"
_SAMPLE = 200_000  # characters looked at by the prose check; a plan is uniform enough
#: A text that holds this many Han characters in runs of four before any debris is removed is
#: prose whatever its debris: debris removal would have to take all but a handful of them.
#: Checking this first spares a plan the second debris pass (normalisation makes the first).
_PLAINLY_PROSE = 200
_HAN_RUNS = regex.compile(r"\p{Han}+")
#: Control characters (Unicode category Cc: U+0000–001F, U+007F–009F) other than the
#: whitespace ones (tab, line feed, vertical tab, form feed, carriage return), in runs: all
#: below U+0100, looked for in the bytes of :func:`_control_count`.
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f-\x9f]+")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the warnings of its decoding (a repaired mojibake)."""

    text: str
    warnings: tuple[InputError, ...] = field(default=())


def read_text(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """Read and decode a plain-text file, raising :class:`InputError` with the file name on
    failure (an ``empty`` warning for a file with no text, see :func:`check_not_empty`)."""
    name = "<stdin>" if str(path) == STDIN else str(path)
    return check_not_empty(decode_bytes(read_bytes(path, max_bytes), name), name)


def read_bytes(path: str | Path, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes, or :class:`InputError` naming the file (missing, a folder, too large,
    unreadable): the one place every reader, text or binary format, gets its input from.
    ``-`` is standard input; a FIFO or device, which has no size, is read up to the limit."""
    if str(path) == STDIN:
        import sys

        data = sys.stdin.buffer.read() if max_bytes is None else sys.stdin.buffer.read(max_bytes + 1)
        name = "<stdin>"
    else:
        name = str(path)
        data = _read_file(Path(path), name, max_bytes)
    if max_bytes is not None and len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    return data


def check_not_empty(text: str, name: str) -> str:
    """A file with no text is a *warning*: a caller records it and goes on, but does not
    pretend it read a plan (a plan with no title and no targets)."""
    if not text.strip():
        raise InputError(name, "empty", "empty file (no text); skipped", warning=True)
    return text


def _read_file(p: Path, name: str, max_bytes: int | None) -> bytes:
    try:
        if p.is_dir():
            raise InputError(name, "io", "is a directory, not a file")
        if max_bytes is not None and p.is_file() and p.stat().st_size > max_bytes:
            raise _too_large(name, p.stat().st_size, max_bytes)
        with open(p, "rb") as fh:
            return fh.read() if max_bytes is None else fh.read(max_bytes + 1)
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


def _too_large(name: str, size: int, max_bytes: int) -> InputError:
    return InputError(name, "too_large", f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit (raise it with --max-mb)")


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode the bytes of a notice and check that they are Chinese prose (see
    :func:`decode_report`, which also returns the warnings)."""
    return decode_report(data, name).text


def decode_report(data: bytes, name: str = "<bytes>") -> Decoded:
    """Decode the bytes of a notice, repair mojibake, and check that they are Chinese prose.

    Order matters: a BOM is authoritative; NUL bytes mean UTF-16 without BOM or a binary
    file; valid UTF-8 is UTF-8 (the detector is slower and can only agree); a UTF-8 file
    broken in one place is reported, not re-read as GB18030 mojibake; only then does the
    detector choose among :data:`CANDIDATES`.
    """
    if not data:
        return Decoded("")
    if data.startswith(codecs.BOM_UTF8):
        return _check_prose(_strict(data[3:], "utf-8", name), name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _check_prose(_strict(data, "utf-16", name), name)
    nul = data.find(b"\x00")
    if nul >= 0:  # UTF-16 without BOM, or a binary file
        order = utf16_order(data)
        if order is None:
            raise InputError(name, "binary", f"binary data (NUL byte at offset {nul}); cannot decode as {SUPPORTED}")
        return _check_prose(_strict(data, order, name), name)
    try:
        return _check_prose(data.decode("utf-8"), name)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and _mostly_utf8(data[: exc.start]):
            raise InputError(name, "truncated", f"truncated UTF-8: the file ends inside a character at byte {exc.start}") from None
        utf8_error = exc
    if _mostly_utf8(data[: utf8_error.start]):
        raise InputError(name, "decode", f"invalid UTF-8 at byte {utf8_error.start}; cannot decode as {SUPPORTED}")
    import charset_normalizer  # 20 ms to import: only for a file that is not UTF-8

    best = charset_normalizer.from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        raise InputError(name, "decode", f"cannot decode as {SUPPORTED}")
    return _check_prose(str(best), name)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, "decode", f"cannot decode as {encoding} (bad byte at offset {exc.start})") from None


def _mostly_utf8(prefix: bytes) -> bool:
    """True when the valid part before an error already holds many multi-byte characters,
    i.e. the file is UTF-8 with a corrupt byte rather than another encoding."""
    return sum(1 for b in prefix[-4096:] if b >= 0xC0) >= 8


#: Code units a plan's text is made of: ASCII, Latin-1 signs (°, µ), general punctuation,
#: letter-like and number forms (℃, Ⅲ, ①), CJK punctuation, CJK unified ideographs and
#: full-width forms. A binary file read as UTF-16 is mostly other units.
_PLAN_UNIT = regex.compile(r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u2100-\u24ff\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
#: The share of such units above which bytes are UTF-16 text.
MIN_UTF16_TEXT = 0.9
_UTF16_SAMPLE = 65_536  # bytes looked at


def utf16_order(data: bytes) -> str | None:
    """The byte order (``utf-16-le`` or ``-be``) that reads ``data`` as plan text, or None
    for a binary file. NUL bytes alone cannot tell: in Chinese text they stand on both
    parities, since the high byte of ASCII is NUL and so is the low byte of 一 (U+4E00) or
    开 (U+5F00). Read in the right order, nearly every code unit is ASCII, CJK or their
    punctuation; read in the wrong order, each Chinese character becomes a unit scattered
    over the whole range."""
    sample = data[: _UTF16_SAMPLE - _UTF16_SAMPLE % 2] if len(data) > _UTF16_SAMPLE else data[: len(data) - len(data) % 2]
    if not sample:
        return None
    shares = {}
    for order in ("utf-16-le", "utf-16-be"):
        text = sample.decode(order, errors="replace")
        shares[order] = len(_PLAN_UNIT.findall(text)) / len(text)
    best = max(shares, key=lambda o: (shares[o], o == "utf-16-le"))
    return best if shares[best] >= MIN_UTF16_TEXT else None


def _check_prose(text: str, name: str) -> Decoded:
    """Refuse decoded text that is not Chinese prose: a binary in disguise (control
    characters) or a text in another language, from which no target can be read. Mojibake
    that can be undone is repaired first (a warning says so; offsets then point into the
    repaired text)."""
    if not text.strip():
        return Decoded(text)
    sample = text[:_SAMPLE]
    control = _control_count(sample)
    if control > max(8, len(sample) // 100):
        raise InputError(name, "binary", f"binary data ({control} control characters); cannot decode as {SUPPORTED}")
    warnings: tuple[InputError, ...] = ()
    fixed = mojibake.repair(text)
    if fixed is not None:
        text, sample = fixed.text, fixed.text[:_SAMPLE]
        warnings = (InputError(name, "mojibake", f"mojibake repaired ({fixed.what}); offsets point into the repaired text", warning=True),)
    han = _PLAINLY_PROSE if _plainly_prose(sample) else chinese_prose(sample)
    if han < MIN_HAN_PROSE:
        raise InputError(name, "not_chinese", f"not Chinese prose ({han} Chinese characters in runs of four or more once page debris is removed); nothing to extract")
    return Decoded(text, warnings)


def _control_count(text: str) -> int:
    """How many characters of ``text`` are :data:`_CONTROL`'s. Each of them is below U+0100,
    so the Latin-1 bytes of ``text`` hold them all, one byte each of the same value: encoding
    drops the Chinese characters in C, and the class is then sought in the few bytes left
    (measured: 2.0 against 0.5 ms over the bench plans)."""
    return sum(map(len, _CONTROL.findall(text.encode("latin-1", "ignore"))))


def chinese_prose(text: str) -> int:
    """How many Han characters of ``text`` stand in runs of four or more once
    pronunciation glosses and the debris of ``rules/normalization.yaml`` are removed; for a text
    that plainly holds ``_PLAINLY_PROSE`` of them before removal, that count (the decision is
    the same, and the debris pass is left to normalisation)."""
    from .normalize import remove_debris
    from .textmap import MappedText

    raw = _in_words(text)
    if raw >= _PLAINLY_PROSE:
        return raw
    return _in_words(remove_debris(MappedText.identity(text)).text)


def _in_words(text: str) -> int:
    """How many Han characters of ``text`` stand in runs of four or more."""
    return sum(n for n in map(len, _HAN_RUNS.findall(text)) if n >= 4)


def _plainly_prose(text: str) -> bool:
    """Whether ``text`` holds ``_PLAINLY_PROSE`` Han characters in runs of four or more,
    read only as far as it takes to find them (a plan's first lines, as a rule)."""
    total = 0
    for m in _HAN_RUNS.finditer(text):
        n = m.end() - m.start()
        if n >= 4:
            total += n
            if total >= _PLAINLY_PROSE:
                return True
    return False
