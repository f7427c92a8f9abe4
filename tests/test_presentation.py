"""The number style and the citizen wording shared by pages, downloads and documents."""

from vigia.methodology import checks, ruleset
from vigia.methodology.model import Observation, Status
from vigia.methodology.rules import PEI, POLICY
from vigia.presentation import findings, numbers, sources


def test_one_number_style():
    assert numbers.number(36.5, "percentage") == "36.50%"
    assert numbers.number(6235, "number") == "6,235"
    assert numbers.number(23.7, "percentage", 0) == "24%"  # ISS.04.05.01.01 as 003 prints it
    assert numbers.number(3.752, "rate") == "3.75"
    assert numbers.number(None) == "ND"
    assert numbers.progress(1666.66, POLICY) == "1,666.7%"
    assert numbers.progress(57.6166, PEI, sign=False) == "57.62"
    assert numbers.progress(None, POLICY) == "ND"
    assert numbers.change(65.37, 41.3) == "-36.8%"


def test_absent_is_neither_a_number_nor_nd():
    assert numbers.observation(Observation(None), "percentage") == numbers.ABSENT
    assert numbers.observation(Observation(None, Status.SD), "percentage") == "SD"
    assert numbers.observation(Observation(4948.0), "number") == "4,948"


def test_sources_and_findings_name_documents_not_seed_files(policy):
    assert sources.cite("003 matriz 2024", policy) == "Reporte de seguimiento 2024 (formato CEPLAN), matriz 2024"
    assert sources.cite("Oficina de planeamiento", policy) == "Oficina de planeamiento"
    found = checks.check(policy.plan, ruleset("policy"), policy.editions(), policy.spec.current_vintage)
    texts = [findings.plain(f, policy) for f in found]
    assert texts and not any(t in " ".join(texts) for t in ("000 ", "003 ", "sentido_invertido"))
    assert any("como si el indicador debiera subir" in t for t in texts)
