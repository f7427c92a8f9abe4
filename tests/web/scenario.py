"""A whole installation in use, and everything it shows: the backup/restore test runs this script
in a subprocess against a data folder (and database), before the backup and after the restore.

    python tests/web/scenario.py populate   # official data, users, a campaign in every state, evidence
    python tests/web/scenario.py outputs    # JSON: every public and internal output, per audience
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import sys

PASSWORD = "clave-de-la-copia-2030"
USERS = {"ogpm": ("admin", None), "analista": ("analyst", None), "op_inpe": ("operator", "INPE"),
         "op_pj": ("operator", "Poder Judicial"), "decisor": ("decision", None)}
YEAR = 2025


def populate() -> None:
    from vigia import server

    server.setup()
    server.migrate()
    server.load_all()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from vigia.core.models import Entity
    from vigia.reporting import services

    User = get_user_model()
    clients = {}
    for name, (role, entity) in USERS.items():
        user = User.objects.create_user(name, f"{name}@example.pe", PASSWORD)
        services.set_role(user, role, Entity.objects.get(code=entity) if entity else None)
        clients[name] = Client()
        clients[name].force_login(user)
    ogpm, op, analyst = clients["ogpm"], clients["op_inpe"], clients["analista"]
    assert ogpm.post("/campanas/", {"plan": "pnp2030", "year": YEAR, "opens": "2026-01-05", "deadline": "2026-03-31",
                                    "name": "Reporte 2025", "no_target_reason": "Metas en aprobación"}).status_code == 302
    for code, value in (("IOP.03.01", "60"), ("IOP.02.01", "55"), ("IOP.06.02", "5")):
        assert ogpm.post(f"/planes/pnp2030/indicadores/{code}/logro/{YEAR}/", {"valor": value}).status_code == 302

    def report(code, value, *steps, who=op):
        from vigia.reporting.models import Submission

        s = Submission.objects.get(campaign__year=YEAR, indicator__code=code)
        assert who.post(f"/campanas/{s.campaign_id}/reportes/{code}/", {"accion": "guardar", "version": s.version, "value": value,
                                                                        "justification": "Cambio real", "analysis": f"Análisis de {code}"}).status_code == 302
        for reviewer, action in steps:
            assert clients[reviewer].post(f"/campanas/{s.campaign_id}/reportes/{code}/", {"accion": action, "comentario": "ok"}).status_code == 302
        return s

    report("IOP.03.01", "13.2", ("op_inpe", "enviar"), ("analista", "aprobar"), ("ogpm", "publicar"))  # published
    report("IOP.02.01", "58.5", ("op_inpe", "enviar"), ("analista", "aprobar"))  # approved
    report("IOP.05.02", "1.5", ("op_inpe", "enviar"))  # submitted
    s = report("IOP.06.02", "4.4")  # a draft of INPE
    pdf = io.BytesIO(b"%PDF-1.4 evidencia de la copia")
    pdf.name = "acta.pdf"
    assert op.post(f"/campanas/{s.campaign_id}/reportes/IOP.06.02/evidencia/", {"archivo": pdf}).status_code == 302
    assert op.post(f"/campanas/{s.campaign_id}/analisis/OP.03/", {"version": 0, "texto": "Análisis del OP.03"}).status_code == 302
    from vigia.reporting.models import Commitment

    item = Commitment.objects.order_by("pk").first()
    assert analyst.post("/compromisos/", {"id": item.pk, "version": item.version, "responsible": "Dirección de Tratamiento",
                                          "status": "en_proceso", "deadline": "2026-06-30", "follow_up": "Plan aprobado"}).status_code == 302


PUBLIC = ["/transparencia/", "/transparencia/pnp2030/2024/", f"/transparencia/pnp2030/{YEAR}/", "/transparencia/pnp2030/2024/datos.csv",
          "/transparencia/pnp2030/2024/datos.json", "/transparencia/pei-inpe/2024/", "/transparencia/pnp2030/2024/indicadores/IOP.03.01/",
          "/api/publico/planes", f"/api/publico/planes/pnp2030/avance/{YEAR}", "/api/publico/planes/pnp2030/valores?limit=1000",
          "/api/publico/planes/pei-inpe/alertas/2024"]
INTERNAL = ["/planes/", "/planes/pnp2030/", f"/planes/pnp2030/matriz/?anio={YEAR}", f"/planes/pnp2030/matriz.csv?anio={YEAR}",
            f"/planes/pnp2030/indicadores/IOP.03.01/?anio={YEAR}", f"/api/planes/pnp2030/avance/{YEAR}", "/campanas/", "/compromisos/",
            "/notificaciones/"]
DOCUMENTS = [f"/planes/pnp2030/reporte.docx?anio={YEAR}&preliminar=1", "/planes/pei-inpe/reporte.xlsx?anio=2024"]
REVIEW = ["/campanas/1/", "/campanas/1/reportes/IOP.06.02/", "/campanas/1/reportes/IOP.02.01/",
          "/campanas/1/plantilla.xlsx", "/campanas/1/analisis/OP.03/"]
VOLATILE = [re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'), re.compile(rb'"X-CSRFToken": "[^"]+"')]


def outputs() -> None:
    from vigia import server

    server.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from vigia.reporting.models import Evidence, Notification

    Notification.objects.update(read=True)  # opening a page marks its notices read: the outputs would change as they are read
    out = {}
    anonymous = Client()
    for url in PUBLIC:
        out[f"anónimo {url}"] = _digest(anonymous.get(url))
    for name in USERS:
        c = Client()
        login = c.post("/cuentas/ingresar/", {"username": name, "password": PASSWORD})  # passwords survive the restore
        assert login.status_code == 302, name
        for url in (INTERNAL + (REVIEW if name in ("ogpm", "analista", "op_inpe") else []) + (DOCUMENTS if name in ("ogpm", "op_pj") else [])
                    + (["/auditoria.csv"] if name in ("ogpm", "analista") else [])):
            out[f"{name} {url}"] = _digest(c.get(url))
    evidence = Evidence.objects.get()
    c = Client()
    c.force_login(get_user_model().objects.get(username="op_inpe"))
    out["evidencia"] = _digest(c.get(f"/campanas/1/reportes/IOP.06.02/evidencia/{evidence.pk}/"))
    print(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True))


def _digest(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    for pattern in VOLATILE:
        content = pattern.sub(b"", content)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
        from openpyxl import load_workbook  # the template's file properties carry the time it was made: compare its cells

        book = load_workbook(io.BytesIO(content))
        content = repr([(ws.title, list(ws.iter_rows(values_only=True))) for ws in book.worksheets]).encode()
    return f"{response.status_code} {hashlib.sha256(content).hexdigest()[:16]} {len(content)}"


if __name__ == "__main__":
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    {"populate": populate, "outputs": outputs}[sys.argv[1]]()
