"""A small plan and its gold, written for the review tests: one record of every verdict
(matched, wrong field, spurious, missed next to a number left out, missed next to a prediction
of another year), a 分别 construction whose targets share one evidence span, a plan without
gold, and plan text that tries to run a script."""

from __future__ import annotations

import json
from pathlib import Path

PLAN = """某市节能降碳行动方案

一、主要目标

到2027年,全市光伏发电装机容量达到120万千瓦,新能源公交车占比达到85%以上。到2030年,单位工业增加值能耗比2025年下降12%。

到2026年和2029年,风电装机容量分别达到30万千瓦和50万千瓦。

二、重点任务

(一)发展清洁能源

1.建设风光基地。打造千万千瓦级风光基地,到2027年,分布式光伏新增装机40万千瓦。(责任单位:市能源局)

(二)推进建筑节能

1.推广绿色建筑。到2027年,城镇新建建筑中绿色建筑面积占比达到90%。推广“<script>document.title='pwned'</script>”做法,建成8个近零能耗示范项目。
"""

OTHER = """某县清洁取暖工作方案

到2026年,全县清洁取暖率达到95%。
"""

_DEFAULTS = {
    "comparator": "=", "direction": "level", "period_start": None, "baseline_year": None,
    "per_year": False, "cumulative": False, "aspirational": False, "responsible_units": [],
    "optional": False, "note": "",
}


def _gold(indicator: str, value: float, unit: str, year: int | None, evidence: str, **fields) -> dict:
    return {"doc_id": "demo-plan", "indicator": indicator, "value": value, "unit": unit, "target_year": year, **_DEFAULTS, "evidence": evidence, **fields}


GOLD = [
    _gold("光伏发电装机容量", 120, "万千瓦", 2027, "光伏发电装机容量达到120万千瓦"),
    _gold("新能源公交车占比", 85, "%", 2027, "新能源公交车占比达到85%以上"),  # comparator: extractor says >=
    _gold("单位工业增加值能耗", 12, "%", 2030, "单位工业增加值能耗比2025年下降12%", direction="decrease", baseline_year=2025),
    _gold("风电装机容量", 30, "万千瓦", 2026, "到2026年和2029年,风电装机容量分别达到30万千瓦和50万千瓦"),
    _gold("风电装机容量", 50, "万千瓦", 2029, "到2026年和2029年,风电装机容量分别达到30万千瓦和50万千瓦"),
    _gold("风光基地", 1000, "万千瓦", None, "打造千万千瓦级风光基地"),  # missed: a scale class is left out
    _gold("分布式光伏新增装机", 40, "万千瓦", 2027, "分布式光伏新增装机40万千瓦"),  # units: extractor says 市能源局
    _gold("近零能耗示范项目", 8, "个", 2030, "建成 8 个近零能耗示范项目"),  # missed: extractor says 2027
]


def write_inputs(folder: Path) -> tuple[Path, Path]:
    """The plans folder and the gold file, written below ``folder``."""
    plans = folder / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    (plans / "demo-plan.txt").write_text(PLAN, "utf-8")
    (plans / "other-plan.txt").write_text(OTHER, "utf-8")
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in GOLD), "utf-8")
    return plans, gold


#: Plan files whose names a web link cannot hold as they are: Chinese, a space, a sub-folder,
#: capitals. Each holds :data:`OTHER`.
AWKWARD_NAMES = ("某市碳达峰方案.txt", "plan with space.txt", "sub/nested plan.txt", "Upper.txt")


def write_awkward(folder: Path) -> Path:
    """A plans folder holding :data:`AWKWARD_NAMES`."""
    plans = folder / "awkward"
    for name in AWKWARD_NAMES:
        path = plans / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(OTHER, "utf-8")
    return plans
