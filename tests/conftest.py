import os
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
