"""Each reader on its own: file type by content, web-page charsets and chrome, Word list
numbering, PDF margins and scans, LibreOffice for .doc/.wps, and named errors for the rest."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

import formats_fixtures as ff
from policy_targets.api import extract_document
from policy_targets.errors import InputError
from policy_targets.formats import extract_bytes, read_source
from policy_targets.formats.docx import NUMBER_FORMATS
from policy_targets.formats.extracted import LocationMap
from policy_targets.structure.documents import load_document

SPEC = ff.load_spec()


def _error(data: bytes, name: str) -> InputError:
    with pytest.raises(InputError) as info:
        extract_bytes(data, name)
    assert info.value.path == name
    return info.value


# --- the file type is read from the content --------------------------------------------------


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path: Path) -> None:
    pdf = ff.write_pdf(SPEC, tmp_path / "plan.pdf")
    disguised = tmp_path / "plan.txt"
    disguised.write_bytes(pdf.read_bytes())
    assert read_source(disguised).text == read_source(pdf).text
    assert "一、主要目标" in read_source(disguised).text


def test_a_word_file_named_txt_is_read_as_word(tmp_path: Path) -> None:
    docx = ff.write_docx(SPEC, tmp_path / "plan.docx")
    assert "（一）推进重点行业节能改造" in extract_bytes(docx.read_bytes(), "plan.txt").text


def test_a_saved_page_named_txt_is_read_as_a_page() -> None:
    text = extract_bytes(ff.html_page(SPEC, "gbk").encode("gb18030"), "notice.txt").text
    assert "三、保障措施" in text and "网站标识码" not in text and "<p" not in text


def test_text_that_starts_with_a_tag_is_still_text() -> None:
    assert extract_bytes("<附件1>\n到2025年，新增公共充电桩2000个。\n".encode("utf-8"), "plan.txt").text.startswith("<附件1>")


@pytest.mark.parametrize(
    "data,what",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "this is a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300), "this is a JPEG image"),
        (b"GIF89a" + bytes(300), "this is a GIF image"),
        (b"\x1f\x8b\x08\x00" + bytes(300), "this is a gzip archive"),
        (b"{\\rtf1\\ansi\\ansicpg936 plan}", "this is an RTF document"),
        (b"\x7fELF\x02\x01\x01" + bytes(300), "this is an executable"),
    ],
    ids=["png", "jpeg", "gif", "gzip", "rtf", "elf"],
)
def test_other_file_types_are_named(data: bytes, what: str) -> None:
    error = _error(data, "plan.txt")
    assert error.kind == "unsupported" and error.message.startswith(what)
    assert str(error).startswith("plan.txt: this is")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "members,what",
    [
        ({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}, "OFD"),
        ({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}, "Excel"),
        ({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, "OpenDocument"),
        ({"plan.txt": "到2025年".encode()}, "ZIP archive"),
    ],
    ids=["ofd", "xlsx", "odt", "zip"],
)
def test_zip_containers_are_told_apart(members: dict[str, bytes], what: str) -> None:
    error = _error(_zip(members), "plan.ofd")
    assert error.kind == "unsupported" and what in error.message


def test_ofd_error_says_what_to_do() -> None:
    error = _error(_zip({"OFD.xml": b"<ofd:OFD/>"}), "notice.ofd")
    assert "PDF" in error.message


def test_a_damaged_word_file_and_a_damaged_pdf_are_named() -> None:
    assert _error(b"PK\x03\x04" + bytes(100), "plan.docx").kind == "corrupt"
    assert _error(b"%PDF-1.4\nthis is no PDF at all\n", "plan.pdf").kind == "corrupt"


def test_plain_text_still_reads_as_before() -> None:
    text = "到2026年，城市生活垃圾资源化利用率达到65%。\n"
    for data in (text.encode("utf-8"), text.encode("gb18030"), text.encode("utf-16")):
        source = extract_bytes(data, "plan.txt")
        assert source.text == text and source.locations == LocationMap()


# --- web pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("charset,encoding", [("gbk", "gb18030"), ("gb2312", "gb18030"), ("utf-8", "utf-8")])
def test_the_page_charset_is_read_from_the_meta_tag(charset: str, encoding: str) -> None:
    page = ff.html_page(SPEC, charset).encode(encoding)
    assert "江洲市工业领域节能降碳行动方案" in extract_bytes(page, "page.html").text


def test_a_page_without_a_charset_is_detected() -> None:
    page = ff.html_page(SPEC, "gbk").replace('<meta http-equiv="Content-Type" content="text/html; charset=gbk" />', "")
    assert "charset" not in page
    text = extract_bytes(page.encode("gb18030"), "page.htm").text
    assert "（二）提升资源循环利用水平" in text


def test_a_page_keeps_every_paragraph_of_the_plan_and_none_of_the_site() -> None:
    """A page built like a county site's notice page, different from the fixture's: the plan
    in <div> paragraphs and <br> lines, a side column, a 信息公开 info box, a footer."""
    paragraphs = [
        "临港区推进清洁取暖实施方案",
        "一、工作目标",
        "到2026年，全区清洁取暖率达到95%以上，城区集中供热普及率达到98%。",
        "二、主要任务",
        "（一）扩大集中供热覆盖范围。新建改造供热管网80公里，新增集中供热面积300万平方米。",
        "（二）推进农村清洁取暖。每年完成农村清洁取暖改造5000户以上。",
        "三、保障措施",
        "区财政每年安排专项资金，支持清洁取暖改造。",
    ]
    body = "<div>" + paragraphs[0] + "</div>" + "".join(f"<div>{p}</div>" for p in paragraphs[1:4]) + "<p>" + "<br/>".join(paragraphs[4:6]) + "</p>" + "".join(f"<p>{p}</p>" for p in paragraphs[6:])
    page = f"""<html><head><meta charset="utf-8"><title>临港区推进清洁取暖实施方案-临港区人民政府</title></head><body>
    <header><a href="/">网站首页</a> <a href="/xxgk/">信息公开</a> <a href="/bsfw/">办事服务</a> <a href="/hdjl/">互动交流</a></header>
    <nav class="crumb">您所在的位置：首页 &gt; 信息公开 &gt; 规范性文件</nav>
    <aside><h3>热点专题</h3><ul><li><a href="/zt1">优化营商环境专题</a></li><li><a href="/zt2">乡村振兴专题</a></li></ul></aside>
    <article><div class="content">{body}</div></article>
    <div class="bdsharebuttonbox">分享：微信 微博</div>
    <footer>版权所有：临港区人民政府办公室 网站标识码：3702110001 ICP备案号：临ICP备11000001号</footer>
    <script>window.onload=function(){{console.log("访问统计")}}</script></body></html>"""
    text = extract_bytes(page.encode("utf-8"), "notice.shtml").text
    lines = text.splitlines()
    positions = [lines.index(p) for p in paragraphs]
    assert positions == sorted(positions)
    for chrome in ("网站首页", "您所在的位置", "优化营商环境专题", "分享", "网站标识码", "ICP备", "访问统计"):
        assert chrome not in text, chrome


def test_html_merged_cells_are_repeated_across_rows_and_columns() -> None:
    page = """<html><head><meta charset="utf-8"></head><body><div id="content">
    <p>到2025年，全区主要污染物减排任务全面完成，生态环境质量持续改善，具体指标如下表。</p>
    <table><thead><tr><th rowspan="2">类别</th><th rowspan="2">指标</th><th colspan="2">目标值</th></tr>
    <tr><th>2022年</th><th>2025年</th></tr></thead>
    <tbody><tr><td rowspan="2">大气</td><td>细颗粒物浓度（微克/立方米）</td><td>38</td><td>33</td></tr>
    <tr><td>优良天数比例（%）</td><td>78</td><td>82</td></tr></tbody></table>
    <p>各部门要按照职责分工，加强协调配合，确保各项指标按期完成，并定期报送工作进展情况。</p>
    </div></body></html>"""
    lines = extract_bytes(page.encode("utf-8"), "t.html").text.splitlines()
    assert "类别 | 指标 | 目标值 | 目标值" in lines
    assert "类别 | 指标 | 2022年 | 2025年" in lines
    assert "大气 | 细颗粒物浓度（微克/立方米） | 38 | 33" in lines
    assert "大气 | 优良天数比例（%） | 78 | 82" in lines


def test_a_page_with_no_article_is_a_named_error() -> None:
    """A page whose text a script fills in (saved before it ran) holds no plan."""
    page = b"<html><head><meta charset='utf-8'></head><body><div id='app'></div><script>render('#app')</script></body></html>"
    error = _error(page, "empty.html")
    assert error.kind == "empty"


# --- Word -------------------------------------------------------------------------------------


def test_word_numbering_restarts_under_a_new_higher_item(tmp_path: Path) -> None:
    spec = {"blocks": [
        {"level": 1, "text": "发展目标"}, {"level": 2, "text": "能源结构"}, {"level": 2, "text": "产业结构"},
        {"level": 3, "text": "工业"}, {"level": 3, "text": "服务业"}, {"level": 1, "text": "重点工程"},
        {"level": 2, "text": "交通工程"}, {"text": "不编号的说明段落。"}, {"level": 3, "text": "公路"},
    ]}
    text = read_source(ff.write_docx(spec, tmp_path / "n.docx")).text
    assert text.splitlines() == [
        "一、发展目标", "（一）能源结构", "（二）产业结构", "1.工业", "2.服务业",
        "二、重点工程", "（一）交通工程", "不编号的说明段落。", "1.公路",
    ]


def test_word_lists_sharing_a_definition_count_on_unless_restarted(tmp_path: Path) -> None:
    """Two list instances of one abstract definition continue each other; an instance with a
    start override ("Restart numbering") starts again."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.find(qn("w:num")).addprevious(parse_xml(ff._NUMBERING))
    first, second = numbering.add_num(90), numbering.add_num(90)
    restarted = numbering.add_num(90)
    override = restarted.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)

    def numbered(text: str, num) -> None:
        num_pr = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId

    numbered("总体要求", first)
    numbered("主要目标", second)
    numbered("附则", restarted)
    document.save(tmp_path / "lists.docx")
    assert read_source(tmp_path / "lists.docx").text.splitlines() == ["一、总体要求", "二、主要目标", "一、附则"]


def test_word_numbering_given_by_a_paragraph_style(tmp_path: Path) -> None:
    """Numbering that comes from the style (Word's built-in List Number), not the paragraph."""
    import docx

    document = docx.Document()
    document.add_paragraph("基本原则")
    document.add_paragraph("坚持系统推进，统筹产业结构调整。", style="List Number")
    document.add_paragraph("坚持创新驱动，强化技术支撑。", style="List Number")
    document.save(tmp_path / "styled.docx")
    assert read_source(tmp_path / "styled.docx").text.splitlines() == ["基本原则", "1.坚持系统推进，统筹产业结构调整。", "2.坚持创新驱动，强化技术支撑。"]


def test_word_header_and_footer_are_not_body_text(tmp_path: Path) -> None:
    text = read_source(ff.write_docx(SPEC, tmp_path / "plan.docx")).text
    assert "江洲市人民政府文件" not in text and "印发" not in text.splitlines()[-1]


@pytest.mark.parametrize(
    "fmt,n,label",
    [("chineseCounting", 11, "十一"), ("chineseCountingThousand", 20, "二十"), ("taiwaneseCountingThousand", 3, "三"),
     ("ideographDigital", 10, "一〇"), ("decimalEnclosedCircle", 4, "④"), ("upperRoman", 9, "IX"), ("lowerLetter", 27, "aa"),
     ("ideographTraditional", 2, "乙"), ("decimalFullWidth", 12, "１２")],
)
def test_word_number_formats(fmt: str, n: int, label: str) -> None:
    assert NUMBER_FORMATS[fmt](n) == label


# --- PDF --------------------------------------------------------------------------------------


def test_a_pdf_without_a_text_layer_is_a_named_error(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    for _ in range(2):  # two "scanned" pages: only pictures, no characters
        c.rect(72, 72, 400, 600, fill=1)
        c.showPage()
    c.save()
    error = _error(path.read_bytes(), "scan.pdf")
    assert error.kind == "scanned" and "no text layer" in error.message and "OCR" in error.message


def test_a_password_protected_pdf_is_a_named_error(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 700, "locked")
    c.save()
    assert _error(path.read_bytes(), "locked.pdf").kind == "encrypted"


def test_pdf_running_lines_go_but_a_plan_line_near_the_edge_stays(tmp_path: Path) -> None:
    """A line in the bottom band that occurs once is plan text, not a footer."""
    spec = {"blocks": [{"text": "到2025年，全市新增公共充电桩2000个以上。"}] * 40 + [{"text": "到2027年，公交车全部更换为新能源汽车。"}]}
    text = read_source(ff.write_pdf(spec, tmp_path / "long.pdf")).text
    assert "到2027年，公交车全部更换为新能源汽车。" in text.replace("\n", "")
    assert ff.RUNNING_HEADER not in text and ff.RUNNING_FOOTER not in text and "—" not in text


def test_a_sentence_across_a_page_break_is_one_paragraph(tmp_path: Path) -> None:
    filler = [{"text": "坚持节约优先、效率为先，持续深化重点领域节能，推动能源消费方式绿色转型。"}] * 26
    spec = {"blocks": filler + [{"text": "到2025年，全市城镇新建建筑全面执行绿色建筑标准，星级绿色建筑占比达到30%以上，既有建筑节能改造面积累计达到200万平方米。"}]}
    document = load_document(ff.write_pdf(spec, tmp_path / "wrap.pdf"))
    source = read_source(tmp_path / "wrap.pdf")
    assert {"page 1", "page 2"} <= set(source.locations.labels)
    records = extract_document(document)
    assert [(r["value"], r["unit"], r["target_year"]) for r in records] == [(30, "%", 2025), (200, "万平方米", 2025)]


def test_an_unruled_pdf_table_gives_columns_that_the_table_reader_takes(tmp_path: Path) -> None:
    """A table set without lines has no grid to find: its column gaps become two spaces, which
    the table reader of the structure stage reads as cell gaps."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    rows = [["指标", "2020年", "2025年", "属性"], ["城市污水处理率（%）", "95", "98", "约束性"], ["森林覆盖率（%）", "30", "32", "预期性"]]
    table = Table(rows, colWidths=[180, 70, 70, 70])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light")]))
    path = tmp_path / "unruled.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph("表1 主要指标", style), table, Paragraph("各地要对照上表抓好落实。", style)])
    assert "城市污水处理率（%）  95  98  约束性" in read_source(path).text.splitlines()
    got = [(r["indicator"], r["value"], r["target_year"], r["binding"]) for r in extract_document(load_document(path))]
    assert got == [("城市污水处理率", 98, 2025, "binding"), ("森林覆盖率", 32, 2025, "expected")]


# --- .doc and .wps through LibreOffice ----------------------------------------------------------


@pytest.fixture(scope="module")
def legacy_word(tmp_path_factory) -> Path:
    """The fixture plan saved as Word 97 by LibreOffice itself (the test makes it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing under CI: .ci/run must install libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) not installed")
    folder = tmp_path_factory.mktemp("legacy")
    docx = ff.write_docx(SPEC, folder / "plan.docx")
    subprocess.run(
        [soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--convert-to", "doc", "--outdir", str(folder / "out"), str(docx)],
        check=True, capture_output=True, timeout=180,
    )
    return folder / "out" / "plan.doc"


def test_doc_and_wps_give_the_records_of_the_docx(legacy_word: Path, tmp_path: Path) -> None:
    wps = tmp_path / "plan.wps"  # WPS writes the same OLE2 Word container
    wps.write_bytes(legacy_word.read_bytes())
    want = [(r["indicator"], r["value"], r["unit"], r["target_year"], r["responsible_units"]) for r in extract_document(load_document(legacy_word.parent.parent / "plan.docx"))]
    for path in (legacy_word, wps):
        got = [(r["indicator"], r["value"], r["unit"], r["target_year"], r["responsible_units"]) for r in extract_document(load_document(path))]
        assert got == want and len(got) == len(SPEC["expected"]), path.name


def test_without_libreoffice_a_doc_is_a_named_error(monkeypatch) -> None:
    from policy_targets.formats import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    error = _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.doc")
    assert error.kind == "converter_missing" and "libreoffice" in error.message.lower()


def test_a_spreadsheet_in_the_old_container_is_refused_by_name() -> None:
    assert _error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "table.xls").kind == "unsupported"


def test_rows_of_a_table_without_years_stay_rows(tmp_path: Path) -> None:
    """A task table (no target-year column, so no indicator table) read from Word: each row
    stays a line of its own, never a hard wrap of the row above."""
    import docx

    document = docx.Document()
    document.add_paragraph("附件 重点任务分工")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "重点任务", "责任单位"], ["1", "建设分布式光伏项目", "市能源局"], ["2", "推广新能源公交车", "市交通运输局"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(tmp_path / "tasks.docx")
    lines = load_document(tmp_path / "tasks.docx").text.splitlines()
    assert [line.replace(" ", "") for line in lines[1:]] == ["序号|重点任务|责任单位", "1|建设分布式光伏项目|市能源局", "2|推广新能源公交车|市交通运输局"]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
@pytest.mark.parametrize("suffix", [".html", ".htm", ".shtml"])
def test_a_plain_text_plan_saved_as_a_page_is_read_as_text(tmp_path: Path, encoding: str, suffix: str) -> None:
    text = "某区绿色出行行动方案\n\n一、目标\n到2026年，全区公共交通出行分担率达到60%，新增公共充电桩<500个以上>。\n"
    path = tmp_path / f"notice{suffix}"
    path.write_bytes(text.encode(encoding))
    source = read_source(path)
    assert source.text == text and source.locations == LocationMap()
    assert [(r["value"], r["unit"]) for r in extract_document(load_document(path))][:1] == [(60, "%")]


# --- short web pages (issue 20) ------------------------------------------------------------------


def _site_page(title: str, content: str) -> bytes:
    """A county site's notice page around ``content``: breadcrumbs, a nav bar and a footer."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_某县人民政府</title></head><body>
    <div class="nav"><a href="/">网站首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a> | <a href="/hdjl/">互动交流</a></div>
    <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 通知公告</div>
    <div class="content">{content}</div>
    <div class="footer">主办单位：某县人民政府办公室 网站标识码：1234560001 备案号：某ICP备12345678号</div>
    </body></html>""".encode("utf-8")


def _records_of(tmp_path: Path, data: bytes) -> list[dict]:
    path = tmp_path / "notice.html"
    path.write_bytes(data)
    return extract_document(load_document(path))


def test_a_short_notice_page_gives_its_target_sentence(tmp_path: Path) -> None:
    sentence = "到2026年，全县新能源公交车占比达到90%，新建公共充电桩400个。"
    page = _site_page("关于推广新能源公交车的通知", f"<p>{sentence}</p>")
    lines = extract_bytes(page, "notice.html").text.splitlines()
    assert sentence in lines
    assert not any(chrome in "".join(lines) for chrome in ("网站首页", "当前位置", "网站标识码"))
    assert [(r["value"], r["unit"]) for r in _records_of(tmp_path, page)] == [(90, "%"), (400, "个")]


def test_a_page_holding_only_an_indicator_table_keeps_its_cells(tmp_path: Path) -> None:
    table = (
        "<table><tr><td>指标名称</td><td>2020年</td><td>2025年</td><td>属性</td></tr>"
        "<tr><td>城市污水处理率（%）</td><td>95</td><td>98</td><td>约束性</td></tr>"
        "<tr><td>农村生活垃圾收运覆盖率（%）</td><td>88</td><td>100</td><td>预期性</td></tr></table>"
    )
    page = _site_page("某县“十四五”环境基础设施主要指标", table)
    lines = extract_bytes(page, "notice.html").text.splitlines()
    assert "城市污水处理率（%） | 95 | 98 | 约束性" in lines and "指标名称 | 2020年 | 2025年 | 属性" in lines
    found = {(r["indicator"], r["value"], r["target_year"]) for r in _records_of(tmp_path, page)}
    assert found == {("城市污水处理率", 98, 2025), ("农村生活垃圾收运覆盖率", 100, 2025)}


def test_an_article_of_br_lines_keeps_its_lines() -> None:
    lines = ["某县节水型社会建设方案", "一、目标", "到2027年，全县万元工业增加值用水量下降12%，农田灌溉水有效利用系数达到0.6。", "二、任务", "推进灌区节水改造，新增高效节水灌溉面积3万亩。"]
    text = extract_bytes(_site_page("某县节水型社会建设方案", "<br/>".join(lines) + "<br/>" + "各乡镇要加强组织领导，压实工作责任。" * 8), "p.html").text
    assert all(line in text.splitlines() for line in lines[1:]), text


def test_a_page_with_nothing_left_after_its_debris_is_a_named_error(tmp_path: Path) -> None:
    path = tmp_path / "crumbs.html"
    path.write_bytes(_site_page("通知公告", "<p>当前位置：首页 &gt; 通知公告</p><p>责任编辑：某某</p>"))
    with pytest.raises(InputError) as info:
        load_document(path)
    assert info.value.kind == "empty" and not info.value.warning and str(info.value).startswith(f"{path}: ")
