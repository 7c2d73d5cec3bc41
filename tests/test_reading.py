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


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n", codecs.BOM_UTF8])
def test_empty_file_is_a_warning(tmp_path, data: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_text(path)
    assert info.value.kind == "empty" and info.value.warning
    assert info.value.as_record()["level"] == "warning"


# Sentences of our own in the traditional script of Taiwan and Hong Kong sources, which are
# saved as Big5, and in simplified script for the UTF-16 files Word writes without a BOM.
TRADITIONAL = "到2030年，綠色運輸使用比例提高至百分之四十，電動公車全面普及。（主辦機關：交通局）\n"


@pytest.mark.parametrize(
    "text,encoding",
    [(TRADITIONAL, "big5"), (SAMPLE, "utf_16_le"), (SAMPLE, "utf_16_be"), (TRADITIONAL, "utf_16_le"), (SAMPLE, "gb18030")],
)
def test_detected_encodings_decode_exactly(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding), "x.txt") == text  # any other choice gives other characters


@pytest.mark.parametrize(
    "data",
    [
        b"Annual report 2025: renewable share reaches 20% and emissions fall by 5%.\n",
        "Годовой отчёт: доля возобновляемой энергии достигнет 20%.\n".encode("utf-8"),
        "Годовой отчёт: доля возобновляемой энергии достигнет 20%.\n".encode("cp1251"),
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
    ],
    ids=["english", "russian-utf8", "russian-cp1251", "pdf-header"],
)
def test_text_that_is_not_chinese_prose_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "plan.txt")
    assert info.value.kind in {"not_chinese", "decode"}
    assert str(info.value).startswith("plan.txt: ")


def test_chinese_with_latin_terms_is_prose() -> None:
    text = "到2025年，PM2.5浓度降至30μg/m³以下，GDP能耗下降13.5%，新增光伏装机1.2GW。\n"
    assert decode_bytes(text.encode("utf-8")) == text


# 一 (U+4E00) and 开 (U+5F00) have a NUL low byte: in UTF-16 their NULs stand on the other
# parity from the NULs of ASCII digits and punctuation.
NUL_BOTH_PARITIES = "一、到2026年，开工建设充电桩1200个，新增一批公共停车场。\n二、开展绿色出行宣传。\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_holding_characters_with_a_nul_byte(encoding: str) -> None:
    data = NUL_BOTH_PARITIES.encode(encoding)
    assert data.count(b"\x00") and {i % 2 for i, b in enumerate(data) if b == 0} == {0, 1}
    assert decode_bytes(data, "x.txt") == NUL_BOTH_PARITIES


@pytest.mark.parametrize(
    "data",
    [bytes(range(256)) * 8, b"\x00\x01\x02\x03" * 500, b"PK\x00\x00" + bytes(range(200)) * 3],
    ids=["every-byte", "counting", "nul-header"],
)
def test_binary_with_nul_bytes_is_not_taken_for_utf16(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "plan.txt")
    assert info.value.kind == "binary"
