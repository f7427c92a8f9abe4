"""Importing: every rule refuses its broken row by file, line and field, all or nothing; Parquet reads
like CSV; the stored file is private; a discarded extract keeps only aggregates."""

import os
import stat
from datetime import date

import duckdb
import pytest

from vigia.registry import ExtractError, Registry, RegistryError, compact, import_extract

from .conftest import D1, D2, D3, FIXTURE, copy_fixture

STAYS_HEADER = "persona,establecimiento,sexo,fecha_nacimiento,ingreso,egreso,motivo_egreso,fecha_sentencia,delito"


def _replace_line(path, line, text):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _refused(tmp_path, file, line, text):
    """Import the fixture with `line` of `file` replaced by `text`; return the error."""
    src = copy_fixture(tmp_path / "extracto")
    _replace_line(src / file, line, text)
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    return info.value


# (file, line, new text, field named, words of the rule)
BROKEN = [
    ("estancias.csv", 2, "P01,EP01,X,1980-01-01,2018-05-01,,,2019-01-10,robo", "sexo", "debe ser M o F"),
    ("estancias.csv", 2, "P01,EP99,M,1980-01-01,2018-05-01,,,2019-01-10,robo", "establecimiento", "«EP99» no está en establecimientos"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,2018-13-01,,,2019-01-10,robo", "ingreso", "no es una fecha AAAA-MM-DD"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,,,,2019-01-10,robo", "ingreso", "falta la fecha de ingreso"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,2018-05-01,2018-04-01,libertad,2019-01-10,robo", "egreso", "anterior al ingreso"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,2018-05-01,2019-04-01,,2019-01-10,robo", "motivo_egreso", "falta el motivo"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,2018-05-01,,libertad,2019-01-10,robo", "motivo_egreso", "no fecha de egreso"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,2018-05-01,2019-04-01,indulto,2019-01-10,robo", "motivo_egreso", "libertad, traslado"),
    ("estancias.csv", 2, "P01,EP01,M,2020-01-01,2018-05-01,,,2019-01-10,robo", "fecha_nacimiento", "posterior al ingreso"),
    ("estancias.csv", 2, "P01,EP01,M,1880-01-01,2018-05-01,,,2019-01-10,robo", "fecha_nacimiento", "fuera del rango"),
    ("estancias.csv", 2, "12345678,EP01,M,1980-01-01,2018-05-01,,,2019-01-10,robo", "persona", "parece un DNI"),
    ("estancias.csv", 2, ",EP01,M,1980-01-01,2018-05-01,,,2019-01-10,robo", "persona", "seudónimo"),
    ("estancias.csv", 2, "P01,EP06,M,1980-01-01,2018-05-01,,,2019-01-10,robo", "ingreso", "anterior al primer «desde»"),
    ("estancias.csv", 2, "P01,EP01,M,1980-01-01,2018-05-01,,,2019-01-10", None, "faltan campos"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EP,Lima Norte,15,10,50,2000-01-01", "oficina_regional", "8 oficinas regionales"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EP,Lima,26,10,50,2000-01-01", "ubigeo_departamento", "01 a 25"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EPX,Lima,15,10,50,2000-01-01", "tipo", "EP o EML"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EP,Lima,15,10.5,50,2000-01-01", "capacidad", "número entero"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EP,Lima,15,,50,2000-01-01", "capacidad", "debe tener capacidad"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EP,Lima,15,10,-5,2000-01-01", "area_m2", "número positivo"),
    ("establecimientos.csv", 2, "EP01,EP Uno,EP,Lima,15,10,50,01/01/2000", "desde", "AAAA-MM-DD"),
    ("establecimientos.csv", 4, "EP02,EP Dos,EP,Lima,15,6,,2000-01-01", "desde", "mismo «desde» (línea 3)"),
    ("establecimientos.csv", 4, "EP02,EP Dos,EML,Lima,15,6,,2024-03-01", "tipo", "difieren de la línea 3"),
]


@pytest.mark.parametrize("file,line,text,field,words", BROKEN, ids=[f"{b[0]}:{b[3] or b[4]}" for b in BROKEN])
def test_broken_row_is_refused_by_file_line_and_field(tmp_path, file, line, text, field, words):
    error = _refused(tmp_path, file, line, text)
    issue = next(i for i in error.issues if i.file == file and (i.field == field or field is None))
    assert (issue.line, issue.field) == (line, field) or field is None
    assert words in issue.rule
    assert f"{file}, línea" in str(error) and "No se guardó nada" in str(error)
    assert not (tmp_path / "datos" / "registro" / "registro.duckdb").exists()


def test_overlap_names_both_lines(tmp_path):
    src = copy_fixture(tmp_path / "extracto")
    with (src / "estancias.csv").open("a", encoding="utf-8") as f:
        f.write("P02,EP03,M,1990-02-02,2023-05-01,2023-06-01,traslado,,hurto agravado\n")
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    (issue,) = info.value.issues
    assert (issue.line, issue.field) == (44, "ingreso")
    assert "otra estancia abierta ese día (línea 3)" in issue.rule


def test_same_day_transfer_is_not_an_overlap():
    """P03 leaves EP01 and enters EP02 on 15/03/2024: the fixture imports (see the golden tests)."""
    assert "2024-03-15,traslado" in (FIXTURE / "estancias.csv").read_text(encoding="utf-8")


@pytest.fixture
def colliding_keys(monkeypatch):
    """Person keys that collide (three values for 31 persons), as a 64-bit hash almost never does."""
    monkeypatch.setattr(compact, "DERIVED", compact.DERIVED.replace("hash(persona) AS clave", "hash(persona) % 3 AS clave"))


def test_colliding_person_keys_are_renumbered(tmp_path, colliding_keys, figures):
    info = import_extract(FIXTURE, tmp_path / "datos")
    assert info.persons == 31
    rows = Registry(tmp_path / "datos").measures([D1, D2, D3])
    assert {(r.measure, r.date, r.scope, r.code, r.sex): r for r in rows} == figures
    con = duckdb.connect(str(tmp_path / "datos" / "registro" / "registro.duckdb"), read_only=True)
    assert con.execute("SELECT count(DISTINCT persona) FROM estancias").fetchone()[0] == 31


def test_colliding_person_keys_never_invent_an_overlap(tmp_path, colliding_keys):
    """Persons sharing a key are not one person: only the real overlap is reported."""
    src = copy_fixture(tmp_path / "extracto")
    with (src / "estancias.csv").open("a", encoding="utf-8") as f:
        f.write("P02,EP03,M,1990-02-02,2023-05-01,2023-06-01,traslado,,hurto agravado\n")
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    assert [(i.line, i.field) for i in info.value.issues] == [(44, "ingreso")]


def test_person_with_two_sexes(tmp_path):
    error = _refused(tmp_path, "estancias.csv", 4, "P03,EP01,M,1985-03-03,2023-06-01,2024-03-15,traslado,,tráfico ilícito de drogas")
    assert any(i.field == "sexo" and "otro sexo en la línea" in i.rule for i in error.issues)


def test_many_errors_are_listed_up_to_fifty_and_counted(tmp_path):
    src = copy_fixture(tmp_path / "extracto")
    rows = [f"Q{i},EP01,X,1980-01-01,2020-01-01,2020-02-01,libertad,,robo" for i in range(120)]
    (src / "estancias.csv").write_text(STAYS_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    assert len(info.value.issues) == 50 and info.value.total == 120
    assert "… y 70 errores más." in str(info.value)
    assert [i.line for i in info.value.issues[:3]] == [2, 3, 4]


def test_line_numbers_after_a_malformed_line(tmp_path):
    """A rejected line does not shift the line numbers of the rows after it."""
    src = copy_fixture(tmp_path / "extracto")
    _replace_line(src / "estancias.csv", 5, "P04,EP01,M,1999-04-04,2023-11-01")
    _replace_line(src / "estancias.csv", 10, "P06,EP03,Z,1988-06-06,2024-04-01,,,2024-08-15,robo agravado")
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    assert {(i.line, i.field) for i in info.value.issues} == {(5, None), (10, "sexo")}
    assert "faltan campos" in info.value.issues[0].rule


@pytest.mark.parametrize("change,words", [
    (lambda d: (d / "estancias.csv").unlink(), "falta el archivo"),
    (lambda d: (d / "estancias.csv").write_text(STAYS_HEADER.replace("delito", "nombre_completo") + "\n"), "columna desconocida «nombre_completo»"),
    (lambda d: (d / "estancias.csv").write_text(STAYS_HEADER.replace(",delito", "") + "\n"), "falta la columna «delito»"),
    (lambda d: (d / "estancias.csv").write_text(STAYS_HEADER + "\n"), "no tiene estancias"),
    (lambda d: (d / "estancias.parquet").write_bytes(b"x"), "dos versiones"),
])
def test_files_and_columns(tmp_path, change, words):
    src = copy_fixture(tmp_path / "extracto")
    change(src)
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    assert words in str(info.value)


def test_refused_extract_leaves_previous_import_untouched(tmp_path):
    data = tmp_path / "datos"
    first = import_extract(FIXTURE, data)
    stored = (data / "registro" / "registro.duckdb").read_bytes()
    _refused(tmp_path, "estancias.csv", 2, "P01,EP01,X,1980-01-01,2018-05-01,,,2019-01-10,robo")
    with pytest.raises(ExtractError):
        import_extract(tmp_path / "extracto", data)
    assert (data / "registro" / "registro.duckdb").read_bytes() == stored
    assert Registry(data).info == first
    assert sorted(p.name for p in (data / "registro").iterdir()) == [".importando", ".temporal", "registro.duckdb"]


def test_private_files_and_fingerprint(tmp_path):
    data = tmp_path / "datos"
    info = import_extract(FIXTURE, data)
    assert stat.S_IMODE(os.stat(data / "registro").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data / "registro" / "registro.duckdb").st_mode) == 0o600
    assert (info.stays, info.persons, info.establishments, info.establishment_rows) == (42, 31, 9, 10)
    assert (info.start, info.cutoff, info.standard_dates) == (date(2019, 1, 15), D3, 72)
    assert len(info.sha256) == 64 and info.kept


def test_discard_keeps_only_aggregates(tmp_path):
    data = tmp_path / "datos"
    info = import_extract(FIXTURE, data, keep=False)
    con = duckdb.connect(str(data / "registro" / "registro.duckdb"), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"establecimientos", "extracto", "agregados"}
    # no pseudonym is left anywhere in the file, not even in free blocks
    con.close()
    content = (data / "registro" / "registro.duckdb").read_bytes()
    assert b"P31" not in content and "violación".encode() not in content
    registry = Registry(data)
    assert not info.kept and registry.measures([D3], ["poblacion"], ["nation"], sex="")[0].value == 19
    with pytest.raises(RegistryError, match="se descartó"):
        registry.measures([date(2024, 7, 15)])


def test_explicit_cutoff_and_start(tmp_path):
    info = import_extract(FIXTURE, tmp_path / "a", cutoff=date(2025, 3, 31), start=date(2019, 1, 1))
    assert (info.start, info.cutoff, info.standard_dates) == (date(2019, 1, 1), date(2025, 3, 31), 75)
    src = copy_fixture(tmp_path / "extracto")
    with pytest.raises(ExtractError, match="fecha de corte"):
        import_extract(src, tmp_path / "b", cutoff=date(2024, 6, 30))


def test_dates_outside_the_extract(registry):
    with pytest.raises(RegistryError, match="fuera del extracto"):
        registry.measures([date(2018, 12, 31)])


def test_no_extract_yet(tmp_path):
    with pytest.raises(RegistryError, match="vigia registry import"):
        Registry(tmp_path)


def test_parquet_reads_like_csv(tmp_path, figures):
    src = tmp_path / "parquet"
    src.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{FIXTURE / 'estancias.csv'}')) TO '{src / 'estancias.parquet'}' (FORMAT parquet)")
    con.execute(f"COPY (SELECT * FROM read_csv('{FIXTURE / 'establecimientos.csv'}', all_varchar = true)) "
                f"TO '{src / 'establecimientos.parquet'}' (FORMAT parquet)")
    info = import_extract(src, tmp_path / "datos")
    rows = Registry(tmp_path / "datos").measures([date(2023, 12, 31), date(2024, 6, 30), D3])
    assert info.formats == "parquet"
    assert {(r.measure, r.date, r.scope, r.code, r.sex): r for r in rows} == figures


def test_parquet_errors_name_the_row(tmp_path):
    src = tmp_path / "parquet"
    src.mkdir()
    (src / "establecimientos.csv").write_bytes((FIXTURE / "establecimientos.csv").read_bytes())
    duckdb.connect().execute(f"""COPY (SELECT * REPLACE (CASE WHEN persona = 'P02' THEN 'ayer' ELSE ingreso END AS ingreso)
        FROM read_csv('{FIXTURE / 'estancias.csv'}', all_varchar = true)) TO '{src / 'estancias.parquet'}' (FORMAT parquet)""")
    with pytest.raises(ExtractError) as info:
        import_extract(src, tmp_path / "datos")
    assert "estancias.parquet, fila 2, campo «ingreso»: no es una fecha" in str(info.value)


def test_kept_extract_stores_only_what_the_measures_read(tmp_path):
    data = tmp_path / "datos"
    import_extract(FIXTURE, data)
    con = duckdb.connect(str(data / "registro" / "registro.duckdb"), read_only=True)
    columns = [r[0] for r in con.execute("DESCRIBE estancias").fetchall()]
    assert columns == ["persona", "establecimiento", "sexo", "ingreso", "egreso", "motivo_egreso", "fecha_sentencia"]
