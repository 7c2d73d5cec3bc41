"""Plan metadata and jurisdiction, on notices and news pages written for these tests: a
county's notice, a district's, a ministries' joint notice, a news page, a traditional-script
mirror, and names that are short, former, abbreviated or shared by two places."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from policy_targets import load_dataset
from policy_targets.dataset.build import CorpusSet, write_dataset
from policy_targets.evaluate.places import read_check, score_places
from policy_targets.errors import InputError
from policy_targets.structure.documents import prepare
from policy_targets.structure.gazetteer import gazetteer
from policy_targets.structure.jurisdiction import resolve

ROOT = Path(__file__).resolve().parents[1]


def meta(text: str) -> dict:
    return prepare(text, "t").structure.metadata_json()


def place(text: str) -> tuple[str | None, str | None, str | None]:
    m = meta(text)
    return m["jurisdiction"], m["admin_code"], m["level"]


# --- the gazetteer --------------------------------------------------------------------------


def test_gazetteer_levels_codes_and_names() -> None:
    g = gazetteer()
    assert g.by_code["330723"].name == "武义县" and g.by_code["330723"].level == "county"
    assert g.by_code["330782"].level == "county"  # a county-level city
    assert g.by_code["630100"].level == "city"
    assert g.by_code["110000"].level == "province"  # a municipality is provincial
    assert g.province_of(g.by_code["330723"]).name == "浙江省"
    assert [d.code for d in g.names["襄樊市"]] == ["420600"]  # a former name
    assert [d.code for d in g.shorts["内蒙"]] == ["150000"]  # a cut short name
    assert {d.code for d in g.names["朝阳区"]} == {"110105", "220104"}
    assert not any(int(code[4:]) in range(71, 80) for code in g.by_code)  # no development zones


# --- jurisdiction ---------------------------------------------------------------------------


def test_county_notice() -> None:
    text = (
        "武义县人民政府关于印发武义县节能降碳行动方案的通知\n武政发〔2025〕12号\n各乡镇人民政府,县政府各部门:\n"
        "现将《武义县节能降碳行动方案》印发给你们,请认真贯彻执行。\n武义县人民政府\n2025年3月8日\n"
        "武义县节能降碳行动方案\n一、主要目标\n到2027年,全县光伏装机达到30万千瓦。\n"
    )
    m = meta(text)
    assert (m["jurisdiction"], m["admin_code"], m["level"], m["province"]) == ("武义县", "330723", "county", "浙江省")
    assert m["title"] == "武义县节能降碳行动方案"
    assert m["issuer"] == "武义县人民政府"
    assert m["date"] == "2025-03-08" and m["doc_number"] == "武政发〔2025〕12号"


def test_district_notice_names_its_city_and_county_level() -> None:
    text = "思明区人民政府办公室关于印发思明区绿色出行三年行动计划(2025—2027年)的通知\n各街道办事处:\n一、工作目标\n到2027年,绿色出行比例达到75%。\n"
    m = meta(text)
    assert (m["jurisdiction"], m["admin_code"], m["level"]) == ("思明区", "350203", "county")
    assert m["period"] == "2025-2027"


def test_ministries_joint_notice_is_national() -> None:
    text = "自然资源部、水利部关于印发《全国地下水保护利用规划(2026—2030年)》的通知\n各省、自治区、直辖市自然资源主管部门:\n一、主要目标\n到2030年,地下水超采量减少50亿立方米。\n"
    m = meta(text)
    assert (m["jurisdiction"], m["admin_code"], m["level"], m["province"]) == ("全国", "100000", "national", None)
    assert m["issuer"] == "自然资源部、水利部"
    assert m["title"] == "全国地下水保护利用规划(2026—2030年)"


def test_news_page_reports_the_issue() -> None:
    text = (
        "发布时间:2025-04-02 10:15 来源:某某新闻网\n"
        "记者从张掖市发展改革委获悉,日前,张掖市人民政府印发《张掖市新能源产业发展行动方案》,提出到2027年新能源装机突破1500万千瓦。\n"
        "《方案》提出,到2027年,全市新能源装机达到1500万千瓦。\n"
    )
    m = meta(text)
    assert (m["jurisdiction"], m["admin_code"], m["level"]) == ("张掖市", "620700", "city")
    assert m["title"] == "张掖市新能源产业发展行动方案"
    assert m["issuer"] == "张掖市人民政府"
    assert m["date"] == "2025-04-02"


def test_traditional_script_mirror() -> None:
    text = "嘉峪關市人民政府印發《嘉峪關市空氣質量持續改善行動方案》\n日期:2024-12-20\n到2025年,全市細顆粒物平均濃度控制在25微克/立方米以下。\n"
    m = meta(text)
    assert (m["jurisdiction"], m["admin_code"], m["level"]) == ("嘉峪关市", "620200", "city")
    assert m["title"] == "嘉峪关市空气质量持续改善行动方案" and m["date"] == "2024-12-20"


def test_shared_name_is_settled_by_the_province_the_text_names() -> None:
    beijing = "北京市朝阳区人民政府关于印发朝阳区节水行动方案的通知\n一、目标\n到2026年,万元地区生产总值用水量下降5%。\n"
    jilin = "朝阳区节水行动方案\n为落实吉林省节水工作部署,结合我区实际,制定本方案。\n一、目标\n到2026年,万元地区生产总值用水量下降5%。\n"
    alone = "朝阳区节水行动方案\n为做好节水工作,结合我区实际,制定本方案。\n一、目标\n到2026年,万元地区生产总值用水量下降5%。\n"
    assert place(beijing) == ("朝阳区", "110105", "county")
    assert place(jilin) == ("朝阳区", "220104", "county")
    assert place(alone) == (None, None, None)


def test_short_former_and_abbreviated_names() -> None:
    assert place("内蒙能源局印发《内蒙风电开发规划》\n到2030年风电装机达到1亿千瓦。\n")[1] == "150000"
    assert place("近日,宁夏发展改革委发布《宁夏新型储能发展方案》。\n到2027年储能装机达到500万千瓦。\n")[1] == "640000"
    assert place("襄樊市人民政府关于印发襄樊市节能工作方案的通知\n一、目标\n到2010年,单位能耗下降20%。\n")[1] == "420600"
    # X市 is the one prefecture of the named province that opens with X
    found = resolve(None, None, [], [], "为落实青海省部署,西市今年将新增公交车100辆。")
    assert found is not None and (found.name, found.admin_code, found.level) == ("西宁市", "630100", "city")
    assert resolve(None, None, [], [], "西市今年将新增公交车100辆。") is None


def test_self_references_resolve_through_the_issuer_not_by_name() -> None:
    with_issuer = "义乌市人民政府关于印发义乌市治水方案的通知\n结合我市实际,制定本方案。\n一、目标\n到2026年,市区水质达标率达到100%。\n"
    assert place(with_issuer) == ("义乌市", "330782", "county")
    alone = "结合我市实际,制定本方案。\n一、目标\n到2026年,全市市区水质达标率达到100%。\n"
    assert place(alone) == (None, None, None)


def test_a_province_never_named_is_the_one_its_cities_share() -> None:
    text = "为改善全省空气质量,结合我省实际,提出如下意见。\n到2027年,西宁市、海东市细颗粒物浓度下降10%。\n"
    assert place(text) == ("青海省", "630000", "province")
    mixed = "为改善全省空气质量,提出如下意见。\n到2027年,西宁市、义乌市细颗粒物浓度下降10%。\n"
    assert place(mixed) == (None, None, None)
    # no self-reference: the smallest division holding the places named (a city's counties)
    counties = "今年,武义县、永康市将新增绿道100公里,浙江省将给予支持。\n到2027年,绿道达到500公里。\n"
    assert place(counties) == ("金华市", "330700", "city")


def test_nothing_from_what_the_text_does_not_say() -> None:
    text = "到2026年,全区新建充电桩500个。\n加快推进充电设施建设。\n"
    m = meta(text)
    assert m == {"title": None, "issuer": None, "doc_number": None, "date": None, "period": None, "jurisdiction": None, "admin_code": None, "level": None, "province": None}
    dated = "4月3日,某县发布节水方案。\n到2026年,节水10%。\n"  # a date without its year is no date
    assert meta(dated)["date"] is None


def test_a_site_name_opening_a_headline_is_not_a_place() -> None:
    """A county's short name opening a headline is most often a website's name."""
    text = "武义光伏网讯\n青海:2030年新能源装机规模达1亿千瓦\n到2030年,全省新能源装机达到1亿千瓦。\n"
    assert place(text) == ("青海省", "630000", "province")


# --- the hand check and its scoring ----------------------------------------------------------


def test_scoring_against_a_hand_check(tmp_path: Path) -> None:
    check = tmp_path / "jurisdictions.tsv"
    check.write_text(
        "doc_id\tjurisdiction\tadmin_code\tlevel\ttitle\tissuer\tdate\tnote\n"
        "a\t武义县\t330723\tcounty\tyes\tyes\tno\t\n"
        "b\t\t\t\tno\tno\tyes\tnothing named\n",
        "utf-8",
    )
    docs = [
        {"doc_id": "a", "admin_code": "330723", "level": "county", "title": "x", "issuer": None, "date": "2025-01-01"},
        {"doc_id": "b", "admin_code": "620700", "level": "city", "title": None, "issuer": None, "date": "2025-01-01"},
    ]
    r = score_places("s", read_check(check), docs)
    assert (r.plans, r.agree, r.agreement) == (2, 1, 0.5)
    assert r.share("title") == 1.0 and r.share("issuer") == 0.0 and r.share("date") == 1.0
    assert r.unstated_found == {"date": 1}
    bad = tmp_path / "bad" / "jurisdictions.tsv"
    bad.parent.mkdir()
    bad.write_text("doc_id\tjurisdiction\tadmin_code\tlevel\ttitle\tissuer\tdate\tnote\na\tx\t12345\tcity\tyes\tyes\tyes\t\n", "utf-8")
    with pytest.raises(InputError, match=r"jurisdictions.tsv:2: admin_code"):
        read_check(bad)


@pytest.mark.parametrize("name", ["dev", "dev2"])
def test_measured_agreement_floor(name: str, tmp_path: Path) -> None:
    """The figures the README reports, as floors: admin_code agrees with the hand check for
    at least 95 % of the plans, and title, issuer and date are found for at least 90 % of
    the plans whose text states them."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        write_dataset([CorpusSet(name, Path(f"corpus/{name}/raw"), Path(f"corpus/{name}/gold"))], tmp_path / "ds")
    finally:
        os.chdir(here)
    report = json.loads((tmp_path / "ds" / "evaluation.json").read_text("utf-8"))["metadata"][name]
    assert report["plans"] == len(read_check(ROOT / "corpus" / name / "jurisdictions.tsv"))
    assert report["admin_code_agreement"] >= 0.95
    for field in ("title", "issuer", "date"):
        counts = report["found_where_stated"][field]
        assert counts["found"] / counts["stated"] >= 0.90, field
    assert "## Plan metadata" in (tmp_path / "ds" / "evaluation.md").read_text("utf-8")
    # every row carries its plan's jurisdiction, in every format
    docs = {d["doc_id"]: d for d in map(json.loads, (tmp_path / "ds" / "documents.jsonl").read_text("utf-8").splitlines())}
    frame = load_dataset(tmp_path / "ds")
    assert "city" not in frame.columns
    for row in frame.itertuples():
        doc = docs[row.doc_id]
        assert (None if pd.isna(row.admin_code) else row.admin_code) == doc["admin_code"]
        assert (None if pd.isna(row.level) else row.level) == doc["level"]
    with open(tmp_path / "ds" / "targets.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["admin_code"] or None for r in rows] == [docs[r["doc_id"]]["admin_code"] for r in rows]
    summary = (tmp_path / "ds" / "summary.md").read_text("utf-8")
    assert "## Targets per level" in summary and "## Targets per province" in summary


def test_a_variant_that_t2s_keeps_is_read_as_the_name() -> None:
    """OpenCC writes 陝 as 陜; the province is still found in a traditional-script page."""
    assert place("近日,陝西省人民政府發布了《陝西省節水行動方案》。\n到2026年節水10%。\n") == ("陕西省", "610000", "province")


def test_the_gazetteer_kept_on_disk_between_runs_is_the_one_built(tmp_path, monkeypatch) -> None:
    """The parsed gazetteer is pickled in the cache folder and read back the same."""
    from policy_targets import rules
    from policy_targets.structure import gazetteer as gz

    monkeypatch.setenv(rules.CACHE_ENV, str(tmp_path))
    gz.gazetteer.cache_clear()
    try:
        first = gz.gazetteer()
        assert len(list(tmp_path.glob("gazetteer-*.pickle"))) == 1
        gz.gazetteer.cache_clear()
        again = gz.gazetteer()
        assert again is not first and again == first == gz._build()
    finally:
        gz.gazetteer.cache_clear()


def test_cities_starting_with_a_character_are_those_of_every_division_in_order() -> None:
    """The cities are looked up by their first character: the same divisions, in the same
    order, as reading every division, with and without a province."""
    g = gazetteer()
    cities = [d for d in g.by_code.values() if d.level == "city"]
    province = cities[0].province_code
    for char in {d.name[0] for d in cities[:40]} | {"", "之"}:
        for within in (None, province):
            expected = tuple(d for d in cities if d.name.startswith(char) and (within is None or d.province_code == within))
            assert g.cities_starting(char, within) == expected
    assert g.cities_starting(cities[0].name[0], None)  # the test reads cities that exist
