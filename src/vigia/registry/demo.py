"""A synthetic national registry extract, in the import format, for demonstrations and benchmarks.

No real person is in it: custody episodes are simulated with numpy (vectorised, so two million stays
take seconds) and shaped after INPE's published figures (domain brief, section 8): 69 EPs and 60
EMLs across the eight oficinas regionales, a capacity that grows to about 41,000 places, an
intramural population that grows from about 75,000 to about 98,000 (overcrowding 110-140 %), about
38 % without sentence, about 5 % women, transfers, releases, escapes, deaths, medio libre after
release, and re-entries (reingreso_5a about 2 %). The same seed always writes the same files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np

from . import schema
from .extract import literal

START = date(2015, 1, 1)
END = date(2024, 12, 31)
REFERENCE_PEOPLE = 650_000  # distinct persons in a national-scale extract (about two million stays)
CAPACITY_END = 41_000  # national EP capacity at the end of a national-scale extract
FIRST_SINCE = date(1990, 1, 1)  # first `desde` of every establishment: before any simulated stay
YEAR = 365.25
NO_DATE = np.iinfo(np.int32).min

# Share of the persons by first episode: already in an EP or in medio libre on START, or entering later.
GROUPS = {"ep_stock": 0.115, "ep_new": 0.445, "eml_stock": 0.095, "eml_new": 0.345}
WOMEN = {"EP": 0.052, "EML": 0.12}
CRIMES = {
    "robo agravado": 0.25, "tráfico ilícito de drogas": 0.20, "violación sexual de menor de edad": 0.09,
    "violación sexual": 0.07, "hurto agravado": 0.06, "homicidio": 0.05, "omisión de asistencia familiar": 0.08,
    "tenencia ilegal de armas": 0.05, "extorsión": 0.04, "otros": 0.11,
}


@dataclass(frozen=True)
class Summary:
    """What `generate` wrote."""

    directory: Path
    persons: int
    stays: int
    establishment_rows: int
    start: date
    end: date


def _day(d: date) -> int:
    return (d - date(1970, 1, 1)).days


class _Units:
    """The demo establishments (package file demo_units.csv) and how episodes are placed in them."""

    def __init__(self, rng: np.random.Generator, scale: float) -> None:
        with resources.files(__package__).joinpath("demo_units.csv").open(encoding="utf-8") as f:
            self.rows = list(csv.DictReader(f))
        self.kind = np.array([r["tipo"] for r in self.rows])
        self.office = np.array([schema.OFFICES.index(r["oficina_regional"]) for r in self.rows])
        self.women_only = np.array([r["solo_mujeres"] == "1" for r in self.rows])
        is_ep = self.kind == "EP"
        base = np.array([float(r["capacidad"] or 0) for r in self.rows])
        extra = np.array([float(r["ampliacion"] or 0) for r in self.rows])
        self.factor = CAPACITY_END / (base + extra).sum() * scale
        self.capacity = np.maximum(np.rint(base * self.factor), 1) * is_ep
        self.extra = np.rint(extra * self.factor)
        self.area_ratio = np.where(rng.random(len(self.rows)) < 0.85, rng.uniform(4.0, 9.0, len(self.rows)), np.nan)
        # Pull of each establishment: its final capacity, blurred so that overcrowding differs between EPs.
        pull = (self.capacity + self.extra) * rng.lognormal(0.0, 0.35, len(self.rows))
        office_pull = np.bincount(self.office[is_ep], pull[is_ep], minlength=len(schema.OFFICES))
        self.office_share = office_pull / office_pull.sum()
        eml_count = np.bincount(self.office[~is_ep], minlength=len(schema.OFFICES))
        pull = np.where(is_ep, pull, self.office_share[self.office] / np.maximum(eml_count[self.office], 1))
        self.weights = {
            ("EP", 0): np.where(is_ep & ~self.women_only, pull, 0.0),
            ("EP", 1): np.where(is_ep, pull * np.where(self.women_only, 12.0, 0.04), 0.0),
            ("EML", 0): np.where(~is_ep, pull, 0.0),
            ("EML", 1): np.where(~is_ep, pull, 0.0),
        }

    def place(self, rng: np.random.Generator, kind: str, sex: np.ndarray, office: np.ndarray, local: float) -> np.ndarray:
        """An establishment for each stay: in the person's office with probability `local`, else anywhere."""
        chosen = np.empty(len(sex), dtype=np.int64)
        anywhere = rng.random(len(sex)) >= local
        for s in (0, 1):
            w = self.weights[(kind, s)]
            for o in range(-1, len(schema.OFFICES)):
                mask = (sex == s) & (anywhere if o < 0 else (~anywhere & (office == o)))
                ww = w if o < 0 else w * (self.office == o)
                if mask.any():
                    cdf = np.cumsum(ww) / ww.sum()
                    chosen[mask] = np.minimum(np.searchsorted(cdf, rng.random(mask.sum())), len(cdf) - 1)
        return chosen

    def table(self) -> dict[str, list]:
        """establecimientos.csv: one row from FIRST_SINCE, and one more from the date of each enlargement."""
        cols = {c: [] for c in schema.COLUMNS[schema.ESTABLISHMENTS]}
        for i, r in enumerate(self.rows):
            versions = [(FIRST_SINCE, self.capacity[i])]
            if r["ampliado_desde"]:
                versions.append((date.fromisoformat(r["ampliado_desde"]), self.capacity[i] + self.extra[i]))
            for since, capacity in versions:
                ep = r["tipo"] == "EP"
                area = capacity * self.area_ratio[i] if ep and not np.isnan(self.area_ratio[i]) else None
                for c, v in zip(cols, (r["codigo"], r["nombre"], r["tipo"], r["oficina_regional"], r["ubigeo_departamento"],
                                       int(capacity) if ep else None, round(area * 2) / 2 if area else None, since.isoformat())):
                    cols[c].append(v)
        return cols


class _Episodes:
    """Custody episodes: one person's continuous time in EPs (across transfers) or in medio libre."""

    FIELDS = ("person", "sex", "office", "eml", "start", "length", "sentence", "crime")

    def __init__(self, **arrays: np.ndarray) -> None:
        for name in self.FIELDS:
            setattr(self, name, arrays[name])

    @classmethod
    def concat(cls, parts: list[_Episodes]) -> _Episodes:
        return cls(**{f: np.concatenate([getattr(p, f) for p in parts]) for f in cls.FIELDS})

    def take(self, mask: np.ndarray) -> _Episodes:
        return _Episodes(**{f: getattr(self, f)[mask] for f in self.FIELDS})

    def __len__(self) -> int:
        return len(self.person)


def _lengths(rng: np.random.Generator, n: int, eml: np.ndarray) -> np.ndarray:
    """Days in custody: log-normal, median 17 months in an EP and 16 in medio libre, at most 25 years."""
    median = np.where(eml, 640.0, 520.0)
    return np.clip(rng.lognormal(np.log(median), 1.0), 1, 25 * YEAR).astype(np.int64)


def _sentences(rng: np.random.Generator, start: np.ndarray, eml: np.ndarray) -> np.ndarray:
    """Sentence date: medio libre and 12 % of EP entries are sentenced beforehand; the rest after a delay."""
    before = eml | (rng.random(len(start)) < 0.12)
    delay = np.where(before, -rng.integers(1, 400, len(start)), rng.lognormal(np.log(430.0), 0.9, len(start)).astype(np.int64))
    return start + delay


def _first_episodes(rng: np.random.Generator, people: int, units: _Units) -> _Episodes:
    counts = rng.multinomial(people, list(GROUPS.values()))
    span = _day(END) - _day(START) + 1
    eml = np.repeat([False, False, True, True], counts)
    stock = np.repeat([True, False, True, False], counts)
    n = people
    length = _lengths(rng, n, eml)
    # Persons already in custody on START: length-biased durations, START falling uniformly inside them.
    pool = _lengths(rng, 4 * n, np.repeat(eml, 4))
    biased = rng.choice(pool, n, p=pool / pool.sum())
    elapsed = (rng.random(n) * biased).astype(np.int64) + 1
    # Entries grow over the ten years (linear density, a third more at the end than at the start).
    growth = np.where(rng.random(n) < 0.22, np.sqrt(rng.random(n)), rng.random(n))
    start = np.where(stock, _day(START) - elapsed, _day(START) + (growth * span).astype(np.int64))
    length = np.where(stock, np.maximum(biased, elapsed), length)
    sex = (rng.random(n) < np.where(eml, WOMEN["EML"], WOMEN["EP"])).astype(np.int8)
    office = rng.choice(len(schema.OFFICES), n, p=units.office_share)
    sentence = _sentences(rng, start, eml)
    return _Episodes(person=np.arange(n), sex=sex, office=office, eml=eml, start=start, length=length,
                     sentence=sentence, crime=rng.choice(len(CRIMES), n, p=list(CRIMES.values())))


def _outcomes(rng: np.random.Generator, ep: _Episodes) -> tuple[np.ndarray, _Episodes]:
    """How each episode ends (index into EXIT_REASONS) and the episodes that follow some of them."""
    n = len(ep)
    end = ep.start + ep.length
    years = ep.length / YEAR
    sentenced = ep.sentence <= end
    u = rng.random(n)
    death = np.minimum(0.004 * years, 0.15)
    escape = np.where(ep.eml, 0.0, 0.0006)
    other = np.where(ep.eml, 0.05, 0.025)
    reason = np.select([u < death, u < death + escape, u < death + escape + other],
                       [schema.EXIT_REASONS.index("fallecimiento"), schema.EXIT_REASONS.index("fuga"),
                        schema.EXIT_REASONS.index("otro")], schema.EXIT_REASONS.index("libertad"))
    v = rng.random(n)
    freed = reason == schema.EXIT_REASONS.index("libertad")
    # After release from an EP: medio libre the same day (beneficio penitenciario) or, later, a new offence.
    to_eml = ~ep.eml & freed & sentenced & (v < 0.22)
    reoffend = freed & ~to_eml & (v < np.where(ep.eml, 0.18, 0.28))
    recaptured = (reason == schema.EXIT_REASONS.index("fuga")) & (v < 0.8)
    revoked = ep.eml & (reason == schema.EXIT_REASONS.index("otro"))
    follows = to_eml | reoffend | recaptured | revoked
    gap = np.select([reoffend, recaptured], [rng.exponential(700, n), rng.exponential(150, n)], 0).astype(np.int64) + reoffend
    nxt = ep.take(follows)
    nxt.start = (end + gap)[follows]
    nxt.eml = to_eml[follows]
    nxt.length = _lengths(rng, len(nxt), nxt.eml)
    fresh = reoffend[follows]
    nxt.sentence = np.where(fresh, _sentences(rng, nxt.start, nxt.eml), nxt.sentence)
    nxt.crime = np.where(fresh, rng.choice(len(CRIMES), len(nxt), p=list(CRIMES.values())), nxt.crime)
    return reason, nxt


def _stays(rng: np.random.Generator, ep: _Episodes, reason: np.ndarray, units: _Units) -> dict[str, np.ndarray]:
    """Split each EP episode into stays at its transfers (about one a year) and place every stay."""
    transfers = np.where(ep.eml, 0, np.minimum(rng.poisson(1.95 * ep.length / YEAR), 40))
    # Episode i becomes stays head[i] … head[i] + transfers[i]; the transfer days are sorted uniform
    # points, drawn as normalised cumulative sums of exponential gaps (no sort needed).
    idx = np.repeat(np.arange(len(ep)), transfers + 1)
    head = np.cumsum(transfers + 1) - (transfers + 1)
    gaps = rng.exponential(1.0, len(idx))
    total = np.add.reduceat(gaps, head)
    before = np.cumsum(gaps) - gaps - np.repeat(np.cumsum(gaps)[head] - gaps[head], transfers + 1)
    begin = ep.start[idx] + (before / np.repeat(total, transfers + 1) * ep.length[idx]).astype(np.int64)
    last = np.zeros(len(idx), dtype=bool)
    last[head + transfers] = True
    stop = np.where(last, (ep.start + ep.length)[idx], np.append(begin[1:], 0))
    keep = stop > begin
    idx, begin, stop, last = idx[keep], begin[keep], stop[keep], last[keep]
    where = np.empty(len(idx), dtype=np.int64)
    for kind, mask in (("EML", ep.eml[idx]), ("EP", ~ep.eml[idx])):
        where[mask] = units.place(rng, kind, ep.sex[idx][mask], ep.office[idx][mask], 0.85)
    # A transfer goes somewhere else: merge consecutive stays that landed in the same establishment.
    same = np.append(False, (where[1:] == where[:-1]) & (idx[1:] == idx[:-1]))
    heads = np.flatnonzero(~same)
    tails = np.append(heads[1:], len(idx)) - 1
    idx, where, begin = idx[heads], where[heads], begin[heads]
    stop, last = stop[tails], last[tails]
    traslado = schema.EXIT_REASONS.index("traslado")
    return {"episode": idx, "unit": where, "begin": begin, "stop": stop, "reason": np.where(last, reason[idx], traslado)}


def _simulate(people: int, seed: int) -> tuple[_Units, _Episodes, dict[str, np.ndarray]]:
    """Every episode and stay of `people` persons from their first custody until END (untruncated)."""
    rng = np.random.default_rng(seed)
    units = _Units(rng, people / REFERENCE_PEOPLE)
    generation = _first_episodes(rng, people, units)
    episodes, reasons = [], []
    while len(generation):
        reason, following = _outcomes(rng, generation)
        episodes.append(generation)
        reasons.append(reason)
        generation = following.take(following.start <= _day(END))
    ep = _Episodes.concat(episodes)
    return units, ep, _stays(rng, ep, np.concatenate(reasons), units)


def generate(out: Path, people: int = REFERENCE_PEOPLE, seed: int = 0, fmt: str = "csv") -> Summary:
    """Write establecimientos and estancias (`fmt` csv or parquet) into `out`; return what was written."""
    units, ep, st = _simulate(people, seed)
    # The extract holds the stays open on some day from START to END, cut at END.
    keep = (st["begin"] <= _day(END)) & (st["stop"] >= _day(START))
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    establishments = units.table()
    _write(con, establishments, out / f"{schema.ESTABLISHMENTS}.{fmt}", "SELECT * FROM t", fmt)
    as_date = "nullif({0}, {1}) + DATE '1970-01-01'".format
    query = f"""
        SELECT printf('%011x', persona) AS persona, $codes[unit + 1] AS establecimiento,
               ['M', 'F'][sexo + 1] AS sexo, {as_date('nacimiento', NO_DATE)} AS fecha_nacimiento,
               {as_date('ingreso', NO_DATE)} AS ingreso, {as_date('egreso', NO_DATE)} AS egreso,
               $reasons[nullif(motivo, -1) + 1] AS motivo_egreso, {as_date('sentencia', NO_DATE)} AS fecha_sentencia,
               $crimes[delito + 1] AS delito
        FROM t"""
    _write(con, _stay_columns(ep, st, keep, people, seed), out / f"{schema.STAYS}.{fmt}", query, fmt,
           {"codes": [r["codigo"] for r in units.rows], "reasons": list(schema.EXIT_REASONS), "crimes": list(CRIMES)})
    present = np.zeros(people, dtype=bool)
    present[ep.person[st["episode"][keep]]] = True
    return Summary(out, int(present.sum()), int(keep.sum()), len(establishments["codigo"]), START, END)


def _stay_columns(ep: _Episodes, st: dict[str, np.ndarray], keep: np.ndarray, people: int, seed: int) -> dict[str, np.ndarray]:
    """The kept stays as integer columns (days since 1970, NO_DATE for empty), decoded by `generate`'s SQL."""
    rng = np.random.default_rng([seed, 1])
    e, stop, begin = st["episode"][keep], st["stop"][keep], st["begin"][keep]
    open_ = stop > _day(END)
    sentence = ep.sentence[e]
    sentence = np.where((sentence <= _day(END)) & (open_ | (sentence <= stop)), sentence, NO_DATE)
    # Age at the first episode: 18 to 80, most in their twenties and thirties; one birth date per person.
    age = 18 * YEAR + np.minimum(rng.gamma(2.0, 7.0 * YEAR, people), 62 * YEAR)
    person_start = np.full(people, np.iinfo(np.int64).max)
    np.minimum.at(person_start, ep.person, ep.start)
    birth = (person_start - age).astype(np.int64)
    multiplier = 0x9E3779B97F4B  # odd: i ↦ i·m mod 2⁴⁴ is a bijection, so pseudonyms never collide
    salt = np.random.default_rng([seed, 2]).integers(0, 2**44)
    pseudonym = (ep.person[e].astype(np.uint64) * np.uint64(multiplier) + np.uint64(salt)) % np.uint64(2**44)
    return {
        "persona": pseudonym.astype(np.int64),
        "unit": st["unit"][keep].astype(np.int32),
        "sexo": ep.sex[e],
        "nacimiento": birth[ep.person[e]].astype(np.int32),
        "ingreso": begin.astype(np.int32),
        "egreso": np.where(open_, NO_DATE, stop).astype(np.int32),
        "motivo": np.where(open_, -1, st["reason"][keep]).astype(np.int8),
        "sentencia": sentence.astype(np.int32),
        "delito": ep.crime[e].astype(np.int8),
    }


def _write(con: duckdb.DuckDBPyConnection, columns: dict, path: Path, query: str, fmt: str, params: dict | None = None) -> None:
    """COPY `query` over `columns` (scanned by DuckDB as the table `t`) to `path`."""
    t = {k: np.asarray(v, dtype=object) if isinstance(v, list) else v for k, v in columns.items()}  # noqa: F841
    options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
    con.execute(f"COPY ({query}) TO '{literal(path)}' ({options})", params or {})
