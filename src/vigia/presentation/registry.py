"""The penitentiary registry as pages show it: one measure on one date by department and by oficina
regional (maps with their tables), its monthly series for a unit, and the establishments' table.

Departments are not a unit of the registry: their figures are rolled up from the establishments
with ``methodology.units`` (numerators and denominators summed). Public views (the portal) start
from the suppressed rows (cells under 5 persons blanked, ``registry.privacy``) and blank a
department whenever one of its establishments is blanked, so no figure reveals a hidden one.
No person-level row is ever read here: only the registry's aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from vigia.methodology.bands import Band, band_of
from vigia.methodology.model import Direction
from vigia.methodology.progress import progress_of
from vigia.methodology.rules import RuleSet
from vigia.methodology.units import UnitValue, roll_up
from vigia.registry import privacy
from vigia.registry.measures import BY_NAME, MEASURES, Measure, MeasureRow
from vigia.registry.schema import DEPARTMENTS, NATION, OFFICES

from . import charts, numbers

GEO = {"name": "peru", "id": "FIRST_IDDP"}  # the bundled departments' GeoJSON and its ubigeo property
RESERVED = "reservado (< 5 personas)"
NATION_NAME = "Nacional (INPE)"
SORTS = {"codigo": "code", "nombre": "name", "oficina": "office", "departamento": "department_name", "capacidad": "capacity",
         "valor": "value"}


@dataclass(frozen=True)
class Target:
    """The linked indicator's logro esperado for the year shown: the maps take band colours from it."""

    code: str
    year: int
    value: float
    direction: Direction
    rules: RuleSet


@dataclass
class View:
    measure: Measure
    on: date
    dates: list[date]
    unit: tuple[str, str]  # (scope, code) of the series
    units: list[tuple[str, str, str]]  # every (scope, code, name) a reader may pick for the series
    public: bool
    national: bool  # only a national figure (no map, no table by establishment)
    nation: dict
    departments: charts.Chart | None = None
    offices: charts.Chart | None = None
    series: charts.Chart | None = None
    establishments: list[dict] = field(default_factory=list)
    sort: str = "codigo"
    descending: bool = False
    target: Target | None = None


def unit_kind(m: Measure) -> str:
    return "percentage" if m.unit == "%" else "number"


def text(m: Measure, row: MeasureRow | UnitValue | None, suppressed: bool = False) -> str:
    if suppressed:
        return RESERVED
    if row is None or row.value is None:
        return numbers.ND
    return numbers.number(row.value, unit_kind(m), 2 if m.ratio else None)


def _figures(m: Measure, value, numerator=None, denominator=None, suppressed=False) -> list[str]:
    if suppressed:
        return [RESERVED, "", ""]
    row = UnitValue("", value, numerator, denominator)
    return [text(m, row), "" if numerator is None else numbers.number(numerator), "" if denominator is None else numbers.number(denominator)]


def _band(target: Target | None, value: float | None) -> Band | None:
    if target is None:
        return None
    progress, _ = progress_of(target.value, value, target.direction, target.rules)
    return band_of(progress, target.rules)


def build(registry, measure: str, on: date | None, unit: tuple[str, str] | None, public: bool, target: Target | None = None,
          sort: str = "codigo", descending: bool = False) -> View:
    """Everything a registry page shows for `measure` on `on` (default the cut-off date)."""
    m = BY_NAME[measure]
    dates = registry.standard_dates()
    on = on if on in dates else registry.info.cutoff
    establishments = {u["code"]: u for u in registry.units(on) if u["kind"] == m.kind}
    rows = [r for r in registry.measures([on], [measure], public=public) if r.sex == ""]
    by_unit = {(r.scope, r.code): r for r in rows}
    nation = by_unit.get(("nation", NATION))
    offices_present = [o for o in OFFICES if ("office", o) in by_unit]
    choices = [("nation", NATION, NATION_NAME)] + [("office", o, f"Oficina Regional {o}") for o in offices_present]
    if not m.national:
        choices += [("establishment", c, f"{c} {u['name']}") for c, u in sorted(establishments.items())]
    unit = unit if unit in {(s, c) for s, c, _ in choices} else ("nation", NATION)
    parts = ""
    if nation is not None and nation.numerator is not None and not nation.suppressed:
        parts = f"{numbers.number(nation.numerator)} / {numbers.number(nation.denominator)}"
    goal = numbers.number(target.value, unit_kind(m), _decimals(m)) if target else ""
    view = View(m, on, dates, unit, choices, public, m.national,
                {"text": text(m, nation, bool(nation and nation.suppressed)), "parts": parts, "target": goal}, target=target,
                sort=sort if sort in SORTS else "codigo", descending=descending)
    view.series = _series(registry, m, unit, {(s, c): n for s, c, n in choices}, public, target)
    if m.national:
        return view
    leaves = {code: by_unit.get(("establishment", code)) for code in establishments}
    view.departments = _departments(m, on, establishments, leaves, public, target)
    view.offices = _offices(m, on, establishments, by_unit, target)
    view.establishments = _table(m, establishments, leaves, view.sort, descending)
    return view


def _departments(m: Measure, on: date, establishments: dict, leaves: dict, public: bool, target: Target | None) -> charts.Chart:
    parent = {code: u["department"] for code, u in establishments.items()}
    values = [UnitValue(code, r.value, r.numerator, r.denominator) for code, r in leaves.items() if r is not None and not r.suppressed]
    rolled = roll_up(values, parent, m.ratio, m.factor)
    hidden = {parent[c] for c, r in leaves.items() if r is not None and r.suppressed}
    regions, rows, csv_rows = [], [], []
    for ubigeo in sorted({u["department"] for u in establishments.values()}):
        v = rolled.get(ubigeo)
        suppressed = public and (ubigeo in hidden or (v is not None and _small(m, on, ubigeo, v)))
        value = None if suppressed or v is None else v.value
        shown = _figures(m, value, *((None, None) if suppressed or v is None else (v.numerator, v.denominator)), suppressed=suppressed)
        band = None if suppressed else _band(target, value)
        name = DEPARTMENTS.get(ubigeo, ubigeo)
        n = sum(1 for u in establishments.values() if u["department"] == ubigeo)
        regions.append(charts.Region(ubigeo, name, value, shown[0], band))
        rows.append([name, str(n), *(shown if m.ratio else shown[:1])] + ([numbers.BAND_LEGEND[band]] if band else []))
        csv_rows.append([ubigeo, name, n, value, *(((None, None) if suppressed or v is None else (v.numerator, v.denominator)) if m.ratio else ())])
    return charts.choropleth(
        "mapa-departamentos", f"{m.label} por departamento al {on:%d/%m/%Y}", regions, GEO, m.label.lower(), _suffix(m), _decimals(m),
        _columns("Departamento", m, target), rows, ["ubigeo", "departamento", "establecimientos", "valor", *(("numerador", "denominador") if m.ratio else ())],
        csv_rows)


def _small(m: Measure, on: date, code: str, v: UnitValue) -> bool:
    row = MeasureRow(m.name, on, "department", code, "", v.value, v.numerator, v.denominator)
    return any(0 < p < privacy.THRESHOLD for p in privacy.persons(row))


def _offices(m: Measure, on: date, establishments: dict, by_unit: dict, target: Target | None) -> charts.Chart:
    """Each department coloured by the office that holds most of its establishments."""
    holders: dict[str, dict[str, int]] = {}
    for u in establishments.values():
        holders.setdefault(u["department"], {}).setdefault(u["office"], 0)
        holders[u["department"]][u["office"]] += 1
    regions, rows, csv_rows = [], [], []
    for office in OFFICES:
        r = by_unit.get(("office", office))
        if r is None:
            continue
        suppressed = r.suppressed
        shown = _figures(m, r.value, r.numerator, r.denominator, suppressed)
        band = None if suppressed else _band(target, r.value)
        departments = sorted(d for d, h in holders.items() if max(h, key=lambda o: (h[o], o == office)) == office)
        for d in departments:
            regions.append(charts.Region(d, DEPARTMENTS.get(d, d), None if suppressed else r.value, shown[0], band,
                                         f"Oficina Regional {office}"))
        names = ", ".join(DEPARTMENTS.get(d, d) for d in departments) or "—"
        rows.append([f"Oficina Regional {office}", names, *(shown if m.ratio else shown[:1])] + ([numbers.BAND_LEGEND[band]] if band else []))
        csv_rows.append([office, names, None if suppressed else r.value,
                         *((None if suppressed else r.numerator, None if suppressed else r.denominator) if m.ratio else ())])
    return charts.choropleth(
        "mapa-oficinas", f"{m.label} por oficina regional al {on:%d/%m/%Y}", regions, GEO, m.label.lower(), _suffix(m), _decimals(m),
        _columns("Oficina regional", m, target, "Departamentos"), rows,
        ["oficina_regional", "departamentos", "valor", *(("numerador", "denominador") if m.ratio else ())], csv_rows)


def _columns(first: str, m: Measure, target: Target | None, second: str = "Establecimientos") -> list[str]:
    return [first, second, "Valor", *(("Numerador", "Denominador") if m.ratio else ())] + (["Semáforo"] if target else [])


def _suffix(m: Measure) -> str:
    return "%" if m.unit == "%" else ""


def _decimals(m: Measure) -> int:
    return 2 if m.ratio else 0


def _series(registry, m: Measure, unit: tuple[str, str], names: dict, public: bool, target: Target | None) -> charts.Chart:
    scope, code = unit
    dates = registry.standard_dates()
    if public:
        rows = {r.date: r for r in registry.measures(dates, [m.name], public=True) if r.scope == scope and r.code == code and r.sex == ""}
    else:
        rows = {r.date: r for r in registry.series(m.name, scope, code)}
    month_ends = [d for d in dates if (d + timedelta(days=1)).day == 1]  # not a cut-off date within a month
    points = []
    for d in month_ends:
        r = rows.get(d)
        suppressed = bool(r and r.suppressed)
        points.append((f"{d:%m/%Y}", None if r is None or suppressed else r.value, text(m, r, suppressed)))
    goal = (str(target.year), target.value) if target else None
    return charts.monthly("serie-mensual", f"{m.label} por mes — {names.get(unit, code)}", points, m.label.lower(), _suffix(m),
                          _decimals(m), goal)


def _table(m: Measure, establishments: dict, leaves: dict, sort: str, descending: bool) -> list[dict]:
    out = []
    for code, u in establishments.items():
        r = leaves.get(code)
        suppressed = bool(r and r.suppressed)
        value = None if r is None or suppressed else r.value
        out.append({"code": code, "name": u["name"], "kind": u["kind"], "office": u["office"], "department": u["department"],
                    "department_name": DEPARTMENTS.get(u["department"], u["department"]), "capacity": u["capacity"],
                    "capacity_text": "" if u["capacity"] is None else numbers.number(u["capacity"]), "value": value,
                    "figures": _figures(m, value, *((None, None) if r is None or suppressed else (r.numerator, r.denominator)),
                                        suppressed=suppressed)})
    key = SORTS[sort]
    present = [e for e in out if e[key] is not None]
    present.sort(key=lambda e: e[key], reverse=descending)
    return present + [e for e in out if e[key] is None]  # the ones without a figure always last
