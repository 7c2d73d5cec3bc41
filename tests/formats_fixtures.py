"""Writers of one plan spec (``tests/data/formats-plan.yaml``) as .txt, .html, .docx and .pdf.

The files are made here, never downloaded: Word through python-docx with real Word list
numbering (the numbers are not in the characters), PDF through reportlab with the CID font
STSong-Light (no font file needed), HTML shaped like a government page in GBK. The benchmark
uses the same writers, with the body repeated, to time each reader.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import cn2an
import yaml

SPEC_FILE = Path(__file__).parent / "data" / "formats-plan.yaml"
#: The markers that Word numbering generates at each level (typed in the other formats).
MARKERS = {1: "{}、", 2: "（{}）", 3: "{}."}


def load_spec(path: Path = SPEC_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text("utf-8"))


def repeated(spec: dict[str, Any], times: int) -> dict[str, Any]:
    """The spec with its blocks after the title repeated (a longer plan for timing)."""
    out = copy.deepcopy(spec)
    head, body = out["blocks"][:7], out["blocks"][7:]
    out["blocks"] = head + [copy.deepcopy(b) for _ in range(times) for b in body]
    return out


def typed_paragraphs(spec: dict[str, Any]) -> list[str | list[list[str]]]:
    """The blocks as typed text: headings with their markers, tables as row lists."""
    counters = {1: 0, 2: 0, 3: 0}
    out: list[str | list[list[str]]] = []
    for block in spec["blocks"]:
        if "level" in block:
            level = block["level"]
            counters[level] += 1
            for deeper in range(level + 1, 4):
                counters[deeper] = 0
            n = counters[level]
            out.append(MARKERS[level].format(cn2an.an2cn(n) if level < 3 else n) + block["text"])
        elif "text" in block:
            out.append(block["text"])
        elif "table" in block:
            out.append(merged_rows(block["table"]))
    return out


def merged_rows(table: dict[str, Any]) -> list[list[str]]:
    """Rows with each merged cell's text in every position it covers: what every reader
    must give for the table."""
    rows = [list(r) for r in table["rows"]]
    for (r0, c0), (r1, c1) in table.get("merge", []):
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                rows[r][c] = table["rows"][r0][c0]
    return rows


def write_txt(spec: dict[str, Any], path: Path) -> Path:
    lines = []
    for block in typed_paragraphs(spec):
        lines += [" | ".join(row) for row in block] if isinstance(block, list) else [block]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


# --- HTML ------------------------------------------------------------------------------------

#: A county-government page: nav bar, crumbs, info box, share bar, related links, footer with
#: the site's registration numbers, scripts. None of it may reach the text.
PAGE_CHROME = {
    "nav": ["首页", "走进江洲", "政务公开", "政务服务", "互动交流", "专题专栏"],
    "crumbs": "当前位置：首页 > 政务公开 > 政府文件 > 市政府文件",
    "share": "分享到：微信 微博 QQ空间 【字体：大 中 小】 【打印本页】 【关闭窗口】",
    "related": ["江洲市召开全市工业节能工作推进会", "我市举办绿色制造专题培训班"],
    "footer": "主办单位：江洲市人民政府办公室 地址：江洲市人民路1号 网站标识码：3699000012 江ICP备12003456号-1 江公网安备 36990002000123号",
}


def html_page(spec: dict[str, Any], charset: str = "gbk") -> str:
    blocks = typed_paragraphs(spec)
    headline, rest = blocks[0], blocks[1:]
    body = []
    tables = iter(b["table"] for b in spec["blocks"] if "table" in b)
    for block in rest:
        if isinstance(block, list):
            body.append(_html_table(next(tables)))
        else:
            body.append(f'<p style="text-indent:2em;">&nbsp;&nbsp;{_esc(block)}</p>')
    nav = "".join(f'<li><a href="/col{i}/">{n}</a></li>' for i, n in enumerate(PAGE_CHROME["nav"]))
    related = "".join(f'<li><a href="/art{i}.html">{t}</a></li>' for i, t in enumerate(PAGE_CHROME["related"]))
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}" />
<title>{_esc(headline)}_江洲市人民政府</title>
<link rel="stylesheet" href="/css/main.css" />
<script type="text/javascript">var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div class="top"><div class="logo"><img src="/images/logo.png" alt="江洲市人民政府" /></div>
<ul class="nav">{nav}</ul></div>
<div class="crumbs">{_esc(PAGE_CHROME['crumbs'])}</div>
<div class="main">
<div class="article">
<h1 class="title">{_esc(headline)}</h1>
<div class="info">发布时间：2024-05-22 09:30 来源：市政府办公室 浏览次数：1024</div>
<div class="share">{_esc(PAGE_CHROME['share'])}</div>
<div class="TRS_Editor" id="zoom">
{chr(10).join(body)}
</div>
<div class="attach">附件：<a href="/files/plan.docx">江洲市工业领域节能降碳行动方案.docx</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>
</div>
<div class="footer"><p>{_esc(PAGE_CHROME['footer'])}</p><p>建议使用1920×1080分辨率浏览本站</p></div>
<script type="text/javascript">document.getElementById("zoom").style.fontSize = "16px";</script>
</body>
</html>
"""


def _html_table(table: dict[str, Any]) -> str:
    covered = set()
    spans = {}
    for (r0, c0), (r1, c1) in table.get("merge", []):
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    rows = []
    for r, row in enumerate(table["rows"]):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<td{attrs}><p>{_esc(text)}</p></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="0"><tbody>' + "".join(rows) + "</tbody></table>"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_html(spec: dict[str, Any], path: Path, charset: str = "gbk") -> Path:
    path.write_bytes(html_page(spec, charset).encode("gb18030" if charset.lower() in ("gbk", "gb2312") else charset))
    return path


# --- Word -------------------------------------------------------------------------------------

_NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>"""


def write_docx(spec: dict[str, Any], path: Path) -> Path:
    """Headings numbered by Word (a multilevel list: 一、 / （一） / 1.), the indicator table
    with merged cells, a page header and footer that are not body text."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = parse_xml(_NUMBERING)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # abstractNum elements precede num elements
    else:
        numbering.append(abstract)
    num = numbering.add_num(90)
    section = document.sections[0]
    section.header.paragraphs[0].text = "江洲市人民政府文件"
    section.footer.paragraphs[0].text = "江洲市人民政府办公室印发"
    for block in spec["blocks"]:
        if "level" in block:
            p = document.add_paragraph(block["text"])
            num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = block["level"] - 1
            num_pr.get_or_add_numId().val = num.numId
        elif "text" in block:
            document.add_paragraph(block["text"])
        elif "table" in block:
            t = block["table"]
            table = document.add_table(rows=len(t["rows"]), cols=len(t["rows"][0]))
            table.style = "Table Grid"
            for r, row in enumerate(t["rows"]):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            for (r0, c0), (r1, c1) in t.get("merge", []):
                keep = t["rows"][r0][c0]
                merged = table.cell(r0, c0).merge(table.cell(r1, c1))
                merged.text = keep  # merge() concatenates the paragraphs of the cells
    document.save(path)
    return path


# --- PDF --------------------------------------------------------------------------------------

RUNNING_HEADER = "江洲市人民政府文件"
RUNNING_FOOTER = "江洲市人民政府办公室 2024年5月20日印发"


def write_pdf(spec: dict[str, Any], path: Path) -> Path:
    """A4 pages set in STSong-Light, hard-wrapped by the layout, a running header and footer and
    a page number on every page, the indicator table ruled with spanned cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("plan", fontName="STSong-Light", fontSize=14, leading=24, wordWrap="CJK", firstLineIndent=28)
    story: list[Any] = []
    typed = iter(typed_paragraphs(spec))
    for block in spec["blocks"]:
        if "page_break" in block:
            story.append(PageBreak())
            continue
        item = next(typed)
        if "table" in block:
            t = block["table"]
            commands = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
            commands += [("SPAN", (c0, r0), (c1, r1)) for (r0, c0), (r1, c1) in t.get("merge", [])]
            table = Table([list(r) for r in t["rows"]])
            table.setStyle(TableStyle(commands))
            story.append(table)
        else:
            story.append(Paragraph(_esc(item), style))

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(A4[0] / 2, A4[1] - 40, RUNNING_HEADER)
        canvas.drawString(72, 48, RUNNING_FOOTER)
        canvas.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")
        canvas.restoreState()

    SimpleDocTemplate(str(path), pagesize=A4, title="plan").build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path


def write_pdf_by_libreoffice(spec: dict[str, Any], path: Path) -> Path | None:
    """The plan as most plans are published: written as .docx and saved as PDF by LibreOffice
    (its fonts embedded, table rules as lines), with a throwaway profile; None where
    LibreOffice (the optional Debian package ``libreoffice-writer``) is not installed."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="soffice-") as work:
        docx = write_docx(spec, Path(work) / f"{path.stem}.docx")
        subprocess.run([soffice, f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", work, str(docx)],
                       check=True, capture_output=True, timeout=300)
        shutil.move(str(Path(work) / f"{path.stem}.pdf"), path)
    return path


WRITERS = {"txt": write_txt, "html": write_html, "docx": write_docx, "pdf": write_pdf}


def write_all(spec: dict[str, Any], folder: Path, stem: str = "plan") -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {fmt: writer(spec, folder / f"{stem}.{fmt}") for fmt, writer in WRITERS.items()}


def no_system_fonts() -> None:
    """Give PDFium no system font at all for the rest of the process (what a fresh machine
    without CJK fonts gives): the glyphs of a font the PDF does not embed cannot be measured."""
    import pypdfium2

    class NoFonts(pypdfium2.PdfSysfontBase):
        def EnumFonts(self, _, mapper):
            return None

        def MapFont(self, _, *args):
            return None

        def GetFont(self, _, face):
            return None

    NoFonts().setup()


#: CID fonts every PDF reader knows by name (reportlab writes them without a font file): a
#: plan typeset with them depends on the fonts of the reading machine, as many plans do.
CID_FONTS = ("STSong-Light", "HeiseiMin-W3", "HYSMyeongJo-Medium")


def write_pdf_runs(path: Path, pages: list[list[tuple[float, list[tuple[str, str]]]]], header: str = RUNNING_HEADER) -> Path:
    """Pages of lines drawn run by run, each run in its own font (a CID font of
    :data:`CID_FONTS`, a standard font such as ``Helvetica``, or ``Vera``, embedded), each line
    at its own size; a running header in STSong-Light on every page. This is how a word
    processor prints a plan whose quotes, enumeration commas or roman numerals come from
    another font than the Chinese around them."""
    import os

    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    for font in CID_FONTS:
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        c.setFont("STSong-Light", 9)
        c.drawCentredString(A4[0] / 2, A4[1] - 40, header)
        y = A4[1] - 100
        for size, runs in lines:
            x = 72.0
            for font, text in runs:
                c.setFont(font, size)
                c.drawString(x, y, text)
                x += pdfmetrics.stringWidth(text, font, size)
            y -= size * 2
        c.showPage()
    c.save()
    return path


def write_unruled_table(path: Path, rows: list[list[str]], valign: str = "TOP", padding: float = 3, leading: float = 16) -> Path:
    """A caption, an indicator table set without rules and a closing sentence, in STSong-Light.
    The first cell of each row is a paragraph 180 points wide, so a long row name wraps inside
    its cell; ``valign`` places the other cells beside its first line, its middle or its last,
    ``padding`` is the space above and below every cell, ``leading`` the line pitch of a name."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    prose = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    name = ParagraphStyle("cell", fontName="STSong-Light", fontSize=12, leading=leading, wordWrap="CJK")
    cells = [[Paragraph(_esc(row[0]), name), *row[1:]] for row in rows]
    table = Table(cells, colWidths=[180, 70, 70, 70])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("FONTSIZE", (0, 0), (-1, -1), 12), ("LEADING", (0, 0), (-1, -1), leading),
        ("VALIGN", (0, 0), (-1, -1), valign), ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ]))
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph("表2 生态环境保护主要指标", prose), table, Paragraph("各地要对照上表抓好落实。", prose)])
    return path


#: Ruled tables drawn the ways PDF writers draw them, one per file (:func:`write_ruled_tables`).
RULED_STYLES = ("grid-spans", "box-wrapped", "filled-rules", "one-path", "form-xobject", "two-tables", "long-table", "rules-above-below")


def write_ruled_tables(folder: Path) -> dict[str, Path]:
    """One PDF per style of :data:`RULED_STYLES`, in STSong-Light: a grid with spanned cells,
    a box with thin inner rules and cells whose text wraps, rules printed as thin filled
    rectangles (as word processors print them), the same rules as the subpaths of one path,
    the same table inside a form XObject (its own coordinate space, placed by a matrix), two
    tables on a page with a paragraph between, a long table running over pages with its
    header repeated, and a table with only horizontal rules (no grid: read as lines)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    folder.mkdir(parents=True, exist_ok=True)
    prose = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=10.5, leading=14, wordWrap="CJK")
    font = ("FONTNAME", (0, 0), (-1, -1), "STSong-Light")
    rows = [["指标", "2023年", "2027年", "属性"], ["城市生活垃圾资源化利用率（%）", "55", "65", "约束性"],
            ["县级以上城市建成区黑臭水体消除比例（含新发现水体）（%）", "85", "95", "预期性"], ["新增充换电站（座）", "120", "400", "预期性"]]
    paths: dict[str, Path] = {}

    def story(name: str, blocks: list) -> None:
        paths[name] = folder / f"{name}.pdf"
        SimpleDocTemplate(str(paths[name]), pagesize=A4).build(blocks)

    grid = Table(rows + [["合计", "—", "", "—"]], colWidths=[330, 50, 50, 50])
    grid.setStyle(TableStyle([font, ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (1, 4), (2, 4)), ("SPAN", (3, 2), (3, 3))]))
    story("grid-spans", [Paragraph("表1 城乡环境主要指标", prose), grid, Paragraph("各区要对照上表逐项落实。", prose)])
    boxed = Table([[Paragraph(r[0], cell), *r[1:]] for r in rows], colWidths=[180, 70, 70, 70])
    boxed.setStyle(TableStyle([font, ("BOX", (0, 0), (-1, -1), 1, colors.black), ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.black)]))
    story("box-wrapped", [Paragraph("表2 城乡环境主要指标", prose), boxed, Paragraph("各区要对照上表逐项落实。", prose)])
    first = Table([["指标", "单位", "2027年"], ["PM2.5 年均浓度", "微克/立方米", "30"], ["空气质量优良天数比率", "%", "90.5"]], colWidths=[200, 100, 80])
    first.setStyle(TableStyle([font, ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    second = Table([["类别", "2027年"], ["单位地区生产总值能耗下降", "14%"]], colWidths=[200, 100])
    second.setStyle(TableStyle([font, ("GRID", (0, 0), (-1, -1), 1.5, colors.black), ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
    story("two-tables", [Paragraph("表3 大气环境", prose), first, Paragraph("到2027年，全区空气质量稳定向好，重污染天气基本消除。", prose), second])
    long_rows = [["序号", "工程名称", "新增能力", "属性"]] + [[str(i), f"第{i}批污水处理提标工程（万吨/日）", f"{i * 0.5:.1f}", "预期性" if i % 3 else "约束性"] for i in range(1, 70)]
    long_table = Table(long_rows, colWidths=[40, 250, 80, 60], repeatRows=1)
    long_table.setStyle(TableStyle([font, ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (3, 4), (3, 6))]))
    story("long-table", [Paragraph("表4 重点工程", prose), long_table, Paragraph("以上工程由各区组织实施。", prose)])
    lined = Table(rows, colWidths=[330, 50, 50, 50])
    lined.setStyle(TableStyle([font, ("LINEABOVE", (0, 0), (-1, 0), 1, colors.black), ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black), ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)]))
    story("rules-above-below", [Paragraph("表5 城乡环境主要指标", prose), lined, Paragraph("各区要对照上表逐项落实。", prose)])

    def drawn_table(c, x: float, top: float, one_path: bool = False) -> None:
        """The table of ``rows`` drawn by hand: rules as filled rectangles half a point wide,
        each a path of its own or all of them subpaths of one."""
        xs, pitch = [x, x + 250, x + 310, x + 370, x + 430], 24
        ys = [top - k * pitch for k in range(len(rows) + 1)]
        rules = [(xs[0], y - 0.25, xs[-1] - xs[0], 0.5) for y in ys] + [(xk - 0.25, ys[-1], 0.5, ys[0] - ys[-1]) for xk in xs]
        if one_path:
            path = c.beginPath()
            for rule in rules:
                path.rect(*rule)
            c.drawPath(path, stroke=0, fill=1)
        else:
            for rule in rules:
                c.rect(*rule, stroke=0, fill=1)
        c.setFont("STSong-Light", 9)
        for r, row in enumerate(rows):
            for k, text in enumerate(row):
                c.drawString(xs[k] + 3, ys[r] - 16, text)

    for name in ("filled-rules", "one-path", "form-xobject"):
        paths[name] = folder / f"{name}.pdf"
        c = canvas.Canvas(str(paths[name]), pagesize=A4)
        c.setFont("STSong-Light", 12)
        c.drawString(72, 780, "表6 城乡环境主要指标")
        if name == "form-xobject":
            c.beginForm("table", lowerx=0, lowery=0, upperx=440, uppery=130)
            drawn_table(c, 2, 125)
            c.endForm()
            c.saveState()
            c.translate(70, 630)
            c.doForm("table")
            c.restoreState()
        else:
            drawn_table(c, 72, 760, one_path=name == "one-path")
        c.setFont("STSong-Light", 12)
        c.drawString(72, 600, "各区要对照上表逐项落实。")
        c.showPage()
        c.save()
    return paths
