"""The review report in a real browser: Debian's headless Chromium, driven through Debian's
chromedriver by Selenium (an explicit driver path, so Selenium Manager downloads nothing),
opening the pages from disk.

Skipped only where Chromium is absent and CI is not set; under CI=true a missing browser
fails. Each test keeps a screenshot in its tmp folder; with REVIEW_SCREENSHOTS=DIR
(``make screenshots``) the README's pictures are written to DIR as well.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from policy_targets.review.site import write_review
from review_helpers import GOLD, write_inputs

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
)

#: Text of highlight ``id`` without the labels inside it, continuation pieces included.
TEXT_OF = """
const parts = [document.getElementById(arguments[0]), ...document.querySelectorAll('[data-part-of="' + arguments[0] + '"]')];
return parts.map(el => { const c = el.cloneNode(true); c.querySelectorAll('.lab').forEach(l => l.remove()); return c.textContent; }).join('');
"""


def _need_browser() -> None:
    missing = [p for p in (CHROMIUM, DRIVER) if not Path(p).is_file()]
    if importlib.util.find_spec("selenium") is None:
        missing.append("selenium (the test extra)")
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI: {', '.join(missing)} not installed (.ci/run installs chromium and chromium-driver)")
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="review-chromium-")
    for flag in FLAGS + (f"--user-data-dir={profile}",):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    plans, gold = write_inputs(tmp_path_factory.mktemp("inputs"))
    out = tmp_path_factory.mktemp("site") / "report"
    write_review([plans], out, [gold])
    return out


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "report"
    write_review([ROOT / "corpus" / "raw"], out, [ROOT / "corpus" / "gold"])
    return out


def _open(driver, page: Path) -> None:
    driver.get(page.as_uri())
    assert driver.execute_script("return document.readyState") == "complete"


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _squeeze(s: str) -> str:
    return "".join(s.split())


def _check_every_target_once(driver, page: Path, evidences: list[str]) -> None:
    _open(driver, page)
    heads = driver.execute_script("return [...document.querySelectorAll('mark.t[id^=p]')].map(m => m.id)")
    assert sorted(heads) == sorted(f"p{i}" for i in range(len(evidences))), "one highlight per target, no other"
    for i, evidence in enumerate(evidences):
        assert driver.execute_script("return document.querySelectorAll('[id=\"p%d\"]').length" % i) == 1
        assert _squeeze(driver.execute_script(TEXT_OF, f"p{i}")) == _squeeze(evidence), f"p{i} is not at its evidence"
    assert _console_errors(driver) == []


def test_every_target_of_a_plan_is_highlighted_once_at_its_evidence(browser, site: Path, tmp_path: Path) -> None:
    from policy_targets.api import extract

    from review_helpers import PLAN

    records = extract(PLAN, doc_id="demo-plan")
    assert len(records) == 8
    _check_every_target_once(browser, site / "plans" / "demo-plan.html", [r["evidence"] for r in records])
    # the two targets of the 分别 sentence share its evidence: two nested highlights
    shared = [i for i, r in enumerate(records) if r["indicator"] == "风电装机容量"]
    assert browser.execute_script("return document.querySelector('#p%d').contains(document.querySelector('#p%d'))" % (shared[1], shared[0]))
    browser.save_screenshot(str(tmp_path / "demo-plan.png"))
    assert (tmp_path / "demo-plan.png").stat().st_size > 10_000


def test_every_target_of_a_bundled_plan_is_highlighted_once(browser, corpus_site: Path, tmp_path: Path) -> None:
    import json

    rows = [json.loads(line) for line in (ROOT / "outputs" / "targets.jsonl").read_text("utf-8").splitlines()]
    evidences = [r["evidence"] for r in rows if r["doc_id"] == "weihai-pollution-carbon"]
    assert len(evidences) > 20
    _check_every_target_once(browser, corpus_site / "plans" / "weihai-pollution-carbon.html", evidences)
    browser.save_screenshot(str(tmp_path / "weihai.png"))


def test_missed_gold_appears_at_its_evidence_with_the_reason(browser, site: Path) -> None:
    _open(browser, site / "plans" / "demo-plan.html")
    missed = browser.find_elements("css selector", "mark.k-missed[id^=g]")
    assert len(missed) == 2
    texts = {_squeeze(browser.execute_script(TEXT_OF, m.get_attribute("id"))) for m in missed}
    assert texts == {_squeeze(GOLD[5]["evidence"]), _squeeze(GOLD[7]["evidence"])}
    labels = " ".join(browser.execute_script("return arguments[0].nextElementSibling.textContent", m) for m in missed)
    assert "MISSED gold: 风光基地" in labels and "left out by scale_class" in labels and "year 2027 ≠ gold 2030" in labels
    assert all(m.is_displayed() for m in missed)
    assert _console_errors(browser) == []


def _visible_kinds(driver) -> list[str]:
    return sorted(r.get_attribute("data-kind") for r in driver.find_elements("css selector", "table.records tbody tr") if r.is_displayed())


def test_filters_hide_and_show_the_right_rows(browser, site: Path, tmp_path: Path) -> None:
    _open(browser, site / "records.html")
    everything = _visible_kinds(browser)
    assert everything == sorted(["matched"] * 4 + ["wrong"] * 2 + ["spurious"] * 2 + ["missed"] * 2 + ["unscored"])
    browser.find_element("css selector", "input[name=kind][value=matched]").click()
    assert _visible_kinds(browser) == [k for k in everything if k != "matched"]
    assert "7 of 11 records shown" in browser.find_element("id", "shown").text
    browser.find_element("css selector", "input[name=kind][value=matched]").click()
    assert _visible_kinds(browser) == everything
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("css selector", "select[name=year]")).select_by_value("2030")
    years = {r.find_elements("tag name", "td")[6].text for r in browser.find_elements("css selector", "table.records tbody tr") if r.is_displayed()}
    assert years == {"2030"}
    assert len(_visible_kinds(browser)) == 2  # 单位工业增加值能耗 (matched) and the missed 8 个
    Select(browser.find_element("css selector", "select[name=year]")).select_by_value("")
    Select(browser.find_element("css selector", "select[name=plan]")).select_by_value("other-plan")
    assert _visible_kinds(browser) == ["unscored"]
    Select(browser.find_element("css selector", "select[name=plan]")).select_by_value("")
    category = browser.execute_script("return document.querySelector('tr[data-kind=spurious]').dataset.category")
    Select(browser.find_element("css selector", "select[name=category]")).select_by_value(category)
    shown = [r for r in browser.find_elements("css selector", "table.records tbody tr") if r.is_displayed()]
    assert shown and all(r.get_attribute("data-category") == category for r in shown)
    browser.save_screenshot(str(tmp_path / "records.png"))
    assert _console_errors(browser) == []


def test_plan_filters_unhighlight_marks_and_numbers_show_on_demand(browser, site: Path) -> None:
    _open(browser, site / "plans" / "demo-plan.html")
    spurious = browser.find_elements("css selector", "mark.k-spurious[id]")
    assert len(spurious) == 2
    label = spurious[0].find_element("xpath", "following-sibling::span[1]")
    assert label.is_displayed() and "spurious" in label.text
    browser.find_element("css selector", "input[name=kind][value=spurious]").click()
    assert "filtered" in spurious[0].get_attribute("class") and not label.is_displayed()
    assert browser.find_element("css selector", "mark.k-matched[id]").get_attribute("class").count("filtered") == 0
    reason = browser.find_element("css selector", "span.num + .lab")
    assert not reason.is_displayed()
    browser.find_element("id", "show-numbers").click()
    assert reason.is_displayed() and "scale_class" in reason.text
    assert _console_errors(browser) == []


def test_plan_text_cannot_run_script(browser, site: Path) -> None:
    _open(browser, site / "plans" / "demo-plan.html")
    assert browser.title == "某市节能降碳行动方案"
    assert "<script>document.title='pwned'</script>" in browser.find_element("css selector", "article.text").text
    assert len(browser.find_elements("css selector", "article script")) == 0


def test_index_sorts_and_has_totals(browser, corpus_site: Path) -> None:
    _open(browser, corpus_site / "index.html")
    header = browser.find_element("xpath", "//table[@id='plans']/thead//th[text()='targets']")
    column = [th.text for th in browser.find_elements("css selector", "#plans thead th")].index("targets")
    header.click()
    counts = [int(r.find_elements("tag name", "td")[column].text) for r in browser.find_elements("css selector", "#plans tbody tr")]
    assert counts == sorted(counts) and len(counts) == 5
    header.click()
    counts = [int(r.find_elements("tag name", "td")[column].text) for r in browser.find_elements("css selector", "#plans tbody tr")]
    assert counts == sorted(counts, reverse=True)
    total = browser.find_element("css selector", "#plans tfoot td.num").text
    assert int(total) == sum(counts)
    assert len(browser.find_elements("css selector", "figure.chart svg")) == 4  # years, categories, F1, catalogue entries
    entries = browser.find_elements("css selector", "#entries tbody tr")
    assert entries and all(r.find_element("tag name", "code").text for r in entries)
    sorter = browser.find_element("xpath", "//table[@id='entries']/thead//th[text()='plans']")
    sorter.click()
    plans = [int(r.find_elements("tag name", "td")[3].text) for r in browser.find_elements("css selector", "#entries tbody tr")]
    assert plans == sorted(plans)
    assert _console_errors(browser) == []


def test_index_filters_plans_by_level_and_province(browser, tmp_path: Path) -> None:
    """Plans of my own at three levels in two provinces: the level and province selects of
    the index hide the others."""
    from selenium.webdriver.support.ui import Select

    raw = tmp_path / "raw"
    raw.mkdir()
    plans = {
        "county": "武义县人民政府关于印发武义县节能方案的通知\n一、目标\n到2027年,全县光伏装机达到30万千瓦。\n",
        "city": "张掖市人民政府关于印发张掖市节能方案的通知\n一、目标\n到2027年,全市光伏装机达到300万千瓦。\n",
        "nation": "自然资源部、水利部关于印发《全国节水规划》的通知\n一、目标\n到2030年,全国节水达到100亿立方米。\n",
    }
    for name, text in plans.items():
        (raw / f"{name}.txt").write_text(text, "utf-8")
    write_review([raw], tmp_path / "site")
    _open(browser, tmp_path / "site" / "index.html")

    def shown() -> list[str]:
        return sorted(r.find_element("tag name", "a").text for r in browser.find_elements("css selector", "#plans tbody tr") if r.is_displayed())

    assert shown() == ["city", "county", "nation"]
    Select(browser.find_element("css selector", "#plan-filters select[name=level]")).select_by_value("county")
    assert shown() == ["county"]
    Select(browser.find_element("css selector", "#plan-filters select[name=level]")).select_by_value("")
    Select(browser.find_element("css selector", "#plan-filters select[name=province]")).select_by_value("甘肃省")
    assert shown() == ["city"]
    assert browser.find_element("id", "plans-shown").text == "1 of 3 plans shown"
    assert _console_errors(browser) == []


def test_screenshots(browser, corpus_site: Path, tmp_path: Path, monkeypatch) -> None:
    """The index of the bundled corpus and a dev-set plan with every kind of error, as a
    reader sees them; also the README's pictures with REVIEW_SCREENSHOTS=docs."""
    target = os.environ.get("REVIEW_SCREENSHOTS")
    monkeypatch.chdir(ROOT)  # the page shows the file as named: keep it relative
    dev = Path("corpus", "dev")
    write_review([dev / "raw" / "chongqing-industry-carbon-peak-a.txt"], tmp_path / "dev", [dev / "gold"])
    shots = {"review-index.png": corpus_site / "index.html", "review-plan.png": tmp_path / "dev" / "plans" / "chongqing-industry-carbon-peak-a.html"}
    for name, page in shots.items():
        _open(browser, page)
        browser.save_screenshot(str(tmp_path / name))
        assert (tmp_path / name).stat().st_size > 20_000
        if target:
            shutil.copyfile(tmp_path / name, ROOT / target / name)
    assert _console_errors(browser) == []


def test_the_flag_filter_shows_flagged_or_unflagged_records(browser, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import Select

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "demo.txt").write_text("到2027年,全县森林覆盖率达到45%。\n到2027年,全县农村污水处理设施运行率达到120%。\n", "utf-8")
    write_review([plans], tmp_path / "report")
    _open(browser, tmp_path / "report" / "records.html")

    def shown() -> list[str]:
        rows = browser.find_elements("css selector", "table.records tbody tr")
        return sorted(r.get_attribute("data-flags") for r in rows if r.is_displayed())

    assert shown() == ["", "share_over_100"]
    flag = Select(browser.find_element("css selector", "select[name=flag]"))
    flag.select_by_value("*")
    assert shown() == ["share_over_100"]
    flag.select_by_value("-")
    assert shown() == [""]
    flag.select_by_value("share_over_100")
    assert shown() == ["share_over_100"] and "1 of 2 records shown" in browser.find_element("id", "shown").text


def test_links_open_the_pages_of_plans_with_any_name(browser, tmp_path: Path) -> None:
    """Clicking each plan of the index, and each record of the records page, opens that
    plan's page, for plans named in Chinese, with a space, in a sub-folder or in capitals."""
    from review_helpers import AWKWARD_NAMES, write_awkward

    out = tmp_path / "report"
    write_review([write_awkward(tmp_path)], out)
    ids = sorted(str(Path(n).with_suffix("")) for n in AWKWARD_NAMES)
    for listing, selector in (("index.html", "#plans tbody tr td:first-child a"), ("records.html", "table.records tbody tr td:first-child a")):
        _open(browser, out / listing)
        names = [a.text for a in browser.find_elements("css selector", selector)]
        assert sorted(names) == ids, listing
        for i, name in enumerate(names):
            _open(browser, out / listing)
            browser.find_elements("css selector", selector)[i].click()
            assert browser.execute_script("return document.readyState") == "complete"
            assert browser.current_url.startswith((out / "plans").as_uri() + "/"), browser.current_url
            assert browser.find_element("css selector", "article.text").text.startswith("某县清洁取暖工作方案"), name
            assert name in browser.find_element("tag name", "body").text
    assert _console_errors(browser) == []
