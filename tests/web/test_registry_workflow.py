"""The registry inside Vigía: organisational units from each import, values proposed for linked
indicators of an open campaign, confirmed or corrected through the workflow (never by themselves)."""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from vigia.core import models as core
from vigia.registry import Registry, import_extract
from vigia.reporting import proposals
from vigia.reporting.models import Campaign, Notification, Proposal, Submission

from .helpers import client_for

pytestmark = pytest.mark.django_db
EXTRACT = Path(__file__).parents[1] / "registry" / "extracto"
PERSON_ID = re.compile(r"\bP\d\d\b")  # the extract's pseudonymous ids
SIN_SENTENCIA_2024 = 600 / 19  # golden: 6 of 19 persons in EPs on 31/12/2024 have no sentence (tests/registry)


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Registry:
    data = tmp_path_factory.mktemp("registro")
    import_extract(EXTRACT, data)
    return Registry(data)


@pytest.fixture
def campaign_2024(people):
    c = Campaign.objects.create(plan=core.Plan.objects.get(code="pnp2030"), name="Seguimiento 2024 (registro)", year=2024,
                                opens=date(2025, 1, 5), deadline=date(2025, 3, 31), opened_by=people["ogpm"])
    c.indicators.set(core.Indicator.objects.filter(plan__code="pnp2030", code__in=["IOP.01.01", "IOP.01.02", "IOP.03.01"]))
    return c


def url(campaign, code, proposal=None):
    base = f"/campanas/{campaign.pk}/reportes/{code}/"
    return f"{base}propuesta/{proposal.pk}/" if proposal else base


def test_units_come_from_the_extract_and_the_admin_only_shows_them(registry, admin_client):
    counts, _ = proposals.after_import(registry)
    assert counts == {"offices": 8, "EP": 6, "EML": 3}
    nation = core.OrgUnit.objects.get(code="PE")
    assert nation.kind == "nacion" and nation.parent is None
    assert core.OrgUnit.objects.filter(kind="oficina", parent=nation).count() == 8
    ep02 = core.OrgUnit.objects.get(code="EP02")
    assert (ep02.parent.code, ep02.department, ep02.kind) == ("Lima", "15", "EP")
    assert [(c.since, c.capacity) for c in ep02.capacities.all()] == [(date(2000, 1, 1), 4), (date(2024, 3, 1), 6)]
    proposals.after_import(registry)  # idempotent
    assert core.OrgUnit.objects.count() == 1 + 8 + 9 and core.OrgUnitCapacity.objects.count() == 10
    assert admin_client.get("/admin/core/orgunit/").status_code == 200
    assert admin_client.get(f"/admin/core/orgunit/{ep02.pk}/change/").status_code == 200
    assert admin_client.get("/admin/core/orgunit/add/").status_code == 403
    assert admin_client.post(f"/admin/core/orgunit/{ep02.pk}/delete/", {"post": "yes"}).status_code == 403
    assert core.OrgUnit.objects.filter(code="EP02").exists()


def test_linked_indicators_get_a_proposal_and_nothing_else_changes(registry, campaign_2024, people):
    published = core.Value.objects.get(indicator__plan__code="pnp2030", indicator__code="IOP.01.02", year=2024, kind="actual",
                                       vintage__code="RS-2024")
    run = proposals.propose(registry)
    assert run.proposed == ["IOP.01.01 (Seguimiento 2024 (registro))", "IOP.01.02 (Seguimiento 2024 (registro))"]
    p = Proposal.objects.get(submission__indicator__code="IOP.01.02")
    assert (p.measure, p.date, p.extract_date, p.numerator, p.denominator) == ("sin_sentencia", date(2024, 12, 31), date(2024, 12, 31), 6, 19)
    assert p.value == pytest.approx(SIN_SENTENCIA_2024)
    assert p.label == "calculado del registro (extracto del 31/12/2024)"
    s = p.submission
    assert (s.value, s.status, s.state, s.version) == (None, "", "draft", 0)  # a proposal never writes the report
    published.refresh_from_db()
    assert published.value == 37.85
    assert not Proposal.objects.filter(submission__indicator__code="IOP.03.01").exists()  # not linked
    notice = Notification.objects.get(user=people["op_pj"], kind="propuesto")
    assert "31.58%" in notice.text and "extracto del 31/12/2024" in notice.text
    again = proposals.propose(registry)
    assert again.proposed == [] and len(again.unchanged) == 2 and Proposal.objects.count() == 2


def test_the_operator_sees_and_confirms_the_proposal(registry, campaign_2024, people):
    proposals.propose(registry)
    p = Proposal.objects.get(submission__indicator__code="IOP.01.02")
    op = client_for(people["op_pj"])
    page = op.get(url(campaign_2024, "IOP.01.02")).content.decode()
    assert "31.58%" in page and "calculado del registro (extracto del 31/12/2024)" in page and "Confirmar el valor propuesto" in page
    assert op.post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": 0}).status_code == 302
    s = Submission.objects.get(pk=p.submission_id)
    assert s.value == pytest.approx(SIN_SENTENCIA_2024) and s.state == "draft"
    assert s.source == "Registro penitenciario, calculado del registro (extracto del 31/12/2024)"
    p.refresh_from_db()
    assert (p.decision, p.decided_by) == ("confirmado", people["op_pj"])
    assert published_2024() == 37.85  # published only after review and publication
    assert op.post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": s.version}).status_code == 422
    audit = client_for(people["analista"]).get("/auditoria.csv").content.decode()
    assert "valor del registro" in audit and "Confirmado" in audit
    # four eyes: the operator who confirmed cannot approve; the analyst reviews as any report
    assert op.post(url(campaign_2024, "IOP.01.02"), {"accion": "enviar"}).status_code == 302
    assert client_for(people["analista"]).post(url(campaign_2024, "IOP.01.02"), {"accion": "aprobar"}).status_code == 302


def published_2024():
    return core.Value.objects.get(indicator__plan__code="pnp2030", indicator__code="IOP.01.02", year=2024, kind="actual",
                                  vintage__code="RS-2024").value


def test_a_correction_needs_its_justification(registry, campaign_2024, people):
    proposals.propose(registry)
    p = Proposal.objects.get(submission__indicator__code="IOP.01.02")
    op = client_for(people["op_pj"])
    refused = op.post(url(campaign_2024, "IOP.01.02", p), {"accion": "corregir", "version": 0, "value": "33.1", "correction": " "})
    assert refused.status_code == 422 and "justificación de la corrección" in refused.content.decode()
    assert Submission.objects.get(pk=p.submission_id).value is None
    done = op.post(url(campaign_2024, "IOP.01.02", p), {"accion": "corregir", "version": 0, "value": "33,1",
                                                          "correction": "El extracto no incluye los penales de Lima Norte."})
    assert done.status_code == 302
    assert Submission.objects.get(pk=p.submission_id).value == 33.1
    p.refresh_from_db()
    assert (p.decision, p.corrected_value, p.justification) == ("corregido", 33.1, "El extracto no incluye los penales de Lima Norte.")


def test_only_the_responsible_entity_decides_and_locks_hold(registry, campaign_2024, people):
    proposals.propose(registry)
    p = Proposal.objects.get(submission__indicator__code="IOP.01.02")
    assert client_for(people["op_inpe"]).post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": 0}).status_code == 403
    assert client_for(people["decisor"]).post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": 0}).status_code == 403
    stale = client_for(people["op_pj"]).post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": 7})
    assert stale.status_code == 409
    campaign_2024.closed = True
    campaign_2024.save()
    closed = client_for(people["op_pj"]).post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": 0})
    assert closed.status_code == 422 and "cerrada" in closed.content.decode()
    p.refresh_from_db()
    assert p.decision == "pendiente" and Submission.objects.get(pk=p.submission_id).value is None


def test_a_new_extract_replaces_a_pending_proposal_and_closed_campaigns_get_none(registry, campaign_2024, tmp_path):
    proposals.propose(registry)
    other = tmp_path / "otro"
    other.mkdir()
    for f in EXTRACT.iterdir():
        (other / f.name).write_bytes(f.read_bytes())
    with (other / "estancias.csv").open("a") as f:
        f.write("P99,EP01,M,1990-01-01,2024-12-20,,,,robo\n")
    import_extract(other, tmp_path / "datos")
    run = proposals.propose(Registry(tmp_path / "datos"))
    assert len(run.proposed) == 2
    decisions = sorted(Proposal.objects.filter(submission__indicator__code="IOP.01.02").values_list("decision", flat=True))
    assert decisions == ["pendiente", "reemplazado"]
    assert proposals.pending(Submission.objects.get(indicator__code="IOP.01.02", campaign=campaign_2024)).value == pytest.approx(700 / 20)
    Campaign.objects.filter(pk=campaign_2024.pk).update(closed=True)
    assert proposals.propose(registry).proposed == []


def test_a_period_outside_the_extract_is_said_not_guessed(registry, people):
    c = Campaign.objects.create(plan=core.Plan.objects.get(code="pnp2030"), name="Seguimiento 2025", year=2025,
                                opens=date(2026, 1, 5), deadline=date(2026, 3, 31), opened_by=people["ogpm"])
    c.indicators.set(core.Indicator.objects.filter(plan__code="pnp2030", code="IOP.01.02"))
    run = proposals.propose(registry)
    assert run.proposed == [] and "no cubre el 31/12/2025" in run.skipped[0]


def test_the_cli_import_loads_units_into_vigia(tmp_path):
    """`vigia registry import` on an installation with a database: units and proposals, said in Spanish."""
    vigia = Path(sys.executable).with_name("vigia")
    env = {**os.environ, "VIGIA_DATA_DIR": str(tmp_path / "datos")}
    env.pop("DATABASE_URL", None)
    before = subprocess.run([str(vigia), "registry", "import", str(EXTRACT)], env=env, capture_output=True, text=True, timeout=120)
    assert before.returncode == 0 and "Vigía aún no tiene base de datos" in before.stdout
    assert subprocess.run([str(vigia), "load", "pei-inpe"], env=env, capture_output=True, text=True, timeout=300).returncode == 0
    after = subprocess.run([str(vigia), "registry", "import", str(EXTRACT), "--discard"], env=env, capture_output=True, text=True,
                           timeout=120)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "Unidades organizativas: INPE, 8 oficinas regionales, 6 EP y 3 EML." in after.stdout
    assert not PERSON_ID.search(after.stdout + after.stderr + before.stdout + before.stderr)  # no person in any output



# The marker: where operators see their work, how many proposals await them ---------------------------

PAGES = ("/campanas/", "/pendientes/", "{grid}")


def marked(client, campaign) -> dict[str, str]:
    return {page: client.get(page.format(grid=f"/campanas/{campaign.pk}/grilla/")).content.decode() for page in PAGES}


def test_the_marker_counts_what_each_operator_decides_and_goes_away(registry, campaign_2024, people):
    proposals.propose(registry)
    op = client_for(people["op_pj"])
    campaigns, pending, grid = marked(op, campaign_2024).values()
    assert f'href="/pendientes/?campana={campaign_2024.pk}#por-confirmar" data-awaiting="1">1 valor del registro por confirmar' in campaigns
    for page in (pending, grid):
        assert 'data-awaiting="1"' in page and "Un valor calculado del registro penitenciario espera" in page
        assert f'href="/campanas/{campaign_2024.pk}/reportes/IOP.01.02/#propuesta">IOP.01.02</a>: <strong class="num">31.58%</strong>' in page
        assert 'data-code="IOP.01.01"' not in page.split('id="por-confirmar"')[1].split("</section>")[0]  # INPE's, not theirs
    assert "Seguimiento 2024 (registro)" in pending.split('id="por-confirmar"')[1]  # which campaign
    assert '#propuesta" title="Valor calculado del registro' in grid  # the line itself
    office = marked(client_for(people["ogpm"]), campaign_2024)  # the planning office may decide either
    assert 'data-awaiting="2"' in office["/campanas/"] and 'data-awaiting="2"' in office["/pendientes/"]
    assert not any("por-confirmar" in page for page in (client_for(people["analista"]).get("/campanas/").content.decode(),
                                                         client_for(people["analista"]).get("/pendientes/").content.decode()))
    p = Proposal.objects.get(submission__indicator__code="IOP.01.02")
    assert op.post(url(campaign_2024, "IOP.01.02", p), {"accion": "confirmar", "version": 0}).status_code == 302
    assert not any("por-confirmar" in page or "data-awaiting" in page for page in marked(op, campaign_2024).values())
    assert 'data-awaiting="1"' in marked(client_for(people["ogpm"]), campaign_2024)["/pendientes/"]  # IOP.01.01 still waits


def test_the_marker_costs_the_same_queries_for_none_or_many(registry, campaign_2024, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    proposals.propose(registry)
    others = core.Indicator.objects.filter(plan__code="pnp2030", entity__code="Poder Judicial").exclude(code="IOP.01.02")
    for ind in others:
        campaign_2024.indicators.add(ind)
        s = Submission.objects.create(campaign=campaign_2024, indicator=ind)
        Proposal.objects.create(submission=s, measure="poblacion", date=date(2024, 12, 31), extract_date=date(2024, 12, 31),
                                extract_sha256="0" * 64, value=19)
    op = client_for(people["op_pj"])

    def queries() -> dict[str, int]:
        counts = {}
        for page in PAGES:
            with CaptureQueriesContext(connection) as captured:
                assert op.get(page.format(grid=f"/campanas/{campaign_2024.pk}/grilla/")).status_code == 200
            counts[page] = len(captured)
        return counts

    assert others and all(f'data-awaiting="{1 + len(others)}"' in page for page in marked(op, campaign_2024).values())
    many = queries()  # after a first visit: figures cached alike in both counts
    Proposal.objects.update(decision=Proposal.Decision.CONFIRMED)
    assert queries() == many  # one query for the marker, whatever it counts
