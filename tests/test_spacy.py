"""The pipeline as a spaCy citizen: the README's snippet gives extract()'s records on raw
(traditional, full-width) text; a saved pipeline carries its rules; components declare what
they need and refuse a wrong order by name."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from policy_targets import extract
from policy_targets.api import records_of
from policy_targets.errors import PipelineError
from policy_targets.extraction.pipeline import COMPONENTS, blank

TRADITIONAL_FULL_WIDTH = "到２０２７年，風電裝機達到１２０萬千瓦，全市綠色出行比例不低於７５％。"


def _nlp():
    nlp = blank()
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.initialize()
    return nlp


def _brief(records):
    return [(r["indicator"], r["value"], r["unit"], r["comparator"], r["raw_start"], r["raw_end"], r["evidence"]) for r in records]


def test_the_readme_snippet_gives_the_records_of_extract_on_raw_text() -> None:
    """The snippet runs in a fresh process, through the entry points, as a spaCy user would."""
    code = (
        "import json, spacy\n"
        "from policy_targets.api import records_of\n"
        "nlp = spacy.blank('zh', config={'nlp': {'tokenizer': {'@tokenizers': 'policy_targets.selective_jieba.v1'}}})\n"
        "for name in ('pt_structure', 'pt_quantities', 'pt_time_scopes', 'pt_targets'):\n"
        "    nlp.add_pipe(name)\n"
        "nlp.initialize()\n"
        f"doc = nlp({TRADITIONAL_FULL_WIDTH!r})\n"
        "print(json.dumps(records_of(doc), ensure_ascii=False))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    got = json.loads(out)
    assert _brief(got) == _brief(extract(TRADITIONAL_FULL_WIDTH))
    assert [(r["indicator"], r["value"], r["comparator"]) for r in got] == [("风电装机", 120, "="), ("绿色出行比例", 75, ">=")]
    assert TRADITIONAL_FULL_WIDTH[got[0]["raw_start"] : got[0]["raw_end"]].startswith("風電裝機")


def test_spans_and_targets_on_the_doc() -> None:
    doc = _nlp()(TRADITIONAL_FULL_WIDTH)
    assert [s.text for s in doc.spans["quantities"]] == ["120万千瓦", "75%"]
    assert [t.value for t in doc._.targets] == [120, 75]


def test_a_saved_pipeline_carries_its_rules_and_gives_the_same_targets(tmp_path: Path) -> None:
    nlp = _nlp()
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "pt_quantities" / "rules" / "units.yaml").is_file()
    assert (tmp_path / "pipe" / "tokenizer" / "jieba_userdict.txt").is_file()
    loaded = spacy.load(tmp_path / "pipe")
    text = "到2030年,城市公交车、出租车新能源化率分别达到100%和90%。"
    assert _brief(records_of(loaded(text))) == _brief(records_of(nlp(text))) == _brief(extract(text))


def test_a_saved_pipeline_reads_its_own_copy_of_the_rules(tmp_path: Path) -> None:
    """Edit the saved units rulebook: the loaded pipeline follows it, the package does not."""
    _nlp().to_disk(tmp_path / "pipe")
    units = tmp_path / "pipe" / "pt_quantities" / "rules" / "units.yaml"
    units.write_text(units.read_text("utf-8").replace('{unit: "艘"', '{unit: "舟"'), "utf-8")
    loaded = spacy.load(tmp_path / "pipe")
    text = "到2026年,建成电动渡轮6艘。"
    assert [t.value for t in loaded(text)._.targets] == []
    assert [r["value"] for r in extract(text)] == [6]


def test_components_declare_what_they_need_and_set() -> None:
    nlp = _nlp()
    analysis = nlp.analyze_pipes()
    assert analysis["problems"] == {name: [] for name in COMPONENTS}
    assert "doc._.structure" in analysis["summary"]["pt_quantities"]["requires"]
    assert "doc._.targets" in analysis["summary"]["pt_targets"]["assigns"]
    assert nlp.config["components"]["pt_targets"]["rules"] is None


def test_a_wrong_order_is_refused_by_name() -> None:
    nlp = blank()
    nlp.add_pipe("pt_quantities")
    with pytest.raises(PipelineError, match="pt_quantities needs doc._.structure, which pt_structure sets"):
        nlp("到2025年,风电装机达到100万千瓦。")


def test_text_that_is_not_normalised_is_refused_when_another_tokenizer_made_the_doc() -> None:
    nlp = spacy.blank("xx")
    for name in COMPONENTS:
        nlp.add_pipe(name)
    with pytest.raises(PipelineError, match="not normalised"):
        nlp(TRADITIONAL_FULL_WIDTH)
    assert [t.value for t in nlp("到2025年,风电装机达到100万千瓦。")._.targets] == [100]


def test_a_plan_that_needs_no_words_loads_neither_jieba_nor_cn2an() -> None:
    """Start-up is paid only for what is used: one target with Arabic numerals and no
    coordinated subjects needs no jieba dictionary and no Chinese-numeral converter."""
    code = (
        "import sys, json\n"
        "from policy_targets import extract\n"
        "r = extract('到2025年,非化石能源消费比重达到9%左右。')\n"
        "print(json.dumps([len(r), 'jieba' in sys.modules, 'cn2an' in sys.modules, 'pandas' in sys.modules, 'spacy' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [1, False, False, False, False]  # the records path never imports spaCy
    both = "到2025年,甲县、乙县森林覆盖率分别达到40%和45%;全市规划建设一百二十个示范区。"
    code2 = code.replace("'到2025年,非化石能源消费比重达到9%左右。'", repr(both))
    out2 = subprocess.run([sys.executable, "-c", code2], capture_output=True, text=True, check=True).stdout
    assert json.loads(out2)[1:3] == [True, True]  # words, and a numeral in words beyond the small ones: both loaded when needed


def test_the_batch_command_does_not_import_spacy(tmp_path: Path) -> None:
    """``policy-targets extract`` runs the pure stages: spaCy, the largest import, stays out."""
    plan = tmp_path / "plan.txt"
    plan.write_text("到2030年,城市建成区绿地率达到百分之四十。\n", "utf-8")
    code = (
        "import sys\n"
        "from policy_targets.cli import main\n"
        "try:\n"
        f"    main(['extract', {str(plan)!r}, '-o', {str(tmp_path / 'out.jsonl')!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False"]
    assert (tmp_path / "out.jsonl").read_text("utf-8").count("\n") == 1


@pytest.mark.parametrize("path", sorted((Path(__file__).resolve().parents[1] / "corpus" / "raw").glob("*.txt")), ids=lambda p: p.stem)
def test_the_components_leave_on_the_doc_what_the_records_path_finds(path: Path) -> None:
    """The spaCy components and the records path are the same stages: on every bundled plan,
    the Doc carries the quantities, year phrases, baselines and targets ``read_plan`` finds."""
    from policy_targets.api import read_plan, run_pipeline
    from policy_targets.structure.documents import load_document

    document = load_document(path)
    found = read_plan(document)
    with run_pipeline(document) as doc:
        assert doc._.quantities == found.quantities and len(found.quantities) > 10
        assert (doc._.year_phrases, doc._.baselines, doc._.regions) == (found.year_phrases, found.baselines, found.regions)
        assert doc._.targets == found.targets and len(found.targets) > 5
