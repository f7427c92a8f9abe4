"""DOCX rendering with python-docx: Word heading styles, a table of contents field, real tables
with repeated header rows, band cells shaded and labelled, charts as PNG with their alt text,
page numbers in the footer, a landscape section for the wide annex, the signature block, and
fixed core properties so the same data give the same file. It stays an editable document."""

from __future__ import annotations

import io
import re
from datetime import datetime
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .common import BAND_FILL, band_word, reproducible_zip
from .model import Bullets, Cell, Contents, Document, Figure, Heading, PageBreak, Paragraph, Signatures, Table

FONT = "Arial"
SIZES = {"normal": 8.5, "small": 7.5, "tiny": 6}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
INK = RGBColor(0x1B, 0x1B, 0x1B)
MARGIN = Cm(2.0)


def render(doc: Document, pngs: list[bytes] | None = None) -> bytes:
    """The document as DOCX; ``pngs`` are the charts already rasterised (one per figure), else drawn here."""
    if pngs is None:
        from .pdf import rasterise

        pngs = rasterise(doc.figures)
    images = dict(zip((id(f) for f in doc.figures), pngs))
    m = doc.meta
    d = new_docx()
    _styles(d)
    section = d.sections[0]
    _page(section, landscape=False)
    _header_footer(section, doc)

    props = d.core_properties
    when = datetime(m.document_date.year, m.document_date.month, m.document_date.day)
    props.title = f"{m.title} – {m.plan_name}"
    props.subject = f"{m.plan_name}, {m.period_label}"
    props.author = props.last_modified_by = m.author or m.entity
    props.keywords = f"{m.plan_code}; {m.vintage}; sha256:{m.checksum}"
    props.comments = m.status_label
    props.identifier = m.number or None
    props.category = "PRELIMINAR" if m.preliminary else "Publicado"
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.language = "es-PE"

    for block in doc.blocks:
        if isinstance(block, Heading):
            d.add_heading(block.text, level=block.level)
        elif isinstance(block, Contents):
            _contents(d, block)
        elif isinstance(block, Signatures):
            _signatures(d, m)
        elif isinstance(block, Paragraph):
            _paragraph(d, block)
        elif isinstance(block, Bullets):
            _bullets(d, block)
        elif isinstance(block, Table):
            _table(d, block, landscape=_landscape(d))
        elif isinstance(block, Figure):
            _figure(d, block, images[id(block)], landscape=_landscape(d))
        elif isinstance(block, PageBreak):
            new = d.add_section(WD_SECTION.NEW_PAGE)
            _page(new, landscape=block.landscape)
    buf = io.BytesIO()
    d.save(buf)
    return reproducible_zip(buf.getvalue(), when)


def _bullets(d, block: Bullets) -> None:
    """A bullet item in Word's list styles (level 0 and 1); an item with its own label hangs beside it."""
    wide = Cm(1.0) if block.ordered else Cm(0.63)
    for label, item, level in block.labelled():
        if label in ("•", "–"):
            p = d.add_paragraph(style="List Bullet" if level == 0 else "List Bullet 2")
        else:
            p = d.add_paragraph()
            indent = wide + Cm(0.63) * level
            p.paragraph_format.left_indent = indent
            p.paragraph_format.first_line_indent = -wide
            p.paragraph_format.tab_stops.add_tab_stop(indent)
            p.add_run(f"{label}\t").bold = block.ordered
        p.add_run(item)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _landscape(d) -> bool:
    return d.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def _styles(d) -> None:
    normal = d.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(4)
    lang = OxmlElement("w:lang")  # proofing and hyphenation in Spanish (Peru)
    lang.set(qn("w:val"), "es-PE")
    normal.element.get_or_add_rPr().append(lang)
    for name, size in (("Title", 20), ("Subtitle", 13), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 10.5),
                       ("Heading 4", 10), ("Caption", 9)):
        st = d.styles[name]
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.color.rgb = INK
        rpr = st.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)
    d.styles["Caption"].font.italic = False
    d.styles["Caption"].font.bold = True


def _page(section, landscape: bool) -> None:
    a4_w, a4_h = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (a4_h, a4_w) if landscape else (a4_w, a4_h)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8) if landscape else MARGIN)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.header_distance = section.footer_distance = Cm(1.0)


def _field(paragraph, code: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _header_footer(section, doc: Document) -> None:
    m = doc.meta
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if m.preliminary:
        run = header.add_run("PRELIMINAR – DATOS NO APROBADOS   ")
        run.bold = True
        run.font.size = Pt(10)
    run = header.add_run(f"{m.title} · {m.plan_name}")
    run.font.size = Pt(7.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run(f"{m.number + '   ·   ' if m.number else ''}Página ")
    run.font.size = Pt(7.5)
    _field(footer, "PAGE")
    footer.add_run(" de ").font.size = Pt(7.5)
    _field(footer, "NUMPAGES")


def _paragraph(d, block: Paragraph) -> None:
    if block.style == "title":
        d.add_paragraph(block.text, style="Title")
        return
    if block.style == "subtitle":
        d.add_paragraph(block.text, style="Subtitle")
        return
    p = d.add_paragraph()
    run = p.add_run(block.text)
    if block.style == "lead":
        run.bold = True
    elif block.style == "note":
        run.italic = True
        run.font.size = Pt(8.5)
    elif block.style == "small":
        run.font.size = Pt(7.5)
    elif block.style == "quote":
        run.italic = True
        p.paragraph_format.left_indent = Cm(1)
    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if block.style == "body" else None


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_JC = {"left": "left", "right": "right", "center": "center"}


def _esc(text: str) -> str:
    return escape(_BAD_XML.sub("", text))


def _run(text: str, half_points: int, bold=False, italic=False, br=False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr>{"<w:br/>" if br else ""}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def _tc(c: Cell | None, width: int, size: float, header: bool, fill: str | None, vmerge: str = "") -> str:
    """One table cell as WordprocessingML (python-docx's cell API is far too slow for a 2 000-cell matrix)."""
    half = int(round(size * 2))
    span = c.span if c else 1
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    if c is not None and c.band is not None and not header:
        fill = BAND_FILL[c.band]
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    props += f'<w:vAlign w:val="{"center" if header else "top"}"/>'
    runs = ""
    if c is not None and vmerge != "continue":
        runs = _run(c.text, half, bold=c.bold or header or (c.band is not None and not header))
        if c.band is not None and not header:
            word = band_word(c.band)
            if word != c.text:
                runs += _run(word, max(half - 2, 10), br=bool(c.text))
        if c.note:
            runs += _run(c.note, max(half - 2, 10), italic=True, br=True)
    jc = _JC[c.align] if c is not None else "left"
    return (f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"228\" "
            f"w:lineRule=\"auto\"/><w:jc w:val=\"{jc}\"/></w:pPr>{runs}</w:p></w:tc>")


def _table(d, t: Table, landscape: bool) -> None:
    cap = d.add_paragraph(style="Caption")
    if t.numbered:
        cap.add_run(f"Tabla {t.number}. ").bold = True
    cap.add_run(t.caption).bold = False
    cap.paragraph_format.keep_with_next = True
    width_twips = int(((29.7 - 3.6) if landscape else (21.0 - 4.0)) / 2.54 * 1440)
    total = sum(t.widths)
    widths = [int(width_twips * w / total) for w in t.widths]
    size = SIZES[t.size]
    xml = [f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="45" w:type="dxa"/>'
           '<w:right w:w="45" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
           'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>']
    xml += [f'<w:gridCol w:w="{w}"/>' for w in widths]
    xml.append("</w:tblGrid>")
    merged = _vertical_merges(t)
    for r, header_row in enumerate(t.header):
        xml.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        col = 0
        for c in header_row:
            vm = merged.get((r, col), "")
            xml.append(_tc(c, sum(widths[col:col + c.span]), size, True, "D9D9D9", vm))
            col += c.span
        xml.append("</w:tr>")
    for k, cells in enumerate(t.rows):
        xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        col = 0
        fill = "EFEFEF" if k in t.group_rows else None
        for c in cells:
            xml.append(_tc(c, sum(widths[col:col + c.span]), size, False, fill))
            col += c.span
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    tbl = parse_xml("".join(xml))
    anchor = d.add_paragraph()
    anchor._p.addnext(tbl)
    anchor._p.getparent().remove(anchor._p)
    for note in t.notes:
        d.add_paragraph().add_run(note).font.size = Pt(7.5)
    if t.source:
        p = d.add_paragraph()
        p.paragraph_format.space_before = Pt(2)
        r = p.add_run(f"Fuente: {t.source}")
        r.italic = True
        r.font.size = Pt(7.5)


def _vertical_merges(t: Table) -> dict[tuple[int, int], str]:
    """Two header rows: a top cell whose cell below is empty spans both rows (vMerge restart/continue)."""
    if len(t.header) < 2:
        return {}
    top, second = t.header[0], t.header[1]
    out, col = {}, 0
    for c in top:
        if c.span == 1 and col < len(second) and not second[col].text:
            out[(0, col)] = "restart"
            out[(1, col)] = "continue"
        col += c.span
    return out


def _figure(d, fig: Figure, png: bytes, landscape: bool) -> None:
    cap = d.add_paragraph(style="Caption")
    cap.add_run(f"Figura {fig.number}. ").bold = True
    cap.add_run(fig.caption).bold = False
    cap.paragraph_format.keep_with_next = True
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    shape = p.add_run().add_picture(io.BytesIO(png), width=Cm(15.5 if not landscape else 19))
    shape._inline.docPr.set("descr", fig.alt or fig.caption)  # alt text read by screen readers
    if fig.source:
        r = d.add_paragraph().add_run(f"Fuente: {fig.source}")
        r.italic = True
        r.font.size = Pt(7.5)


def _contents(d, block: Contents) -> None:
    """A TOC field: Word fills it (F9, or on opening when asked); the placeholder says so."""
    d.add_paragraph(block.title, style="Title").runs[0].font.size = Pt(14)
    p = d.add_paragraph()
    begin, instr, sep, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar"), OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-3" \\h \\z \\u'
    sep.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, sep):
        run = OxmlElement("w:r")
        run.append(element)
        p._p.append(run)
    p.add_run("Índice: actualice el campo (clic derecho › Actualizar campo) para ver las páginas.").italic = True
    run = OxmlElement("w:r")
    run.append(end)
    p._p.append(run)
    settings = d.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _signatures(d, m) -> None:
    """Elaborado / revisado / aprobado: one column each, room for the hand signature."""
    if not m.signatures:
        return
    table = d.add_table(rows=1, cols=len(m.signatures))
    table.style = "Table Grid"
    for cell, s in zip(table.rows[0].cells, m.signatures):
        cell.paragraphs[0].add_run(s.role).bold = True
        for _ in range(3):
            cell.add_paragraph()
        cell.add_paragraph("_" * 28)
        if s.name:
            cell.add_paragraph().add_run(s.name).bold = True
        for line in (s.position, s.office):
            if line:
                cell.add_paragraph(line).runs[0].font.size = Pt(8)
