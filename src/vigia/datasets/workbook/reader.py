"""Read a plan workbook back into a ``Dataset``: every row validated, every problem reported with
its sheet, row and column, and either the whole plan or nothing.

For the current edition's annual figures of the indicators and years the Matriz shows, the Matriz
rules (it is what people edit); a figure it keeps unchanged keeps the source and note of its row
in Valores. Everything else comes from Valores.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from pydantic import ValidationError

from vigia.methodology import ficha as checks
from vigia.methodology.model import Bound, Direction, Status
from vigia.methodology.validation import out_of_range

from ..checks import FieldError, RecordRules, structure_problems
from ..loader import Dataset, Record, describe
from ..schema import ElementSpec, IndicatorSpec, LevelSpec, PlanSpec, Vintage
from . import cells
from . import layout as L
from .table import Bad, Problem, Table, WorkbookError, choice, code_or_none, required, required_code
from .texts import TYPES, TextError, scalar, unflatten

DEFAULT_SOURCE = "Libro del plan importado (hoja Matriz)"
PLAN_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
MAX_PROBLEMS = 500


@dataclass(frozen=True)
class Reading:
    dataset: Dataset
    warnings: list[Problem] = field(default_factory=list)


def read(book: Mapping[str, Sequence[Sequence]], *, code: str | None = None, source: str = DEFAULT_SOURCE) -> Reading:
    """The plan in ``book`` (sheet name → rows of cells, header first), or WorkbookError.

    ``code`` gives the plan another code (a copy); ``source`` is cited by every figure the
    Matriz adds or changes."""
    return _Reader(book, code, source).run()


class _Reader:
    def __init__(self, book, code: str | None, source: str):
        self.book, self.code, self.source = book, code, source
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def table(self, name: str, columns, optional: set[str] = frozenset()) -> Table:
        return Table(self.book[name], name, columns, self.problem, optional)

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(sheet, row, column, message.rstrip(".") + "."))

    def stop_if_wrong(self) -> None:
        if self.problems:
            raise WorkbookError(self.problems)

    def run(self) -> Reading:
        missing = [s for s in L.REQUIRED if s not in self.book]
        for name in missing:
            self.problem(name, None, None, "falta esta hoja en el libro (use el libro que descarga Vigía)")
        self.stop_if_wrong()
        plan = self._plan()
        vintages, current = self._vintages()
        levels = self._levels()
        texts = self._texts()
        fichas = self._fichas(texts)
        elements, figures = self._matrix(fichas, texts)
        self._unknown_text_owners(texts, elements, fichas)
        self.stop_if_wrong()
        spec = self._plan_spec(plan, vintages, current, levels, elements, texts)
        self.stop_if_wrong()
        inds = tuple(i for _, i in fichas)
        rows = {"elements": [r for r, _ in elements], "indicators": [r for r, _ in fichas], "levels": [r for r, _ in levels]}
        sheets = {"elements": L.MATRIX, "indicators": L.FICHAS, "levels": L.LEVELS}
        columns = {"elements": dict(L.MATRIX_COLUMNS), "indicators": dict(L.FICHA_COLUMNS), "levels": dict(L.LEVEL_COLUMNS)}
        for p in structure_problems(spec, inds):
            if p.where[0] in sheets:
                kind = p.where[0]
                label = {v: k for k, v in columns[kind].items()}.get(p.field)
                if kind == "elements" and p.field == "parent":
                    label = "Depende de"
                self.problem(sheets[kind], rows[kind][p.where[1]], label, p.message)
            else:
                self.problem(L.VINTAGES, None, "Vigente", p.message)
        self.stop_if_wrong()
        records = self._merge(self._values(spec, inds), figures, spec, dict(fichas_by_code(fichas)))
        self.stop_if_wrong()
        ds = Dataset(None, spec, inds, tuple(records))
        self._direction_warnings(ds, figures)
        return Reading(ds, self.warnings)

    # Plan, editions, levels ------------------------------------------------------------------

    def _plan(self) -> dict:
        table = self.table(L.PLAN, [("Campo", "field"), ("Valor", "value")])
        fields = {L.fold(label): key for label, key in L.PLAN_FIELDS}
        labels = {key: label for label, key in L.PLAN_FIELDS}
        found: dict[str, tuple[int, object]] = {}
        for r, row in table:
            name = cells.code(table.cell(row, "field"))
            key = fields.get(L.fold(name or ""))
            if key is None:
                self.problem(L.PLAN, r, "Campo", f"campo desconocido «{name}» (campos: {', '.join(labels.values())})")
            elif key in found:
                self.problem(L.PLAN, r, "Campo", f"«{name}» aparece dos veces")
            else:
                found[key] = (r, table.cell(row, "value"))
        plan: dict = {}
        parsers = {"code": required_code("el código del plan"), "kind": choice(L.KIND_LABELS, "un tipo de plan"),
                   "name": required("el nombre del plan"), "ruleset": choice(L.RULESET_LABELS, "un conjunto de reglas"),
                   "entity": required_code("la sigla de la entidad"), "entity_name": cells.text,
                   "start": cells.integer, "end": cells.integer}
        for key, parse in parsers.items():
            r, cell = found.get(key, (None, None))
            try:
                plan[key] = parse(cell)
            except ValueError as exc:
                self.problem(L.PLAN, r, "Valor" if r else None, f"{labels[key]}: {exc}")
        if self.code:
            plan["code"] = self.code
        if plan.get("code") and not PLAN_CODE.match(plan["code"]):
            self.problem(L.PLAN, found.get("code", (None,))[0], "Valor",
                         f"el código «{plan['code']}» no sirve como dirección web: use letras, dígitos y guiones")
        return plan

    def _vintages(self) -> tuple[list[Vintage], str | None]:
        table = self.table(L.VINTAGES, L.VINTAGE_COLUMNS, optional={"stated_formula"})
        out, current = [], []
        for r, row in table:
            try:
                data = {"code": table.get(row, r, "code", required_code("el código de la edición")),
                        "name": table.get(row, r, "name", required("el nombre de la edición")),
                        "seed": table.get(row, r, "seed", required("el documento fuente")),
                        "date": table.get(row, r, "date", cells.date),
                        "stated_formula": table.get(row, r, "stated_formula", choice(L.FORMULA_LABELS, "una fórmula", False))}
                if table.get(row, r, "current", choice(L.YES_NO, "«Sí» o «No»", False)):
                    current.append(data["code"])
                out.append(table.validate(Vintage, data, r))
            except Bad:
                continue
        if len(current) != 1:
            self.problem(L.VINTAGES, None, "Vigente", f"una sola edición debe ser la vigente («Sí»); hay {len(current)}")
        return out, (current or [None])[0]

    def _levels(self) -> list[tuple[int, LevelSpec]]:
        table = self.table(L.LEVELS, L.LEVEL_COLUMNS, optional={"indicator_prefix"})
        out = []
        for r, row in table:
            try:
                parents = table.get(row, r, "parent", cells.codes)
                data = {"code": table.get(row, r, "code", required_code("el código del nivel")),
                        "name": table.get(row, r, "name", required("el nombre del nivel")),
                        "parent": parents[0] if len(parents) == 1 else (parents or None),
                        "indicator_prefix": table.get(row, r, "indicator_prefix", cells.code)}
                out.append((r, table.validate(LevelSpec, data, r)))
            except Bad:
                continue
        if not out:
            self.problem(L.LEVELS, None, None, "el plan necesita al menos un nivel")
        return out

    # Texts -----------------------------------------------------------------------------------

    def _texts(self) -> dict[tuple[str, str], dict]:
        """(owner code or "", "texts" | "attributes") → the nested mapping its rows describe."""
        table = self.table(L.TEXTS, L.TEXT_COLUMNS)
        rows: dict[tuple[str, str], list] = {}
        self.text_rows: dict[str, int] = {}
        for r, row in table:
            try:
                owner = table.get(row, r, "code", cells.code) or ""
                kind = table.get(row, r, "class", choice(L.TEXT_CLASSES, "una clase"))
                if owner == "" and kind == "attributes":
                    self.problem(L.TEXTS, r, "Clase", "el plan no lleva atributos, solo textos")
                    continue
                key = table.get(row, r, "key", required_code("la clave"))
                type_ = table.get(row, r, "type", choice({t: t for t in TYPES}, "un tipo de dato"))
                content = scalar(type_, cells.value(table.cell(row, "content")))
            except Bad:
                continue
            except TextError as exc:
                self.problem(L.TEXTS, r, "Contenido", str(exc))
                continue
            rows.setdefault((owner, kind), []).append((key, content, r))
            self.text_rows.setdefault(owner, r)
        out = {}
        for owner, items in rows.items():
            try:
                out[owner] = unflatten([(key, content) for key, content, _ in items])
            except TextError as exc:
                self.problem(L.TEXTS, items[0][2], "Clave", f"{owner[0] or 'plan'}: {exc}")
        return out

    def _unknown_text_owners(self, texts, elements, fichas) -> None:
        known = {e.code for _, e in elements} | {i.code for _, i in fichas} | {""}
        for owner, _ in texts:
            if owner not in known:
                self.problem(L.TEXTS, self.text_rows[owner], "Código", f"«{owner}» no es un elemento ni un indicador del plan")

    # Fichas and matrix -----------------------------------------------------------------------

    def _fichas(self, texts) -> list[tuple[int, IndicatorSpec]]:
        table = self.table(L.FICHAS, L.FICHA_COLUMNS, optional={"registry_measure"})  # absent in books made before it
        out = []
        self.broken = set()  # codes of fichas refused: their matrix rows are not reported again
        for r, row in table:
            self.broken.add(code_or_none(table.cell(row, "code")))
            g = partial(table.get, row, r)
            try:
                data = {
                    "code": g("code", required_code("el código del indicador")), "name": g("name", required("el nombre")),
                    "element": g("element", required_code("el elemento que mide")), "entity": g("entity", cells.code),
                    "responsible_unit": g("responsible_unit", cells.text), "data_source": g("data_source", cells.text), "type": g("type", cells.text),
                    "direction": g("direction", choice(L.DIRECTION_LABELS, "un sentido esperado")),
                    "bound": g("bound", choice(L.BOUND_LABELS, "un límite permisible", False)),
                    "accumulated": g("accumulated", choice(L.ACCUMULATED_LABELS, "«Acumulado» o «No acumulado»")),
                    "additive": g("additive", choice(L.YES_NO, "«Sí» o «No»", False)) or False,
                    "unit": g("unit", choice(L.UNIT_LABELS, "una unidad de medida")), "unit_label": g("unit_label", cells.text),
                    "decimals": g("decimals", cells.integer), "baseline_year": g("baseline_year", cells.integer),
                    "valid_min": g("valid_min", cells.number), "valid_max": g("valid_max", cells.number),
                    "numerator_label": g("numerator_label", cells.text), "denominator_label": g("denominator_label", cells.text),
                    "aligned_to": g("aligned_to", cells.codes),
                    "registry_measure": g("registry_measure", choice(L.REGISTRY_MEASURES, "una medida del registro", False)),
                }
            except Bad:
                continue
            issue = checks.bound_issue(data["code"], Direction(data["direction"]), Bound(data["bound"]) if data["bound"] else None)
            if issue:
                self.problem(L.FICHAS, r, "Máximo o mínimo permisible", issue.message)
                continue
            data["texts"] = texts.get((data["code"], "texts"), {})
            try:
                out.append((r, table.validate(IndicatorSpec, data, r)))
            except Bad:
                continue
        self.broken -= {i.code for _, i in out}
        return out

    def _matrix(self, fichas, texts) -> tuple[list[tuple[int, ElementSpec]], dict]:
        table = self.table(L.MATRIX, L.MATRIX_COLUMNS)
        years: dict[int, tuple[str, int]] = {}
        seen_years: set[tuple[str, int]] = set()
        for k, header in enumerate(table.headers):
            m = L.YEAR_COLUMN.match(header or "")
            if m:
                key = (L.YEAR_KINDS[L.fold(m.group(1))], int(m.group(2)))
                if key in seen_years:
                    self.problem(L.MATRIX, 1, header, "columna repetida")
                seen_years.add(key)
                years[k] = key
        self.matrix_years = {kind: {y for kk, y in years.values() if kk == kind} for kind in ("target", "actual")}
        by_code = dict(fichas_by_code(fichas))
        elements, figures, seen = [], {}, {}
        for r, row in table:
            try:
                code = table.get(row, r, "code", required_code("el código"))
                level = table.get(row, r, "level", required_code("el nivel"))
            except Bad:
                continue
            if code in seen:
                self.problem(L.MATRIX, r, "Código", f"código repetido: {code} (ya está en la fila {seen[code]})")
                continue
            seen[code] = r
            if L.fold(level) == L.fold(L.INDICATOR_LEVEL):
                self._indicator_row(table, row, r, code, by_code, years, figures)
                continue
            filled = [table.labels[k] for k in L.MATRIX_COPIES if k not in ("name", "parent", "aligned_to") and not cells.blank(table.cell(row, k))]
            filled += [table.headers[k] for k in [table.index.get("baseline"), *years] if k is not None and k < len(row) and not cells.blank(row[k])]
            if filled:
                self.problem(L.MATRIX, r, filled[0], f"{code} es un elemento ({level}): sus cifras y su ficha van en las filas de sus indicadores")
                continue
            try:
                data = {"code": code, "level": level, "name": table.get(row, r, "name", required("la denominación")),
                        "parent": table.get(row, r, "parent", cells.code), "aligned_to": table.get(row, r, "aligned_to", cells.codes),
                        "attributes": texts.get((code, "attributes"), {}), "texts": texts.get((code, "texts"), {})}
                elements.append((r, table.validate(ElementSpec, data, r)))
            except Bad:
                continue
        return elements, figures

    def _indicator_row(self, table, row, r, code, by_code, years, figures) -> None:
        if code in self.broken:
            return
        if code not in by_code:
            self.problem(L.MATRIX, r, "Código", f"el indicador {code} no tiene ficha: agréguela en la hoja «{L.FICHAS}»")
            return
        spec = by_code[code][1]
        written = L.ficha_cells(spec)
        for key, ficha_key in L.MATRIX_COPIES.items():
            cell = table.cell(row, key)
            if cells.blank(cell):
                continue
            try:
                shown = cells.text(cell)
            except ValueError as exc:
                self.problem(L.MATRIX, r, table.labels[key], str(exc))
                continue
            expected = written[ficha_key]
            if L.fold(shown) != L.fold(cells.text(expected) or ""):
                self.warnings.append(Problem(L.MATRIX, r, table.labels[key],
                                             f"{code}: la Matriz dice «{shown}» y la ficha «{expected or ''}»; vale la ficha: "
                                             f"para cambiar el dato, cámbielo en la hoja «{L.FICHAS}»."))
        targets = [(table.index.get("baseline"), ("baseline", None), table.labels["baseline"])]
        targets += [(k, key, table.headers[k]) for k, key in years.items()]
        for k, (kind, year), header in targets:
            cell = row[k] if k is not None and k < len(row) else None
            try:
                value, status = cells.figure(cell)
            except ValueError as exc:
                self.problem(L.MATRIX, r, header, f"{code}: {exc}")
                continue
            if value is not None:
                problem = out_of_range(spec.unit, value, spec.valid_min, spec.valid_max)
                if problem:
                    self.problem(L.MATRIX, r, header, f"{code}: {problem}")
                    continue
            figures[(code, kind, year)] = (value, status, r)

    # Values ------------------------------------------------------------------------------------

    def _values(self, spec: PlanSpec, inds) -> list[Record]:
        table = self.table(L.VALUES, L.VALUE_COLUMNS)
        rules = RecordRules(spec, inds)
        columns = {key: label for label, key in L.VALUE_COLUMNS}
        out = []
        for r, row in table:
            try:
                value = table.get(row, r, "value", cells.number)
                year = table.get(row, r, "year", cells.integer)
                kind = table.get(row, r, "kind", choice(L.FIGURE_LABELS, "un tipo de cifra"))
                period = table.get(row, r, "period", cells.code) or ""
                f = {"indicator": table.get(row, r, "indicator", cells.code) or "", "year": "" if year is None else str(year),
                     "period": {"anual": "anual", "s1": "S1"}.get(L.fold(period), period), "kind": kind,
                     "value": "" if value is None else repr(value), "status": (table.get(row, r, "status", cells.code) or "").upper(),
                     "vintage": table.get(row, r, "vintage", cells.code) or "", "source": table.get(row, r, "source", cells.text) or "",
                     "note": table.get(row, r, "note", cells.text) or ""}
            except Bad:
                continue
            try:
                out.append(Record(*rules.check(f, r), r))
            except FieldError as exc:
                self.problem(L.VALUES, r, columns.get(exc.field), exc.message)
        return out

    def _merge(self, records: list[Record], figures: dict, spec: PlanSpec, by_code: dict) -> list[Record]:
        """Valores, with the Matriz ruling over the current edition's annual figures it shows."""
        current = spec.current_vintage
        shown = {code for code, _, _ in figures}

        def key_of(rec: Record):
            if rec.vintage != current or rec.period != "anual" or rec.indicator not in shown:
                return None
            if rec.kind == "baseline":
                return (rec.indicator, "baseline", None)
            if rec.kind in ("target", "actual") and rec.year in self.matrix_years[rec.kind]:
                return (rec.indicator, rec.kind, rec.year)
            return None

        kept, settled = [], set()
        for rec in records:
            key = key_of(rec)
            if key is None:
                kept.append(rec)
            elif key in figures and _same(figures[key], rec):
                kept.append(rec)
                settled.add(key)
        for key, (value, status, r) in figures.items():
            if key in settled or (value is None and status is None):
                continue
            code, kind, year = key
            if kind == "baseline":
                year = by_code[code][1].baseline_year
                if year is None:
                    self.problem(L.MATRIX, r, "Año de línea de base", f"{code}: la línea de base necesita su año (indíquelo en la ficha)")
                    continue
            kept.append(Record(code, year, "anual", kind, value, Status(status) if status else None, current, self.source, "", r))
        return kept

    def _plan_spec(self, plan, vintages, current, levels, elements, texts) -> PlanSpec | None:
        data = {"code": plan.get("code"), "kind": plan.get("kind"), "name": plan.get("name"), "ruleset": plan.get("ruleset"),
                "entity": plan.get("entity"), "entity_name": plan.get("entity_name"),
                "period": {"start": plan.get("start"), "end": plan.get("end")}, "current_vintage": current,
                "vintages": vintages, "texts": texts.get(("", "texts"), {}), "levels": [lv for _, lv in levels],
                "elements": [e for _, e in elements]}
        if not elements:
            self.problem(L.MATRIX, None, None, "el plan necesita al menos un elemento")
            return None
        try:
            return PlanSpec.model_validate(data)
        except ValidationError as exc:
            labels = {key: label for label, key in L.PLAN_FIELDS}
            for err in exc.errors():
                loc = [str(p) for p in err["loc"]]
                key = loc[1] if loc[0] == "period" and len(loc) > 1 else loc[0]
                self.problem(L.PLAN, None, "Valor", f"{labels.get(key, key)}: {describe(err)}")
            return None

    def _direction_warnings(self, ds: Dataset, figures: dict) -> None:
        rows = {code: r for (code, _, _), (_, _, r) in figures.items()}
        for code, s in ds.series().items():
            ind = next((i for i in ds.plan.indicators if i.code == code), None)
            issue = ind and checks.direction_issue(code, ind.direction, {y: o.value for y, o in s.targets.items()})
            if issue:
                self.warnings.append(Problem(L.MATRIX if code in rows else L.FICHAS, rows.get(code), "Sentido esperado", issue.message))


def fichas_by_code(fichas) -> list[tuple[str, tuple[int, IndicatorSpec]]]:
    return [(i.code, (r, i)) for r, i in fichas]


def _same(figure: tuple, rec: Record) -> bool:
    """The Matriz shows ``rec`` unchanged (a spreadsheet may have kept only 15 significant digits)."""
    value, status, _ = figure
    if (status or None) != (rec.status.value if rec.status else None):
        return False
    if value is None or rec.value is None:
        return value is None and rec.value is None
    return value == rec.value or float("%.15g" % value) == float("%.15g" % rec.value)
