"""Word documents in the official-document style (党政机关公文格式, GB/T 9704-2012): every .docx the platform writes
starts from `official_document()`.

- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (the standard's type area of 156 × 225 mm).
- Title in 小标宋 size 2 (22 pt), centred; body in 仿宋_GB2312 size 3 (16 pt) on a fixed 28 pt line (22 lines a page);
  first-level headings in 黑体, second-level in 楷体_GB2312, both size 3; tables in 仿宋 size 5 (10.5 pt).
- Page numbers at the foot in size 4 (14 pt) as "— 1 —".
- The Chinese fonts are named as the standard names them. Few Linux or Mac machines have them, so each carries an
  alternative name in the document's font table (Noto Serif CJK SC, or Noto Sans CJK SC for 黑体), which Word and
  LibreOffice use when the named font is missing; Latin text is Times New Roman.
"""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
# What a machine without the standard's fonts shows instead (fonts-noto-cjk on Debian).
FALLBACK = {
    TITLE_FONT: "Noto Serif CJK SC",
    BODY_FONT: "Noto Serif CJK SC",
    HEADING1_FONT: "Noto Sans CJK SC",
    HEADING2_FONT: "Noto Serif CJK SC",
}
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_font(run_or_style: Any, east_asian: str, size: Any = None, bold: bool | None = None) -> None:
    """Name the Chinese font (w:eastAsia) beside the Latin one, so that each script gets its own."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asian)


def _fixed_lines(paragraph_format: Any, points: float = 28) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _font_table_fallbacks(doc: Any) -> None:
    """Add each standard font to the font table with its alternative name (w:altName)."""
    part = next((p for p in doc.part.package.parts if p.partname.endswith("/fontTable.xml")), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FALLBACK.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt_name = etree.SubElement(font, qn("w:altName"))
        alt_name.set(qn("w:val"), alt)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "roman" if "Serif" in alt else "modern")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section: Any) -> None:
    """ "— N —" centred at the foot of every page (a PAGE field, so Word and LibreOffice number it)."""
    paragraph = section.footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("— ", None, " —"):
        run = paragraph.add_run()
        set_font(run, BODY_FONT, SIZE_4)
        if text is not None:
            run.text = text
            continue
        for kind, instr in (("begin", None), (None, "PAGE"), ("end", None)):
            if instr:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = instr
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), str(kind))
            run._r.append(el)


def official_document(title: str | None = None, *, landscape: bool = False) -> Any:
    """A new python-docx Document in the official style; with `title`, the centred 小标宋 title comes first.

    Wide tables (a transfer notice's nine columns) may ask for `landscape`: A4 turned, same margins turned with it.
    """
    doc = Document()
    section = doc.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        width, height = height, width
    section.page_width, section.page_height = width, height
    m = MARGINS_MM
    top, right, bottom, left = (
        (m["left"], m["top"], m["right"], m["bottom"]) if landscape else (m["top"], m["right"], m["bottom"], m["left"])
    )
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.footer_distance = Mm(20)

    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, SIZE_3)
    _fixed_lines(normal.paragraph_format)
    for style_name, font in (("Heading 1", HEADING1_FONT), ("Heading 2", HEADING2_FONT), ("Title", TITLE_FONT)):
        style = doc.styles[style_name]
        set_font(style, font, SIZE_2 if style_name == "Title" else SIZE_3, bold=False)
        style.font.color.rgb = None
        style.font.italic = False
        _fixed_lines(style.paragraph_format, 36 if style_name == "Title" else 28)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["Title"].paragraph_format.space_after = Pt(28)
    # python-docx's Title style draws a coloured rule under the text; an official document has none.
    ppr = doc.styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    _font_table_fallbacks(doc)
    _page_number(section)
    if title:
        doc.add_paragraph(title, style="Title")
    return doc


def body(doc: Any, text: str, *, indent: bool = True) -> Any:
    """A body paragraph with the two-character first-line indent of official prose."""
    paragraph = doc.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    return paragraph


def table(doc: Any, header: list[str], rows: list[list[Any]]) -> Any:
    """A ruled table in size 5 (10.5 pt) with a bold header row that repeats on every page."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = str(text)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    t.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, r, strict=True):
            cell.text = "" if value is None else str(value)
    for i, row in enumerate(t.rows):
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                _fixed_lines(paragraph.paragraph_format, 16)
                for run in paragraph.runs:
                    set_font(run, BODY_FONT, SIZE_5, bold=True if i == 0 else None)
    return t
