"""Load a bundled dataset: validate it, then build the methodology's Plan and Series.

Every error names the file, the line and the field, in Spanish, and nothing is half-loaded.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from vigia.methodology.checks import Edition, Published, Stated
from vigia.methodology.model import Bound, Direction, Element, Indicator, Level, Observation, Plan, Series, Status
from vigia.methodology.rules import Formula

from .checks import STATED_KINDS, FieldError, RecordRules, figure_key, structure_problems
from .schema import IndicatorSpec, PlanSpec

ROOT = Path(__file__).parent
CSV_HEADER = ["indicator", "year", "period", "kind", "value", "status", "vintage", "source", "note"]


class DatasetError(ValueError):
    """A malformed dataset file: where, which field, which rule."""

    def __init__(self, path: Path, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = path, line, field, message
        where = f"{path}:{line}" if line else str(path)
        what = f" campo '{field}':" if field else ""
        super().__init__(f"{where}:{what} {message}")


@dataclass(frozen=True)
class Record:
    """One row of values.csv."""

    indicator: str
    year: int
    period: str
    kind: str
    value: float | None
    status: Status | None
    vintage: str
    source: str
    note: str
    line: int

    @property
    def observation(self) -> Observation:
        return Observation(self.value, self.status, self.note)

    @property
    def key(self) -> tuple:
        """What tells this figure from every other one of its plan (``checks.figure_key``)."""
        return figure_key(self.indicator, self.vintage, self.year, self.period, self.kind, self.source)


@dataclass(frozen=True, eq=False)  # identity: a dataset is an immutable snapshot, cached by callers
class Dataset:
    path: Path | None  # None when read from the database
    spec: PlanSpec
    indicator_specs: tuple[IndicatorSpec, ...]
    records: tuple[Record, ...]

    @property
    def code(self) -> str:
        return self.spec.code

    @cached_property
    def plan(self) -> Plan:
        s = self.spec
        return Plan(
            code=s.code,
            name=s.name,
            kind=s.kind,
            ruleset=s.ruleset,
            levels=tuple(Level(lv.code, lv.name, lv.parent, lv.indicator_prefix) for lv in s.levels),
            elements=tuple(Element(e.code, e.level, e.name, e.parent) for e in s.elements),
            indicators=tuple(
                Indicator(
                    i.code,
                    i.name,
                    i.element,
                    Direction(i.direction),
                    Bound(i.bound) if i.bound else None,
                    i.additive,
                    i.unit,
                    i.baseline_year,
                    _scale(i),
                )
                for i in self.indicator_specs
            ),
        )

    @cached_property
    def fingerprint(self) -> str:
        """sha256 of what the figures depend on: structure, fichas, texts and every value (order-free)."""
        digest = hashlib.sha256()
        digest.update(json.dumps(self.spec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode())
        for spec in self.indicator_specs:
            digest.update(json.dumps(spec.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode())
        rows = sorted(
            (r.indicator, r.year, r.period, r.kind, r.vintage, r.source, repr(r.value), r.status.value if r.status else "", r.note)
            for r in self.records
        )
        digest.update(json.dumps(rows, ensure_ascii=False).encode())
        return digest.hexdigest()

    def element_spec(self, code: str):
        return next(e for e in self.spec.elements if e.code == code)

    def indicator_spec(self, code: str) -> IndicatorSpec:
        return next(i for i in self.indicator_specs if i.code == code)

    def series(self, vintage: str | None = None, period: str = "anual") -> dict[str, Series]:
        """Baseline, targets and actuals per indicator as one report edition states them."""
        vintage = vintage or self.spec.current_vintage
        parts: dict[str, dict] = defaultdict(lambda: {"baseline": None, "targets": {}, "actuals": {}})
        for r in self.records:
            if r.vintage != vintage:
                continue
            if r.kind == "baseline":
                parts[r.indicator]["baseline"] = r.observation
            elif r.period == period and r.kind in ("target", "actual"):
                parts[r.indicator][r.kind + "s"][r.year] = r.observation
        return {
            code: Series(p["baseline"] or Series().baseline, p["targets"], p["actuals"]) for code, p in parts.items()
        }

    def published(self, vintage: str | None = None, kind: str = "progress") -> list[Record]:
        vintage = vintage or self.spec.current_vintage
        return [r for r in self.records if r.vintage == vintage and r.kind == kind]

    @property
    def vintages(self) -> list[str]:
        return [v.code for v in self.spec.vintages]

    def editions(self) -> list[Edition]:
        """Every report edition with its values and published figures, for the consistency checks."""
        periods = sorted({r.period for r in self.records}) or ["anual"]
        return [
            Edition(
                v.code,
                v.name,
                {p: self.series(v.code, p) for p in periods},
                [Published(r.indicator, r.year, r.period, r.value, r.source) for r in self.published(v.code)],
                {(r.indicator, r.year, r.period, r.kind): r.value for r in self.records if r.vintage == v.code and r.kind.endswith("_printed")},
                Formula(v.stated_formula) if v.stated_formula else None,
                [Stated(r.indicator, r.year, r.period, r.kind, r.value, r.source) for r in self.records
                 if r.vintage == v.code and r.kind in STATED_KINDS and r.value is not None],
            )
            for v in self.spec.vintages
        ]


def _scale(spec: IndicatorSpec) -> float:
    """value = numerator / denominator × scale: 100 for a percentage, N for a rate "por cada N", else 1."""
    if spec.unit == "percentage":
        return 100.0
    found = re.search(r"por cada ([\d,]+)", spec.unit_label or "")
    return float(found.group(1).replace(",", "")) if found else 1.0


def available() -> list[str]:
    return sorted(p.name for p in ROOT.iterdir() if (p / "plan.yaml").is_file())


_CACHE: dict[Path, Dataset] = {}


def load(code_or_path: str | Path) -> Dataset:
    """Load a bundled dataset by code, or any dataset folder by path (cached per folder)."""
    folder = Path(code_or_path)
    if not (folder / "plan.yaml").is_file():
        folder = ROOT / str(code_or_path)
        if not (folder / "plan.yaml").is_file():
            raise DatasetError(folder, None, None, f"no existe el plan '{code_or_path}' (disponibles: {', '.join(available())})")
    folder = folder.resolve()
    if folder not in _CACHE:
        _CACHE[folder] = _read(folder)
    return _CACHE[folder]


def _read(folder: Path) -> Dataset:
    plan_path, ind_path, csv_path = folder / "plan.yaml", folder / "indicators.yaml", folder / "values.csv"
    plan_data, plan_lines = _yaml(plan_path)
    spec = _validated(plan_path, PlanSpec, plan_data, plan_lines)
    ind_data, ind_lines = _yaml(ind_path)
    if not isinstance(ind_data, list):
        raise DatasetError(ind_path, 1, None, "debe ser una lista de indicadores")
    inds = tuple(_validated(ind_path, IndicatorSpec, item, ind_lines, (k,)) for k, item in enumerate(ind_data))
    _check_structure(plan_path, plan_lines, ind_path, ind_lines, spec, inds)
    return Dataset(folder, spec, inds, tuple(_read_values(csv_path, spec, inds)))


def _yaml(path: Path) -> tuple[object, dict[tuple, int]]:
    """Parse YAML keeping the line of every node, keyed by its path of keys and indexes."""
    if not path.is_file():
        raise DatasetError(path, None, None, "falta el archivo")
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 15× faster
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DatasetError(path, mark.line + 1 if mark else None, None, f"YAML mal formado: {getattr(exc, 'problem', exc)}") from None
    if node is None:
        raise DatasetError(path, 1, None, "el archivo está vacío")
    lines: dict[tuple, int] = {}
    constructor = yaml.SafeLoader("")

    def walk(n, where: tuple):
        lines[where] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            return {constructor.construct_object(k): walk(v, where + (k.value,)) for k, v in n.value}
        if isinstance(n, yaml.SequenceNode):
            return [walk(v, where + (i,)) for i, v in enumerate(n.value)]
        return constructor.construct_object(n, deep=True)

    return walk(node, ()), lines


_MESSAGES = {
    "missing": "falta este campo obligatorio",
    "extra_forbidden": "campo desconocido (revise FORMAT.md)",
    "literal_error": "valor no permitido",
    "int_parsing": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "float_parsing": "debe ser un número",
    "string_type": "debe ser texto",
    "bool_parsing": "debe ser true o false",
    "bool_type": "debe ser true o false",
    "list_type": "debe ser una lista",
    "dict_type": "debe ser un mapeo clave: valor",
    "model_type": "debe ser un mapeo clave: valor",
    "too_short": "no puede estar vacío",
    "string_pattern_mismatch": "código no válido (letras, dígitos, '.', '_' o '-')",
    "greater_than_equal": "valor demasiado pequeño",
    "less_than_equal": "valor demasiado grande",
    "date_from_datetime_parsing": "debe ser una fecha AAAA-MM-DD",
}


def describe(err: dict) -> str:
    """One pydantic validation error as a Spanish message."""
    msg = _MESSAGES.get(err["type"], err["msg"])
    if err["type"] == "literal_error":
        msg += f": {err.get('input')!r} (se espera {err['ctx']['expected']})"
    elif err["type"] == "value_error":
        msg = str(err["ctx"]["error"])
    return msg


def _validated(path: Path, model, data, lines: dict[tuple, int], prefix: tuple = ()):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = prefix + tuple(err["loc"])
        line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), None)
        field = ".".join(str(p) for p in err["loc"]) or None
        raise DatasetError(path, line, field, describe(err)) from None


def _check_structure(plan_path: Path, plan_lines, ind_path: Path, ind_lines, spec: PlanSpec, inds) -> None:
    """The first cross-reference problem (see ``checks.structure_problems``), with its line."""
    for p in structure_problems(spec, inds):
        path, lines = (ind_path, ind_lines) if p.where[0] == "indicators" else (plan_path, plan_lines)
        where = p.where[1:] if p.where[0] == "indicators" else p.where
        line = lines.get(where + (p.field,)) or lines.get(where)
        raise DatasetError(path, line, p.field, p.message)


def _read_values(path: Path, spec: PlanSpec, inds) -> list[Record]:
    if not path.is_file():
        raise DatasetError(path, None, None, "falta el archivo")
    rules = RecordRules(spec, inds)
    records: list[Record] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != CSV_HEADER:
            raise DatasetError(path, 1, None, f"encabezado debe ser {','.join(CSV_HEADER)}")
        for row in reader:
            line = reader.line_num
            if not any(row):
                continue
            if len(row) != len(CSV_HEADER):
                raise DatasetError(path, line, None, f"la fila tiene {len(row)} columnas; se esperan {len(CSV_HEADER)}")
            try:
                records.append(Record(*rules.check(dict(zip(CSV_HEADER, row)), line), line))
            except FieldError as exc:
                raise DatasetError(path, line, exc.field, exc.message) from None
    return records
