"""Properties on random extracts: the SQL (movements, calendars, cumulative sums) gives exactly what the
literal definitions of the issue give, population is conserved across transfers, and establishments
add up to offices and offices to the nation."""

import csv
from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vigia.registry import Registry, import_extract

START, CUTOFF = date(2019, 1, 1), date(2024, 12, 31)
DATES = [date(2022, 6, 30), date(2023, 12, 31), date(2024, 3, 15), date(2024, 12, 31)]
UNITS = [  # codigo, tipo, oficina, capacidad, area
    ("A", "EP", "Lima", 3, 40.0), ("B", "EP", "Lima", 2, None), ("C", "EP", "Sur – Arequipa", 4, 10.0), ("M", "EML", "Lima", None, None),
]
REASONS = ["libertad", "fallecimiento", "fuga", "otro"]

# Days and lengths often fall on the edges (a stay that begins or ends on a measured date, a return
# on the day of release), where an off-by-one would show.
EDGES = [(d - START).days + k for d in DATES for k in (-1, 0, 1) if d + timedelta(k) <= CUTOFF]
length = st.one_of(st.integers(0, 500), st.sampled_from([0, 1, 2, 183, 184, 365, 366]))
segment = st.tuples(st.sampled_from("ABCM"), length)
person = st.fixed_dictionaries({
    "sex": st.sampled_from("MF"),
    "begin": st.one_of(st.integers(0, (CUTOFF - START).days), st.sampled_from(EDGES)),
    "segments": st.lists(segment, min_size=1, max_size=4),
    "reason": st.sampled_from(REASONS),
    "sentence": st.one_of(st.none(), st.integers(-300, 900), st.sampled_from([0, 1, 184, 366])),
    "back": st.one_of(st.none(), st.tuples(st.integers(0, 400) | st.just(0), st.sampled_from("ABC"), length, st.integers(-50, 300))),
})


def _stays(people):
    """Rows of estancias: each person's chain of stays (transfers the same day), maybe a later return."""
    rows = []
    for n, p in enumerate(people):
        day = START + timedelta(p["begin"])
        chain = [(unit, length) for unit, length in p["segments"]]
        sentence = None if p["sentence"] is None else day + timedelta(p["sentence"])
        for i, (unit, length) in enumerate(chain):
            end = day + timedelta(length)
            last = i == len(chain) - 1
            ended = end <= CUTOFF
            shown = sentence if sentence is not None and sentence <= CUTOFF and (not ended or sentence <= end) else None
            rows.append((f"X{n}", unit, p["sex"], day, end if ended else None,
                         (p["reason"] if last else "traslado") if ended else None, shown))
            if not ended:
                break
            day = end
        else:
            if p["back"] and p["reason"] == "libertad":
                gap, unit, length, sent = p["back"]
                begin = day + timedelta(gap)
                end, s = begin + timedelta(length), begin + timedelta(sent)
                if begin <= CUTOFF:
                    rows.append((f"X{n}", unit, p["sex"], begin, end if end <= CUTOFF else None,
                                 "libertad" if end <= CUTOFF else None, s if s <= CUTOFF and (end > CUTOFF or s <= end) else None))
    return rows


def _write(folder, rows):
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "establecimientos.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["codigo", "nombre", "tipo", "oficina_regional", "ubigeo_departamento", "capacidad", "area_m2", "desde"])
        for code, kind, office, cap, area in UNITS:
            w.writerow([code, f"Unidad {code}", kind, office, "15", cap or "", area or "", "2000-01-01"])
    with (folder / "estancias.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["persona", "establecimiento", "sexo", "fecha_nacimiento", "ingreso", "egreso", "motivo_egreso", "fecha_sentencia", "delito"])
        for p, unit, sex, begin, end, reason, sentence in rows:
            w.writerow([p, unit, sex, "1980-01-01", begin, end or "", reason or "", sentence or "", "robo"])


def _reference(rows, day):
    """The measures of the issue, literally, per establishment and sex (numerator, denominator)."""
    kind = {u[0]: u[1] for u in UNITS}
    out = defaultdict(lambda: [0, 0])
    for _, unit, sex, begin, end, reason, sentence in rows:
        if begin <= day and (end is None or end > day):
            out[("open", unit, sex)][0] += 1
            if not (sentence is not None and sentence <= day):
                out[("unsentenced", unit, sex)][0] += 1
        if kind[unit] == "EP" and reason == "fuga" and date(day.year, 1, 1) <= end <= day:
            out[("fugas", unit, "")][0] += 1
    window, year = date(day.year - 4, 1, 1), date(day.year, 1, 1)
    released = {}
    for p, unit, sex, _, end, reason, sentence in rows:
        if kind[unit] == "EP" and reason == "libertad" and sentence is not None and sentence <= end and window <= end <= day:
            released.setdefault(p, (sex, []))[1].append(end)
    for p, (sex, ends) in released.items():
        back = any(q == p and kind[u] == "EP" and b > e and s is not None and s <= day and b <= day and (x is None or x > max(b, year))
                   for q, u, _, b, x, _, s in rows for e in ends)
        out[("reingreso", sex)][0] += back
        out[("reingreso", sex)][1] += 1
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(person, min_size=1, max_size=30))
def test_sql_equals_the_literal_definitions(tmp_path_factory, people):
    rows = _stays(people)
    folder = tmp_path_factory.mktemp("x")
    _write(folder / "extracto", rows)
    import_extract(folder / "extracto", folder / "datos", cutoff=CUTOFF, start=START)
    got = {(r.measure, r.date, r.scope, r.code, r.sex): r for r in Registry(folder / "datos").measures(DATES)}
    for day in DATES:
        ref = _reference(rows, day)
        for code, kind, *_ in UNITS:
            for sex in "MF":
                measure = "poblacion" if kind == "EP" else "poblacion_medio_libre"
                assert got[(measure, day, "establishment", code, sex)].value == ref[("open", code, sex)][0]
                if kind == "EP":
                    r = got[("sin_sentencia", day, "establishment", code, sex)]
                    assert (r.numerator, r.denominator) == (ref[("unsentenced", code, sex)][0], ref[("open", code, sex)][0])
            if kind == "EP":
                assert got[("fugas", day, "establishment", code, "")].value == ref[("fugas", code, "")][0]
        if date(day.year - 4, 1, 1) >= START:
            for sex in "MF":
                r = got[("reingreso_5a", day, "nation", "PE", sex)]
                assert (r.numerator, r.denominator) == tuple(ref[("reingreso", sex)])
        else:
            assert ("reingreso_5a", day, "nation", "PE", "") not in got
        _check_sums(got, day)
        # Transfers move persons, never add or lose them: everyone whose chain covers the day is counted once.
        inside = {p for p, _, _, b, e, _, _ in rows if b <= day and (e is None or e > day)}
        total = got[("poblacion", day, "nation", "PE", "")].value + got[("poblacion_medio_libre", day, "nation", "PE", "")].value
        assert total == len(inside)


def _total(rows, field, scope, sex, office=None, parent=None):
    """Sum of `field` over the rows of `scope` and `sex` (under `parent`, when given)."""
    return sum(getattr(r, field) or 0 for r in rows if r.scope == scope and r.sex == sex
               and (parent is None or (office[r.code] if scope == "establishment" else r.code) == parent))


def _check_sums(got, day):
    """Establishments add up to offices, offices to the nation, sexes to both: for counts and for
    numerators and denominators of ratios (never averaged)."""
    office = {u[0]: u[2] for u in UNITS}
    for measure in ("poblacion", "capacidad", "sobrepoblacion", "sin_sentencia", "m2_por_interno", "hacinamiento", "fugas"):
        rows = [r for k, r in got.items() if k[0] == measure and k[1] == day]
        fields = ("numerator", "denominator") if measure in ("sobrepoblacion", "sin_sentencia", "m2_por_interno") else ("value",)
        for field in fields:
            for sex in {r.sex for r in rows}:
                for name in {r.code for r in rows if r.scope == "office"}:
                    assert _total(rows, field, "establishment", sex, office, name) == _total(rows, field, "office", sex, office, name)
                assert _total(rows, field, "office", sex) == _total(rows, field, "nation", sex)
        cells = defaultdict(dict)
        for r in rows:
            cells[(r.scope, r.code)][r.sex] = r
        for unit in cells.values():
            if "M" in unit:
                field = fields[0]
                assert getattr(unit["M"], field) + getattr(unit["F"], field) == getattr(unit[""], field)
