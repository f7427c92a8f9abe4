"""The Reporte de seguimiento 2024 of the policy and the Informe de evaluación 2024 of INPE's PEI,
parsed back from DOCX, XLSX and PDF: the golden figures of seeds 003 and 002 are in them."""

from __future__ import annotations

import io
import subprocess

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook
from PIL import Image

from vigia import datasets, documents
from vigia.documents import references
from vigia.methodology import ruleset

from .conftest import docx_text, find_table, table_rows

OP_AVANCES = {"OP.01": "68.7", "OP.02": "89.0", "OP.03": "20.0", "OP.04": "56.1", "OP.05": "94.3", "OP.06": "86.0"}


def first_line(text: str) -> str:
    return text.split("\n")[0].strip()


# Reporte de seguimiento (policy) ----------------------------------------------------------------


def test_policy_docx_has_index_op_avances_and_band_counts(policy_report):
    d = policy_report.word
    summary = find_table(d, "OP.01")
    rows = {r[0]: r for r in table_rows(summary)}
    for code, avance in OP_AVANCES.items():
        assert first_line(rows[code][-1]) == avance
    assert first_line(rows["Índice"][-1]) == "69.0" and "rojo" in rows["Índice"][-1]
    counts = {r[0].split(":")[0]: [first_line(c) for c in r[1:5]] for r in table_rows(find_table(d, "OP: Objetivo prioritario"))}
    assert counts["OP"] == ["3", "3", "0", "0"]
    assert counts["IOP"] == ["6", "1", "2", "4"]
    assert counts["ISS"] == ["11", "5", "18", "2"]


def test_policy_docx_structure_of_000_and_003(policy_report):
    d = policy_report.word
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "1. Resumen"
    for expected in ("2. Avance de los objetivos prioritarios", "3. Avance de los servicios", "4. Alertas identificadas",
                     "5. Alternativas para mejorar el cumplimiento", "Anexo 1. Matriz de seguimiento, 2024",
                     "Anexo 2. Nota metodológica"):
        assert expected in headings
    assert sum(h.startswith("2.") and "(avance" in h for h in headings) == 6
    assert {h[:2] for h in headings if h[1:3] == ". " and h[0] in "abcd"} == {"a.", "b.", "c.", "d."}
    text = docx_text(d)
    assert "Datos con corte al 31 de diciembre de 2024" in text and "Informe N.° 016-2025-JUS/OGPM-OPC" in text
    assert policy_report.src.checksum in text  # the colophon line, in small print at the end
    # the OP.01 indicator table: code, name, source, baseline year and value, expected, obtained, avance and band word
    row = next(r for r in table_rows(find_table(d, "IOP.01.02")) if r[0] == "IOP.01.02")
    assert row[2] == "Poder Judicial" and row[3:7] == ["2019", "36.50%", "26.00%", "37.85%"] and row[7] == "68.7\nrojo"
    # IOP.02.01 is not capped in the policy: 125.7
    assert "125.7\nverde" in [c.text for c in find_table(d, "IOP.02.01").rows[-2].cells]


def test_policy_band_cells_are_shaded(policy_report):
    xml = policy_report.word.element.xml
    for fill in ("FFCDD2", "FFF3C4", "C8E6C9", "E0E0E0"):
        assert f'w:fill="{fill}"' in xml


def test_policy_alerts_state_their_rules(policy_report):
    text = docx_text(policy_report.word)
    assert "IOP.01.01" in text and "ISS.01.05.01.01" in text
    assert "IOP.06.02 «Porcentaje de mujeres y hombres egresados del sistema penitenciario reinsertados laboralmente»: avance de 4.0%." in text
    assert "disminuyó respecto del año anterior sin haber aumentado el año previo" in text  # the rule of (c), stated
    # alert (c) as 003: alfabetización and CETPRO, never a service still above its target (ISS.04.05.06.01, 113%)
    c = text[text.index("c. Servicios cuyo valor obtenido disminuye"):text.index("d. Indicadores con el menor avance")]
    assert c.count("ISS.") == 2 and "ISS.04.05.01.01" in c and "ISS.04.05.03.01" in c
    assert "alfabetización en establecimientos Penitenciarios»: 34% en 2023 y 24% en 2024" in c
    assert "se redactaron a partir de los valores de este documento" in text  # one sentence says which analyses were drafted


def test_methodology_note_states_every_rule_applied(policy_report, pei_report):
    for report, name in ((policy_report, "policy"), (pei_report, "pei")):
        text = docx_text(report.word)
        for rule in ruleset(name).rules:
            assert rule.text in text, rule.code
    policy = docx_text(policy_report.word)
    assert "El avance de cada indicador no se limita" in policy and "ISS.04.05.04.01" in policy
    pei = docx_text(pei_report.word)
    assert "se limita a 100 (Alcance Tipo I). En este documento decide el avance de: IND.03.OEI.01" in pei


def test_docx_has_page_numbers_headings_and_charts(policy_report):
    d = policy_report.word
    footer = d.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert any(p.style.name == "Heading 1" for p in d.paragraphs)
    assert len(d.inline_shapes) == len(policy_report.doc.figures) >= 7
    assert any(s.orientation == 1 for s in d.sections)  # the annex matrix is on a landscape section
    header_rows = d.tables[1].rows[0]._tr.xml
    assert "w:tblHeader" in header_rows


def test_policy_xlsx_one_sheet_per_level_numbers_and_conditional_formatting(policy_report):
    wb = policy_report.workbook
    assert {"Resumen", "OP", "IOP", "ISS", "Datos", "Alertas", "Metodología"} <= set(wb.sheetnames)
    assert not {"LN", "SS"} & set(wb.sheetnames)  # 003 reports no avance of lineamientos or services (issue 11, item 6)
    op = wb["OP"]
    header = [c.value for c in op[1]]
    avance = header.index("Avance 2024 (%)")
    values = {r[0]: round(r[avance] * 100, 1) for r in op.iter_rows(min_row=2, values_only=True)}
    assert values == {k: float(v) for k, v in OP_AVANCES.items()}
    iop = wb["IOP"]
    header = [c.value for c in iop[1]]
    row = next(r for r in iop.iter_rows(min_row=2) if r[0].value == "IOP.02.01")
    assert row[header.index("Avance 2024 (%)")].value == pytest.approx(1.257)
    assert row[header.index("Avance 2024 (%)")].number_format == "0.0%"
    assert row[header.index("Valor obtenido 2024")].value == pytest.approx(0.6537)
    assert row[header.index("Valor obtenido 2024")].number_format == "0.00%"
    iss = {r[0]: r for r in wb["ISS"].iter_rows(min_row=2, values_only=True)}
    iss_header = [c.value for c in wb["ISS"][1]]
    assert iss["ISS.04.05.01.01"][iss_header.index("Valor obtenido 2024")] == pytest.approx(0.24)  # as 003 publishes it
    for ws in (op, iop, wb["ISS"]):
        assert ws.freeze_panes == "D2" and ws.auto_filter.ref.startswith("A1:")
        assert len(ws.conditional_formatting) >= 1
        for r in ws.iter_rows(min_row=2):
            for c in r:
                if isinstance(c.value, str):  # numbers are never stored as text
                    assert not c.value.replace(".", "", 1).replace("-", "", 1).isdigit(), (ws.title, c.coordinate, c.value)
    summary = [r for r in wb["Resumen"].iter_rows(values_only=True)]
    assert ("Índice", "Índice de gestión de la política nacional", 0.69, "rojo") in [r[:4] for r in summary]
    assert any((r[0] or "").startswith("ISS:") and r[1:6] == (11, 5, 18, 2, 36) for r in summary)


def test_policy_pdf_text_has_the_golden_figures(policy_report):
    text = "\n".join(policy_report.pages)
    assert "69.0" in text
    for code, avance in OP_AVANCES.items():
        assert avance in text, code
    assert "PRELIMINAR" not in text and "Página 1 de" in text


# Informe de evaluación (PEI) ---------------------------------------------------------------------


def test_pei_docx_tables_3_and_7(pei_report):
    d = pei_report.word
    tabla3 = {r[0]: r for r in table_rows(find_table(d, "IND.03.OEI.01"))}
    assert first_line(tabla3["OEI.01"][-1]) == "57.62"
    assert first_line(tabla3["OEI.02"][-1]) == "100.00"
    assert first_line(tabla3["OEI.03"][-1]) == "0.00"
    assert tabla3["IND.03.OEI.01"][2:] == ["Descendente", "2", "1", "100.00\nverde"]
    tabla7 = {r[0]: r for r in table_rows(find_table(d, "IND.01.AEI.02.02"))}
    assert first_line(tabla7["AEI.01.03"][-1]) == "7.25"
    assert tabla7["AEI.02.02"][-1].startswith("ND")
    assert "no programado" in tabla7["IND.01.AEI.02.02"][-1]
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for expected in ("Resumen ejecutivo", "1. Prioridades institucionales en el periodo", "2.1. Valoración del desempeño del PEI",
                     "3.1. Estado de las AEI", "3.2.2. Identificación y análisis de las AEI críticas", "3.3. Aplicación de recomendaciones",
                     "4. Conclusiones", "5. Recomendaciones", "6. Anexos"):
        assert expected in headings, expected


def test_pei_numbering_matches_002(pei_report):
    captions = [p.text for p in pei_report.word.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Tabla 3. Semaforización por nivel de avance de los OEI") for c in captions)
    assert any(c.startswith("Tabla 7. Semaforización por nivel de avance de las AEI") for c in captions)


def test_pei_one_figure_per_indicator_and_every_citation_lands_on_it(pei_report):
    figures = [f for f in pei_report.doc.figures if f.key]
    indicators = datasets.load("pei-inpe").plan.indicators
    assert [f.key for f in figures[:3]] == ["IND.01.OEI.01", "IND.02.OEI.01", "IND.03.OEI.01"]
    assert {f.key for f in figures} == {i.code for i in indicators}
    assert all(f.caption.startswith("Evolución") == (f.years >= 2) for f in figures)  # one year is no evolution
    text = " ".join(" ".join(p.text for p in pei_report.word.paragraphs).split())
    number = {f.key: f.number for f in figures}
    # a figure of 2024 alone is never said to show an evolution; the one with six years (IND.02.AEI.01.03) is
    assert f"La Figura {number['IND.01.AEI.01.01']} compara el logro esperado y el valor obtenido de 2024" in text
    assert f"La Figura {number['IND.02.AEI.01.03']} muestra la evolución del indicador Número de establecimientos de medio libre" in text
    for f in figures:
        if f.years < 2:
            assert f"Figura {f.number} muestra la evolución" not in text and f"Figura {f.number} se muestra la evolución" not in text
    tables = {t.key: t.number for t in pei_report.doc.tables if t.key}
    assert f"en la Tabla {tables['resultados-OEI.01']} se resumen los resultados obtenidos por los 3 indicadores del OEI.01" in text
    assert f"en la Tabla {tables['semaforo-AEI']} se detallan los valores obtenidos" in text
    # the trend clauses about 2020-2024 are not published: the document has only 2024 for those indicators
    assert "desde el año 2020" not in text and "últimos 5 periodos" not in text
    assert not references.unresolved(text)


@pytest.mark.parametrize("which", ["policy_report", "pei_report"])
def test_every_figure_and_table_reference_resolves(which, request):
    import re

    report = request.getfixturevalue(which)
    known = {f"Figura {f.number}" for f in report.doc.figures} | {f"Tabla {t.number}" for t in report.doc.tables if t.numbered}
    body = "\n".join(report.pages)
    for ref in set(re.findall(r"\b(?:Figura|Tabla) \d+\b", body)):
        assert ref in known, ref
    assert "{{" not in body and "[[" not in body


def test_pei_structure_of_3_2_1_kept(pei_report):
    d = pei_report.word
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for sub in ("Educación Penitenciaria", "Trabajo Penitenciario", "Programas Estructurados de Tratamiento Intramuros"):
        assert sub in headings
    paragraphs = [" ".join(p.text.split()) for p in d.paragraphs if len(p.text) > 80 and not p.text.startswith(("Fuente:", "* "))]
    assert len(paragraphs) == len(set(paragraphs))  # each paragraph once
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    assert any(b.startswith("En la actividad operativa denominada EDUCACION BASICA ALTERNATIVA") for b in bullets)
    text = docx_text(d)
    assert text.count("AOI00051700243: EJECUCIÓN DE OBRA") == 1
    assert text.count("Ejercer la rectoría del Sistema Penitenciario Nacional") == 1
    order = [p.text for p in d.paragraphs]
    explained = next(k for k, t in enumerate(order) if t.startswith("De acuerdo a lo explicado"))
    third = next(k for k, t in enumerate(order) if t.startswith("Indicador: Número de personas privadas de libertad que logran evadirse"))
    assert explained > third  # the summary of the results table comes after the three indicators it summarises


def test_pei_body_uses_the_figure_the_data_support(pei_report, consistency_report):
    text = docx_text(pei_report.word)
    critical = table_rows(find_table(pei_report.word, "AEI.01.04", header="Priorizada"))
    assert [r[0] for r in critical[1:]] == ["AEI.01.03", "AEI.01.04", "AEI.01.05", "AEI.02.04", "AEI.03.01"]
    assert "Logró un avance de 7.25%" in text and "3.62" not in text
    assert "Error" not in text and "consistencia" not in text.lower()
    assert "EDUCACION BASICA ALTERNATIVA" in text and "CUI 2159429" in text  # AO and investments
    review = " ".join(docx_text(consistency_report.word).split())
    assert "AEI.01.03" in review and "3.62" in review and "7.25" in review
    assert "1,309" in review and "1,328" in review  # two passages of 002 count the attended differently
    assert "1,126 / 196,547 × 1,000 = 5.73" in review  # a printed rate its own counts do not give
    assert "desde el año 2020" in review  # the clause left out of the published body, and why
    assert "Error" not in review


def test_pei_xlsx(pei_report):
    wb = pei_report.workbook
    assert {"OEI", "IND.OEI", "AEI", "IND.AEI", "AO e inversiones", "Datos"} <= set(wb.sheetnames)
    aei = wb["AEI"]
    header = [c.value for c in aei[1]]
    rows = {r[0]: r for r in aei.iter_rows(min_row=2, values_only=True)}
    assert rows["AEI.01.03"][header.index("Avance 2024 (%)")] == pytest.approx(0.0725)
    assert rows["AEI.02.02"][header.index("Avance 2024 (%)")] is None and rows["AEI.02.02"][header.index("Semáforo")] == "ND"
    oei = {r[0]: r[header.index("Avance 2024 (%)")] for r in wb["OEI"].iter_rows(min_row=2, values_only=True)}
    assert oei == pytest.approx({"OEI.01": 0.5762, "OEI.02": 1.0, "OEI.03": 0.0})
    data = wb["Datos"]
    assert "Datos" in data.tables
    long = list(data.iter_rows(min_row=2, values_only=True))
    head = [c.value for c in data[1]]
    untranscribed = [r for r in long if r[0] == "IND.01.AEI.01.05" and r[6] == 2023 and r[8] == "Logro esperado"]
    assert untranscribed and untranscribed[0][head.index("Estado")] == "sin dato en la fuente"
    assert not any(r[head.index("Estado")] == "ND" and r[8] != "Avance" for r in long)  # 002 states no ND value


def test_pei_pdf_text_has_the_golden_figures(pei_report):
    text = "\n".join(pei_report.pages)
    for figure in ("57.62", "100.00", "0.00", "7.25", "AEI.02.02"):
        assert figure in text


# Layout, fidelity, determinism ---------------------------------------------------------------------


@pytest.mark.parametrize("which", ["policy_report", "pei_report", "consistency_report"])
def test_no_pdf_content_outside_the_page(which, request, tmp_path):
    """Every word Typst set lies inside its page's margins (pdftotext's word boxes, independent of the engine)."""
    import re

    report = request.getfixturevalue(which)
    (tmp_path / "r.pdf").write_bytes(report.pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "r.pdf"), "-"], capture_output=True, check=True).stdout.decode()
    margin, bottom = 1.5 * 72 / 2.54, 0.8 * 72 / 2.54  # the narrowest margin (landscape) less a little tolerance
    problems = []
    for k, (width, height, words) in enumerate(re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S), 1):
        for x0, _, x1, y1, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', words):
            if float(x0) < margin or float(x1) > float(width) - margin or float(y1) > float(height) - bottom:
                problems.append(f"página {k}: {word}")
    assert problems == []


@pytest.mark.parametrize("which", ["policy_report", "pei_report"])
def test_rendered_pages_have_clean_right_margins(which, request, tmp_path):
    """Independent of WeasyPrint: rasterise each page (pdftoppm) and check the right margin strip is blank,
    so no table column or long word runs off the content area."""
    report = request.getfixturevalue(which)
    (tmp_path / "r.pdf").write_bytes(report.pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(tmp_path / "r.pdf"), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.pgm"))
    assert len(pages) == len(report.pages) > 10
    for page in pages:
        im = Image.open(page)
        w, h = im.size
        landscape = w > h
        margin_mm = 16 if landscape else 20
        px_per_mm = 40 / 25.4
        x0 = int(w - (margin_mm - 3) * px_per_mm)  # 3 mm of tolerance next to the content edge
        strip = im.crop((x0, 0, w, h))
        assert strip.getextrema()[0] > 200, f"{page.name}: something is drawn in the right margin"


def test_same_data_same_files():
    ds = datasets.load("pnp2030")
    first = documents.generate(ds, 2024, "seguimiento", ["docx", "xlsx"])
    second = documents.generate(ds, 2024, "seguimiento", ["docx", "xlsx"])
    assert first["xlsx"] == second["xlsx"] and first["docx"] == second["docx"]
    a, b = load_workbook(io.BytesIO(first["xlsx"])), load_workbook(io.BytesIO(second["xlsx"]))
    assert [[c.value for row in ws.iter_rows() for c in row] for ws in a] == [[c.value for row in ws.iter_rows() for c in row] for ws in b]
    assert docx_text(read_docx(io.BytesIO(first["docx"]))) == docx_text(read_docx(io.BytesIO(second["docx"])))
    props = read_docx(io.BytesIO(first["docx"])).core_properties
    assert props.created.date().isoformat() == "2025-06-02"  # the edition's date, not the clock


def test_preliminary_marks_every_page(preliminary_report, policy_report):
    assert all("PRELIMINAR" in page for page in preliminary_report.pages)
    d = preliminary_report.word
    assert all("PRELIMINAR" in s.header.paragraphs[0].text for s in d.sections)
    assert "PRELIMINAR" in docx_text(d)
    wb = preliminary_report.workbook
    assert all("PRELIMINAR" in (ws.oddHeader.center.text or "") for ws in wb.worksheets)
    assert any("PRELIMINAR" in str(v) for r in wb["Resumen"].iter_rows(values_only=True) for v in r)
    assert all("PRELIMINAR" not in (ws.oddHeader.center.text or "") for ws in policy_report.workbook.worksheets)


def test_generate_rejects_what_it_cannot_make():
    ds = datasets.load("pnp2030")
    with pytest.raises(documents.ReportError, match="no tiene datos para 2031"):
        documents.generate(ds, 2031, formats=["xlsx"])
    with pytest.raises(documents.ReportError, match="use --kind seguimiento"):
        documents.generate(ds, 2024, "evaluacion", ["xlsx"])
    with pytest.raises(documents.ReportError, match="Formato no disponible"):
        documents.generate(ds, 2024, formats=["odt"])


def test_earlier_edition_uses_its_own_texts():
    """The 2020 report rebuilt from its own edition prints the analysis that edition published."""
    ds = datasets.load("pnp2030")
    src = documents.prepare(ds, 2020, vintage="RS-2020")
    doc = documents.build(src, "seguimiento")
    text = " ".join(getattr(b, "text", "") for b in doc.blocks)
    assert "Grupo de Trabajo Multisectorial" in text  # the 2020 summary
    assert "Texto generado a partir de los datos" not in text


def test_workflow_analyses_replace_the_generated_text():
    """Analyses approved in the review workflow (issue 4) are printed instead of generated paragraphs."""
    ds = datasets.load("pnp2030")
    src = documents.prepare(ds, 2024, analyses={"OP.03": "Análisis aprobado del OP.03.", "IOP.01.02": "Análisis aprobado del IOP.01.02."})
    doc = documents.build(src, "seguimiento")
    texts = [getattr(b, "text", "") for b in doc.blocks]
    start = texts.index(next(t for t in texts if t.startswith("2.3. OP.03")))
    assert texts[start:].index("Análisis aprobado del OP.03.") < texts[start:].index(next(t for t in texts[start:] if t.startswith("2.4.")))
    assert "Análisis aprobado del IOP.01.02." in texts
    assert not any(t.startswith("En 2024, el OP.03 registró") for t in texts)


TRACES = ("Texto generado a partir de los datos", "Cálculo de Vigía", "vigia check", "Vigía", "003_6fda", "002_2c9e", ".txt",
          "INDEX", "avance atipico", "avance_atipico", "Limitado a 100", "…", "Error", "SHA-256 (", "huella")


@pytest.mark.parametrize("which", ["policy_report", "pei_report"])
def test_no_trace_of_the_software_in_the_body(which, request):
    """The body names official documents and offices; the data fingerprint is only in the closing colophon line."""
    report = request.getfixturevalue(which)
    pages = report.pages
    body = "\n".join(pages[:-1]) + "\n" + pages[-1].split("Cifras de la edición")[0]
    for trace in TRACES:
        assert trace not in body, trace
    assert report.src.checksum not in body and report.src.checksum in pages[-1].replace("\n", "")
    assert "Firmas" in docx_text(report.word) and "Aprobado por" in docx_text(report.word)
    assert report.src.checksum in report.word.core_properties.keywords


def test_docx_has_a_table_of_contents_field_and_alt_text(pei_report):
    xml = pei_report.word.element.xml
    assert 'TOC \\o "1-3"' in xml
    assert all(s._inline.docPr.get("descr") for s in pei_report.word.inline_shapes)


def test_pdf_has_bookmarks_and_is_tagged(pei_report, tmp_path):
    (tmp_path / "r.pdf").write_bytes(pei_report.pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, check=True).stdout.decode()
    assert "Tagged:          yes" in info
    assert b"/Outlines" in pei_report.pdf and "Índice" in pei_report.pages[1]


def test_semester_document_speaks_of_the_semester(tmp_path):
    """With semester targets the report is made, and its headings and sentences speak of the semester."""
    import shutil

    folder = tmp_path / "pei-inpe"
    shutil.copytree(datasets.load("pei-inpe").path, folder)
    with (folder / "values.csv").open("a", encoding="utf-8") as f:
        f.write("IND.01.AEI.01.04,2024,S1,target,35,,EI-2024,prueba,\nIND.01.AEI.01.05,2024,S1,target,20,,EI-2024,prueba,\n")
    ds = datasets.load(folder)
    doc = documents.build(documents.prepare(ds, 2024, "S1"), "evaluacion")
    texts = [getattr(b, "text", "") for b in doc.blocks]
    assert doc.meta.title == "Informe de evaluación institucional primer semestre 2024"
    assert any("Semaforización por nivel de avance de las AEI, primer semestre 2024" == t.caption for t in doc.tables)
    assert not any(t.startswith("En 2024") for t in texts)
    assert any("en el primer semestre de 2024" in t for t in texts)


# Issue 11: what a planning office must be able to sign unchanged -----------------------------------


def test_signature_block_names_the_offices_in_full(policy_report):
    text = docx_text(policy_report.word)
    assert text.count("Oficina General de Planeamiento, Presupuesto y Modernización") >= 2  # revisado and aprobado
    blocks = [type(b).__name__ for b in policy_report.doc.blocks]
    annexes = next(k for k, b in enumerate(policy_report.doc.blocks) if getattr(b, "text", "") == "Anexos")
    assert blocks.index("Signatures") < annexes  # the body is signed; the annexes follow


def test_a_paragraph_that_announces_a_list_is_followed_by_it(pei_report, policy_report):
    """«…los siguientes criterios:» is never followed by a table or another paragraph instead of its list."""
    from vigia.documents.model import Bullets, Heading, Paragraph

    for report in (pei_report, policy_report):
        blocks = report.doc.blocks
        for k, b in enumerate(blocks[:-1]):
            if isinstance(b, Paragraph) and b.style == "body" and b.text.rstrip().endswith(":"):
                assert isinstance(blocks[k + 1], (Bullets, Heading)), b.text[-80:]
    texts = [getattr(b, "text", "") for b in pei_report.doc.blocks]
    announced = next(k for k, t in enumerate(texts) if t.endswith("el cual es:"))
    assert texts[announced + 1].startswith("Indicador: Número de documentos e instrumentos de gestión")  # 002 §2.2.2


def test_nested_lists_keep_their_labels_and_levels(pei_report):
    from vigia.documents.model import Bullets

    lists = [b for b in pei_report.doc.blocks if isinstance(b, Bullets)]
    policy = next(b for b in lists if any(i.startswith("a) Implementar cárceles productivas") for i in b.items))
    labelled = policy.labelled()
    assert labelled[0][:1] == ("a)",) and labelled[0][2] == 0
    assert labelled[1] == ("a.", "Ampliación de talleres y capacitación", 1)
    assert not any(text.startswith(("•", "–")) for _, text, _ in labelled)


def test_pei_matrix_lists_objectives_actions_and_indicators_only(pei_report):
    matrix = pei_report.doc.table("matriz")
    codes = [row[0].text.rstrip("*") for row in matrix.rows]
    assert "AEI.01.03" in codes and "IND.02.AEI.01.03" in codes
    assert not any(c.startswith(("AO", "CUI")) for c in codes)  # activities and investments are analysed in §3.2.1


def test_rows_that_belong_together_stay_on_one_page():
    from vigia.documents.model import Table

    t = Table("c", [], [[]] * 6, [1], group_rows={2, 3})
    assert t.kept() == {2: 4}  # two headings, their first row, and the last row with it
    assert Table("c", [], [[]] * 5, [1], group_rows={0}).kept() == {0: 2, 3: 2}


@pytest.mark.parametrize("which", ["policy_report", "pei_report"])
def test_spanish_contractions_and_plurals(which, request):
    import re

    body = " ".join("\n".join(request.getfixturevalue(which).pages).split())
    assert not re.search(r"\bde el\b|\ba el\b", body)
    assert not re.search(r"\b1 indicadores\b|\bsus 1\b|\b0 (?:alcanzan|están)\b", body)


def test_semester_document_counts_in_words(tmp_path):
    import shutil

    folder = tmp_path / "pei-inpe"
    shutil.copytree(datasets.load("pei-inpe").path, folder)
    with (folder / "values.csv").open("a", encoding="utf-8") as f:
        f.write("IND.01.AEI.01.04,2024,S1,target,35,,EI-2024,prueba,\n")
    doc = documents.build(documents.prepare(datasets.load(folder), 2024, "S1"), "evaluacion")
    summary = next(b.text for b in doc.blocks if getattr(b, "text", "").startswith("En el primer semestre de 2024, el avance de los"))
    assert "OEI.01 sin avance (ND)" in summary and "ND (ND)" not in summary and " 0 " not in summary
    tabla3 = doc.table("semaforo-OEI")
    assert tabla3.rows[1][3].text == "—" and any("sin dato en la fuente" in n for n in tabla3.notes)


def test_consistency_workbook_lists_the_passages_left_out(consistency_report):
    wb = consistency_report.workbook
    assert {"Resumen", "Diferencias", "Pasajes no publicados"} <= set(wb.sheetnames)
    passages = [r for r in wb["Pasajes no publicados"].iter_rows(min_row=2, values_only=True)]
    assert any("desde el año 2020" in r[0] for r in passages)
    assert any(r[1] and r[1].startswith("El sentido esperado del indicador es descendente") for r in passages)


@pytest.mark.parametrize("which", ["policy_report", "pei_report", "consistency_report"])
def test_no_trace_of_the_software_in_docx_and_xlsx(which, request):
    report = request.getfixturevalue(which)
    docx = docx_text(report.word).split("Cifras de la edición")[0]
    cells = "\n".join(str(v) for ws in report.workbook for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str))
    cut = ("…",) if which != "consistency_report" else ()  # the reviewer's report quotes passages that go on with …
    for trace in ("Vigía", "vigia", "003_6fda", "002_2c9e", ".txt", "INDEX", "avance_atipico", "Limitado a 100", "Alerta a (003)", *cut):
        assert trace not in docx, trace
        assert trace not in cells, trace
    assert report.workbook.properties.creator != "Vigía"
