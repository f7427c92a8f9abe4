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
                     "5. Alternativas para mejorar el cumplimiento", "Anexo 1. Matriz de seguimiento 2024",
                     "Anexo 2. Nota metodológica"):
        assert expected in headings
    assert sum(h.startswith("2.") and "(avance" in h for h in headings) == 6
    assert {h[:2] for h in headings if h[1:3] == ". " and h[0] in "abcd"} == {"a.", "b.", "c.", "d."}
    text = docx_text(d)
    assert "Fecha de corte de los datos" in text and "31 de diciembre de 2024" in text
    assert policy_report.src.checksum in text and "RS-2024" in text
    # the OP.01 indicator table: code, name, source, baseline year and value, expected, obtained, avance and band word
    row = next(r for r in table_rows(find_table(d, "IOP.01.02")) if r[0] == "IOP.01.02")
    assert row[2] == "Poder Judicial" and row[3:7] == ["2019", "36.50%", "26.00%", "37.85%"] and row[7] == "68.7\nrojo"
    # IOP.02.01 is not capped in the policy: 125.7
    assert "125.7\nverde" in [c.text for c in find_table(d, "IOP.02.01").rows[-2].cells]


def test_policy_band_cells_are_shaded(policy_report):
    xml = policy_report.word.element.xml
    for fill in ("FFCDD2", "FFF3C4", "C8E6C9", "E0E0E0"):
        assert f'w:fill="{fill}"' in xml


def test_policy_alerts_and_generated_texts_say_so(policy_report):
    text = docx_text(policy_report.word)
    assert "IOP.01.01" in text and "ISS.01.05.01.01" in text and "ISS.04.05.01.01" in text
    assert "IOP.06.02 «Porcentaje de mujeres y hombres egresados del sistema penitenciario reinsertados laboralmente»: avance de 4.0%." in text
    assert "Texto generado a partir de los datos" in text  # 2024 has no stored analysis: it says so
    assert "Las siguientes se derivan de las alertas" in text


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
    assert {"Resumen", "OP", "IOP", "LN", "SS", "ISS", "Alertas", "Metodología"} <= set(wb.sheetnames)
    op = wb["OP"]
    header = [c.value for c in op[1]]
    avance = header.index("Avance 2024 (%)")
    values = {r[0]: r[avance] for r in op.iter_rows(min_row=2, values_only=True)}
    assert values == {k: float(v) for k, v in OP_AVANCES.items()}
    iop = wb["IOP"]
    header = [c.value for c in iop[1]]
    row = next(r for r in iop.iter_rows(min_row=2) if r[0].value == "IOP.02.01")
    assert row[header.index("Avance 2024 (%)")].value == 125.7
    assert row[header.index("Valor obtenido 2024")].value == 65.37
    assert row[header.index("Valor obtenido 2024")].number_format == '0.00"%"'
    for ws in (op, iop, wb["ISS"]):
        assert ws.freeze_panes == "D2" and ws.auto_filter.ref.startswith("A1:")
        assert len(ws.conditional_formatting) >= 1
        for r in ws.iter_rows(min_row=2):
            for c in r:
                if isinstance(c.value, str):  # numbers are never stored as text
                    assert not c.value.replace(".", "", 1).replace("-", "", 1).isdigit(), (ws.title, c.coordinate, c.value)
    summary = [r for r in wb["Resumen"].iter_rows(values_only=True)]
    assert ("INDEX", "Índice de gestión de la política nacional", 69.0, "rojo") in [r[:4] for r in summary]
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


def test_pei_one_evolution_figure_per_indicator(pei_report):
    figures = [f for f in pei_report.doc.figures if f.caption.startswith("Evolución del indicador ")]
    indicators = datasets.load("pei-inpe").plan.indicators
    assert [f.caption.split(":")[0].removeprefix("Evolución del indicador ") for f in figures[:3]] == [
        "IND.01.OEI.01", "IND.02.OEI.01", "IND.03.OEI.01"]  # Figuras 1-3 as in 002
    assert {f.caption.split(":")[0].removeprefix("Evolución del indicador ") for f in figures} == {i.code for i in indicators}
    assert [f.caption for f in pei_report.doc.figures[-2:]] == ["Avance de los OEI, 2024", "Avance de las AEI, 2024"]


def test_pei_critical_aei_and_the_contradiction_flagged(pei_report):
    text = docx_text(pei_report.word)
    critical = table_rows(find_table(pei_report.word, "AEI.01.04", header="Priorizada"))
    assert [r[0] for r in critical[1:]] == ["AEI.01.03", "AEI.01.04", "AEI.01.05", "AEI.02.04", "AEI.03.01"]
    assert "el texto registrado cita un avance de 3.62% para AEI.01.03; el avance calculado con los datos de este documento es 7.25%" in text
    assert "AEI.01.03: 002 §3.2.2 publica 3.62, pero el promedio de sus indicadores es 7.25." in text
    assert "EDUCACION BASICA ALTERNATIVA" in text and "CUI 2159429" in text  # AO and investments


def test_pei_xlsx(pei_report):
    wb = pei_report.workbook
    assert {"OEI", "IND.OEI", "AEI", "IND.AEI", "AO e inversiones", "Consistencia"} <= set(wb.sheetnames)
    aei = wb["AEI"]
    header = [c.value for c in aei[1]]
    rows = {r[0]: r for r in aei.iter_rows(min_row=2, values_only=True)}
    assert rows["AEI.01.03"][header.index("Avance 2024 (%)")] == 7.25
    assert rows["AEI.02.02"][header.index("Avance 2024 (%)")] is None and rows["AEI.02.02"][header.index("Semáforo")] == "ND"
    oei = {r[0]: r[header.index("Avance 2024 (%)")] for r in wb["OEI"].iter_rows(min_row=2, values_only=True)}
    assert oei == {"OEI.01": 57.62, "OEI.02": 100.0, "OEI.03": 0.0}


def test_pei_pdf_text_has_the_golden_figures(pei_report):
    text = "\n".join(pei_report.pages)
    for figure in ("57.62", "100.00", "0.00", "7.25", "AEI.02.02"):
        assert figure in text


# Layout, fidelity, determinism ---------------------------------------------------------------------


def test_no_pdf_content_outside_the_page(policy_report, pei_report):
    """WeasyPrint's own layout: every box of every page lies inside the page's content area."""
    assert policy_report.overflow == []
    assert pei_report.overflow == []


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
