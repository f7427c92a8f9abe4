"""presentation.registry on a registry of three establishments: departments rolled up from them,
and, in public, a department hidden whenever one of its establishments is."""

from datetime import date
from types import SimpleNamespace

from vigia.presentation import registry as presenter
from vigia.registry import privacy
from vigia.registry.measures import MeasureRow

ON = date(2024, 12, 31)
UNITS = [{"code": "A", "name": "EP A", "kind": "EP", "office": "Lima", "department": "15", "capacity": 80, "area_m2": None},
         {"code": "B", "name": "EP B", "kind": "EP", "office": "Lima", "department": "15", "capacity": 10, "area_m2": None},
         {"code": "C", "name": "EP C", "kind": "EP", "office": "Norte – Chiclayo", "department": "14", "capacity": 40, "area_m2": None},
         {"code": "D", "name": "EP D", "kind": "EP", "office": "Norte – Chiclayo", "department": "20", "capacity": 40, "area_m2": None}]
POP = {"A": 100, "B": 3, "C": 50, "D": 60}


class FakeRegistry:
    info = SimpleNamespace(cutoff=ON, start=date(2024, 1, 1))

    def standard_dates(self):
        return [ON]

    def units(self, on=None):
        return UNITS

    def measures(self, dates, names=None, scopes=None, code=None, sex=None, public=False):
        rows = [MeasureRow("poblacion", ON, "nation", "PE", "", sum(POP.values()))]
        rows += [MeasureRow("poblacion", ON, "office", o, "", sum(POP[u["code"]] for u in UNITS if u["office"] == o), parent="PE")
                 for o in ("Lima", "Norte – Chiclayo")]
        rows += [MeasureRow("poblacion", ON, "establishment", u["code"], "", POP[u["code"]], parent=u["office"]) for u in UNITS]
        return privacy.suppress(rows) if public else rows

    def series(self, measure, scope="nation", code="PE", sex=""):
        return [r for r in self.measures([ON]) if r.scope == scope and r.code == code]


def departments(public):
    view = presenter.build(FakeRegistry(), "poblacion", ON, None, public)
    return {r[0]: r[3] for r in view.departments.csv_rows}, view


def test_departments_sum_their_establishments():
    found, view = departments(public=False)
    assert found == {"15": 103, "14": 50, "20": 60}
    assert [e["code"] for e in view.establishments] == ["A", "B", "C", "D"]


def test_a_department_with_a_hidden_establishment_is_hidden_in_public():
    found, view = departments(public=True)
    assert found["15"] is None  # Lima minus EP A would give EP B's 3 persons away
    hidden = {e["code"] for e in view.establishments if e["value"] is None}
    assert "B" in hidden and found["14"] == (None if "C" in hidden else 50)
    assert all(v is None or v >= 5 for v in found.values())
    assert view.nation["text"] == "213"
