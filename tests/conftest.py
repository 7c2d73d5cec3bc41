import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "corpus" / "raw"
GOLD = ROOT / "corpus" / "gold"
SEED_IDS = sorted(p.stem for p in RAW.glob("*.txt"))
# checked rulebooks are cached per run of the suite, never in the developer's home
os.environ.setdefault("POLICY_TARGETS_CACHE", tempfile.mkdtemp(prefix="pt-rules-cache-"))


@pytest.fixture(scope="session")
def seed_documents():
    from policy_targets.structure.documents import load_document

    return {doc_id: load_document(RAW / f"{doc_id}.txt") for doc_id in SEED_IDS}


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of rules/ that a test may change; the package reads it instead of the real one."""
    from policy_targets import rules

    folder = tmp_path / "rules"
    shutil.copytree(rules.rules_dir(), folder)
    monkeypatch.setenv(rules.RULES_ENV, str(folder))
    rules.clear_caches()
    yield folder
    monkeypatch.delenv(rules.RULES_ENV)
    rules.clear_caches()
