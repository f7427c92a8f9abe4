"""DOCX rendering: Word heading styles, a table of contents field, real tables with repeated header
rows, band cells shaded and labelled, charts as PNG with their alt text, page numbers in the
footer, a landscape section for the wide annex, the signature block, and fixed core properties so
the same data give the same file. It stays an editable document.

python-docx sets up the package (styles, header, footer, properties, images); the body is written
as WordprocessingML text and parsed once, because python-docx looks a style up by name on every
paragraph, which made a 30-page report take half a second.
"""

from __future__ import annotations

import copy
import io
import re
import struct
from datetime import datetime
from xml.sax.saxutils import escape

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from .common import BAND_FILL, band_word, reproducible_zip
from .model import Bullets, Cell, Contents, Document, Figure, Heading, PageBreak, Paragraph, Signatures, Table

FONT = "Arial"
SIZES = {"normal": 8.5, "small": 7.5, "tiny": 6}
INK = RGBColor(0x1B, 0x1B, 0x1B)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_CM = 1440 / 2.54
A4 = (21.0, 29.7)
STYLE_IDS = {"title": "Title", "subtitle": "Subtitle"}


def render(doc: Document, pngs: list[bytes] | None = None) -> bytes:
    """The document as DOCX; ``pngs`` are the charts already rasterised (one per figure), else drawn here."""
    doc = doc.printable()
    if pngs is None:
        from .pdf import rasterise

        pngs = rasterise(doc.figures)
    m = doc.meta
    d = new_docx()
    _trim(d)
    _styles(d)
    body = d.element.body
    final = body.sectPr
    _page(final, landscape=False)
    _header_footer(d.sections[0], doc)
    _properties(d, doc)

    images = iter(pngs)
    landscape = False
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(_p(block.text, style=f"Heading{block.level}"))
        elif isinstance(block, Paragraph):
            out.append(_paragraph(block))
        elif isinstance(block, Bullets):
            out.extend(_bullets(block))
        elif isinstance(block, Table):
            out.extend(_table(block, landscape))
        elif isinstance(block, Figure):
            out.extend(_figure(d, block, next(images), landscape))
        elif isinstance(block, Contents):
            out.extend(_contents(d, block))
        elif isinstance(block, Signatures):
            out.append(_signatures(m))
        elif isinstance(block, PageBreak):
            # the section that ends here keeps its orientation; the next one takes the break's
            out.append(f"<w:p><w:pPr>{_sect_pr(final, landscape)}</w:pPr></w:p>")
            landscape = block.landscape
    _page(final, landscape)
    # one parse of the whole document.xml: moving thousands of parsed nodes into python-docx's tree one by one is
    # far slower (lxml reconciles namespaces per node)
    xml = etree.tostring(d.part.element, encoding="unicode")
    end = xml.rindex("<w:sectPr")
    d.part._element = parse_xml(xml[:end] + "".join(out) + xml[end:])
    buf = io.BytesIO()
    d.save(buf)
    return reproducible_zip(buf.getvalue(), _when(m))


def _trim(d) -> None:
    """Drop what the blank template carries and the document does not need: a second copy of the styles for Word
    2010 and a thumbnail of the template's first page."""
    for rels in (d.part.rels, d.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/stylesWithEffects", "/metadata/thumbnail")):
                rels.pop(rid)


def _when(m) -> datetime:
    return datetime(m.document_date.year, m.document_date.month, m.document_date.day)


def _properties(d, doc: Document) -> None:
    m = doc.meta
    props = d.core_properties
    when = _when(m)
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
                       ("Heading 4", 10), ("Heading 5", 10), ("Caption", 9)):
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
    _setting(d, "autoHyphenation", after="w:defaultTabStop")  # Word hyphenates in the language of the text (es-PE)


def _setting(d, name: str, after: str = "", before: str = "") -> None:
    """A document setting, placed where the schema orders it (Word rejects settings out of order)."""
    settings = d.settings.element
    element = parse_xml(f'<w:{name} xmlns:w="{W_NS}" w:val="true"/>')
    anchor = settings.find(qn(after or before))
    if anchor is None:
        settings.append(element)
    elif after:
        anchor.addnext(element)
    else:
        anchor.addprevious(element)


def _page(sect_pr, landscape: bool) -> None:
    """Page size, orientation and margins of a section (A4; 1.8 cm side margins when landscape)."""
    for tag in ("w:pgSz", "w:pgMar"):
        found = sect_pr.find(qn(tag))
        if found is not None:
            sect_pr.remove(found)
    w, h = (A4[1], A4[0]) if landscape else A4
    size = f'<w:pgSz w:w="{_tw(w)}" w:h="{_tw(h)}"{" w:orient=\"landscape\"" if landscape else ""}/>'
    side = _tw(1.8 if landscape else 2.0)
    margins = (f'<w:pgMar w:top="{_tw(2.0)}" w:right="{side}" w:bottom="{_tw(2.0)}" w:left="{side}" w:header="{_tw(1.0)}" '
               f'w:footer="{_tw(1.0)}" w:gutter="0"/>')
    anchor = next((c for c in sect_pr if c.tag in (qn("w:cols"), qn("w:docGrid"))), None)
    for xml in (size, margins):
        element = parse_xml(xml.replace("/>", f' xmlns:w="{W_NS}"/>', 1))
        if anchor is not None:
            anchor.addprevious(element)
        else:
            sect_pr.append(element)


def _sect_pr(final, landscape: bool) -> str:
    """A section break: a copy of the document's last section properties (header, footer) with this orientation."""
    sect = copy.deepcopy(final)
    _page(sect, landscape)
    return etree.tostring(sect, encoding="unicode")


def _tw(cm: float) -> int:
    return int(round(cm * TWIPS_PER_CM))


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


# WordprocessingML as text ------------------------------------------------------------------------


def _esc(text: str) -> str:
    return escape(text)  # control characters are gone already (Document.printable)


def _run(text: str, half_points: int | None = None, bold=False, italic=False, br=False) -> str:
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    if half_points:
        props += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}{"<w:br/>" if br else ""}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


def _p(text: str = "", style: str = "", runs: str = "", jc: str = "", keep_next: bool = False, tabs: str = "",
       spacing: str = "", ind: str = "") -> str:
    """A paragraph: its properties in schema order (style, keepNext, tabs, spacing, indentation, alignment), then
    its runs (or ``text`` as one run)."""
    ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "") + tabs + spacing + ind
    ppr += f'<w:jc w:val="{jc}"/>' if jc else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs or (_run(text) if text else '')}</w:p>"


def _paragraph(block: Paragraph) -> str:
    if block.style in STYLE_IDS:
        return _p(block.text, style=STYLE_IDS[block.style])
    if block.style == "lead":
        return _p(runs=_run(block.text, bold=True), keep_next=True)
    if block.style == "note":
        return _p(runs=_run(block.text, 17, italic=True))
    if block.style == "small":
        return _p(runs=_run(block.text, 15))
    if block.style == "quote":
        return _p(runs=_run(block.text, italic=True), ind=f'<w:ind w:left="{_tw(1.0)}"/>', jc="both")
    return _p(block.text, jc="both")


def _bullets(block: Bullets) -> list[str]:
    """A bullet item in Word's list styles (level 0 and 1); an item with its own label hangs beside it."""
    out = []
    hang = _tw(1.0 if block.ordered else 0.63)
    for label, item, level in block.labelled():
        if label in ("•", "–"):
            out.append(_p(item, style="ListBullet" if level == 0 else "ListBullet2", jc="both"))
        else:
            left = hang + _tw(0.63) * level
            out.append(_p(runs=_run(f"{label}\t", bold=block.ordered) + _run(item), jc="both",
                          tabs=f'<w:tabs><w:tab w:val="left" w:pos="{left}"/></w:tabs>',
                          ind=f'<w:ind w:left="{left}" w:hanging="{hang}"/>'))
    return out


def _caption(kind: str, number: int, caption: str, numbered: bool = True) -> str:
    runs = (_run(f"{kind} {number}. ", bold=True) if numbered else "") + f"<w:r><w:rPr><w:b w:val=\"0\"/></w:rPr>" \
        f"<w:t xml:space=\"preserve\">{_esc(caption)}</w:t></w:r>"
    return _p(style="Caption", runs=runs, keep_next=True)


def _source(text: str) -> str:
    return _p(runs=_run(f"Fuente: {text}", 15, italic=True), spacing='<w:spacing w:before="40"/>')


_JC = {"left": "left", "right": "right", "center": "center"}


def _tc(c: Cell | None, width: int, size: float, header: bool, fill: str | None, vmerge: str = "", keep: bool = False) -> str:
    """One table cell as WordprocessingML."""
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
    keep_next = "<w:keepNext/>" if keep else ""
    return (f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr>{keep_next}<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"228\" "
            f"w:lineRule=\"auto\"/><w:jc w:val=\"{jc}\"/></w:pPr>{runs}</w:p></w:tc>")


def _table(t: Table, landscape: bool) -> list[str]:
    """Caption, the table (header rows repeated on every page, rows never split, kept rows bound to the next), notes
    and source."""
    out = [_caption("Tabla", t.number, t.caption, t.numbered)]
    width_twips = _tw((A4[1] - 3.6) if landscape else (A4[0] - 4.0))
    total = sum(t.widths)
    widths = [int(width_twips * w / total) for w in t.widths]
    size = SIZES[t.size]
    xml = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
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
            xml.append(_tc(c, sum(widths[col:col + c.span]), size, True, "D9D9D9", merged.get((r, col), "")))
            col += c.span
        xml.append("</w:tr>")
    bound = {k for start, n in t.kept().items() for k in range(start, start + n - 1)}  # rows kept with the next
    for k, cells in enumerate(t.rows):
        xml.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        col = 0
        fill = "EFEFEF" if k in t.group_rows else None
        for c in cells:
            xml.append(_tc(c, sum(widths[col:col + c.span]), size, False, fill, keep=k in bound))
            col += c.span
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    out.append("".join(xml))
    out += [_p(runs=_run(note, 15)) for note in t.notes]
    if t.source:
        out.append(_source(t.source))
    return out


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


def _figure(d, fig: Figure, png: bytes, landscape: bool) -> list[str]:
    """Caption, the chart (its alt text read by screen readers) and source, kept together."""
    width = Cm(19 if landscape else 15.5)
    px_w, px_h = struct.unpack(">II", png[16:24])  # the PNG header's pixel size
    inline = d.part.new_pic_inline(io.BytesIO(png), width, int(width * px_h / px_w))
    inline.docPr.set("descr", fig.alt or fig.caption)
    drawing = etree.tostring(inline, encoding="unicode")
    out = [_caption("Figura", fig.number, fig.caption),
           _p(runs=f"<w:r><w:drawing>{drawing}</w:drawing></w:r>", jc="center", keep_next=True)]
    if fig.source:
        out.append(_source(fig.source))
    return out


def _contents(d, block: Contents) -> list[str]:
    """A TOC field: Word fills it (F9, or on opening when asked); the placeholder says so."""
    _setting(d, "updateFields", before="w:compat")
    title = _p(style="Title", runs=_run(block.title, 28))
    field = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             '<w:r><w:instrText xml:space="preserve">TOC \\o "1-3" \\h \\z \\u</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             + _run("Índice: actualice el campo (clic derecho › Actualizar campo) para ver las páginas.", italic=True)
             + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    return [title, _p(runs=field)]


def _signatures(m) -> str:
    """Elaborado / revisado / aprobado: one column each, room for the hand signature, kept on one page."""
    n = len(m.signatures)
    width = _tw(A4[0] - 4.0) // max(n, 1)
    cells = []
    for s in m.signatures:
        paragraphs = [_p(runs=_run(s.role, bold=True), keep_next=True)] + [_p(keep_next=True)] * 3
        paragraphs.append(_p("_" * 28, keep_next=True))
        if s.name:
            paragraphs.append(_p(runs=_run(s.name, bold=True), keep_next=True))
        paragraphs += [_p(runs=_run(line, 16), keep_next=True) for line in (s.position, s.office) if line]
        cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{"".join(paragraphs)}</w:tc>')
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{width * n}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{"".join(f"<w:gridCol w:w=\"{width}\"/>" for _ in range(n))}'
            f'</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>{"".join(cells)}</w:tr></w:tbl>')
