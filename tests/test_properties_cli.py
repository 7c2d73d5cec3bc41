"""Whatever the bytes, `extract` and `dataset` end with a line per problem and an exit
status, never a traceback, and never leave a half-written file: random bytes, random
Unicode, and real plans cut at random points."""

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from policy_targets.cli import app

ROOT = Path(__file__).resolve().parents[1]
PLANS = [p.read_bytes() for p in sorted((ROOT / "corpus" / "raw").glob("*.txt"))[:2] + sorted((ROOT / "corpus" / "dev" / "raw").glob("*.txt"))[:3]]
PREVIOUS = b'{"previous": "good output"}\n'
runner = CliRunner()


@st.composite
def cut_plan(draw) -> bytes:
    data = draw(st.sampled_from(PLANS))
    a = draw(st.integers(0, len(data)))
    b = draw(st.integers(a, min(len(data), a + 6000)))
    return data[a:b]


CONTENTS = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=1500).map(lambda t: t.encode("utf-8")),
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF) | st.sampled_from("0123456789%，。、\n万千瓦年到达"), max_size=800).map(
        lambda t: t.encode("gb18030")
    ),
    cut_plan(),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_clean(result) -> None:
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


def no_temporaries(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


def plan_folder(tmp: str, files: list[bytes]) -> Path:
    d = Path(tmp) / "plans"
    d.mkdir()
    for i, data in enumerate(files):
        (d / f"f{i}.txt").write_bytes(data)
    return d


@SETTINGS
@given(files=st.lists(CONTENTS, min_size=1, max_size=3))
def test_extract_never_breaks(files: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = plan_folder(tmp, files)
        out, errors = Path(tmp) / "out.jsonl", Path(tmp) / "errors.jsonl"
        out.write_bytes(PREVIOUS)
        result = runner.invoke(app, ["extract", str(d), "-o", str(out), "--errors-file", str(errors)])
        assert_clean(result)
        data = out.read_bytes()
        if data != PREVIOUS:  # replaced: then whole, one record a line
            for line in data.splitlines():
                assert json.loads(line)["doc_id"].startswith("f")
        else:
            assert "left unchanged" in result.output or data == PREVIOUS
        reported = [json.loads(line) for line in errors.read_bytes().splitlines()]
        assert all(r["kind"] != "internal" for r in reported), reported
        no_temporaries(Path(tmp))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(CONTENTS, min_size=1, max_size=3))
def test_dataset_never_breaks(files: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = plan_folder(tmp, files)
        out = Path(tmp) / "out"
        result = runner.invoke(app, ["dataset", "--corpus", str(d), "-o", str(out)])
        assert_clean(result)
        if out.exists():  # written: then whole
            names = {p.name for p in out.iterdir()}
            assert names == {"targets.jsonl", "targets.csv", "targets.parquet", "documents.jsonl", "summary.md", "entries.svg", "errors.jsonl"}
            for line in (out / "targets.jsonl").read_bytes().splitlines():
                json.loads(line)
        else:
            assert result.exit_code == 1 and "left unchanged" in result.output
        no_temporaries(Path(tmp))
