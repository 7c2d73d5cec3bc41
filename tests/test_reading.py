"""Decoding: every supported encoding reads back the same text; anything else is a named error."""

import codecs

import pytest

from policy_targets.errors import InputError
from policy_targets.text.reading import decode_bytes, read_text

SAMPLE = "到2025年，非化石能源消费比重达到9%左右。（责任单位：市发展改革委）\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("gb18030"),
        SAMPLE.encode("gbk"),
        SAMPLE.encode("utf-16"),  # with BOM
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "utf16-le-bom", "utf16-be-bom"],
)
def test_supported_encodings_decode_to_the_same_text(data: bytes) -> None:
    assert decode_bytes(data, "x.txt") == SAMPLE


def test_traditional_big5_range_in_gb18030() -> None:
    text = "青島市人民政府關于印發國家碳達峰試點實施方案的通知"
    assert decode_bytes(text.encode("gb18030")) == text


@pytest.mark.parametrize(
    "data,kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(1, 32)) * 50, "binary"),
        (SAMPLE.encode("utf-8")[:-2], "truncated"),
        ("非化石能源消费比重达到9%左右，到2030年达到25%".encode("utf-8") + b"\xff\xfe\xfd" + b"tail", "decode"),
    ],
    ids=["png", "control-chars", "truncated-utf8", "corrupt-utf8"],
)
def test_bad_bytes_are_named_errors(data: bytes, kind: str) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "plan.txt")
    assert info.value.kind == kind
    assert str(info.value).startswith("plan.txt: ")


def test_read_text_names_missing_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        read_text(tmp_path)


def test_size_limit_is_a_named_error(tmp_path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(SAMPLE.encode("utf-8") * 100)
    with pytest.raises(InputError) as info:
        read_text(path, max_bytes=1000)
    assert info.value.kind == "too_large"
    assert read_text(path, max_bytes=None).startswith("到2025年")


def test_empty_file_reads_as_empty_text(tmp_path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert read_text(path) == ""
