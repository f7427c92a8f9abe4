"""Issue 8, items 17 and 19: the command line answers in Spanish, without tracebacks, with a
non-zero exit naming what exists, and writes private files. Runs the installed `vigia` as users do."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

VIGIA = str(Path(sys.executable).with_name("vigia"))
ENGLISH = ("Usage:", "Invalid value", "Missing option", "Missing argument", "No such", "Try '", "Traceback", "Error:  ",
           "is not a valid", "Input should be", "Got unexpected", "Aborted")


def vigia(*args, data_dir=None, stdin="", env=None):
    environment = {**os.environ, **(env or {})}
    environment.pop("DATABASE_URL", None)
    if data_dir is not None:
        environment["VIGIA_DATA_DIR"] = str(data_dir)
    return subprocess.run([VIGIA, *args], capture_output=True, text=True, input=stdin, env=environment, timeout=120)


@pytest.mark.parametrize("args,says", [
    (["progress", "pnp2030", "--year", "dosmil"], "«dosmil» no es válido (debe ser un número entero)"),
    (["progress", "pnp2030", "-y", "2024", "--format", "xml"], "use table, csv o json"),
    (["progress", "pnp2030"], "Falta la opción '--year' / '-y'"),
    (["progress", "-y", "2024"], "Falta el argumento 'PLAN'"),
    (["progres"], "No existe el comando 'progres'. ¿Quiso decir 'progress'?"),
    (["progress", "pnp2030", "-y", "2024", "--vintag", "X"], "¿Quiso decir '--vintage'?"),
    (["progress", "pnp2030", "-y"], "La opción '-y' necesita un valor"),
    (["progress", "pnp2030", "-y", "2024", "sobra"], "Sobran argumentos: sobra"),
    (["users", "pepe", "--clave", "secreta-123456"], "No existe la opción '--clave'"),
    (["report", "pnp2030", "-y", "2024", "-f", "docx", "--out", "/proc/vigia/no"], "no se pudo escribir en «/proc/vigia/no»"),
    (["progress", "nada", "-y", "2024"], "no existe el plan «nada» (planes: pei-inpe, pnp2030, pp-creo)"),
])
def test_usage_errors_are_spanish_without_traceback(args, says):
    result = vigia(*args)
    output = " ".join(re.sub("[│╭╮╰╯─]", " ", result.stdout + result.stderr).split())  # the error panel wraps lines
    assert result.returncode == 2, output
    assert says in output, output
    assert not [e for e in ENGLISH if e in output], output
    assert "/src/vigia" not in output and "site-packages" not in output  # no internal path


@pytest.mark.parametrize("args", [["--help"], ["campaigns", "--help"], ["campaigns", "open", "--help"],
                                  ["tokens", "create", "--help"], ["registry", "--help"]])
def test_help_of_every_command_group_is_spanish(args):
    output = vigia(*args).stdout
    assert "Uso: vigia" in output and "[OPCIONES]" in output
    assert not [w for w in ("[OPTIONS]", "COMMAND", "[ARGS]", "Usage") if w in output], output


@pytest.mark.parametrize("args,says", [
    (["progress", "pnp2030", "-y", "2031"], "no tiene datos de 2031 en la edición RS-2024, periodo anual (años con datos: 2019–2024)"),
    (["progress", "pei-inpe", "-y", "2024", "--period", "S2"], "no tiene datos del periodo «S2»"),
    (["progress", "pnp2030", "-y", "2024", "--period", "S1"], "(periodos con datos: anual)"),
    (["alerts", "pnp2030", "-y", "2031"], "años con datos: 2019–2024"),
    (["progress", "pnp2030", "-y", "2020", "--vintage", "RS-1999"], "ediciones: RS-2024, RS-2020, RS-2021"),
    (["progress", "pp-creo", "-y", "2024"], "pp-creo no tiene valores"),
])
def test_years_periods_and_vintages_without_data_fail_naming_what_exists(args, says):
    result = vigia(*args)
    assert result.returncode == 2 and says in result.stderr, result.stdout + result.stderr
    assert "ND" not in result.stdout  # no all-ND table


def test_users_without_a_database_neither_creates_one_nor_prints_a_traceback(tmp_path):
    for args in (["users"], ["users", "pepe", "--rol", "analista"], ["backup", str(tmp_path / "copia.tar.gz")], ["remind"]):
        result = vigia(*args, data_dir=tmp_path / "datos")
        assert result.returncode == 2 and "No hay una base de datos de Vigía todavía" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "datos" / "vigia.sqlite3").exists()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    data = tmp_path_factory.mktemp("cli") / "datos"
    result = vigia("load", "pp-creo", data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def test_passwords_come_from_stdin_or_a_hidden_prompt_never_the_command_line(loaded):
    result = vigia("users", "analista1", "--rol", "analista", "--clave-stdin", data_dir=loaded, stdin="clave-larga-de-prueba-2030\n")
    assert result.returncode == 0 and "creado" in result.stdout and "clave-larga" not in result.stdout, result.stderr
    check = ("import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','vigia.settings');django.setup();"
             "from django.contrib.auth import get_user_model as g;print(g().objects.get(username='analista1').check_password('clave-larga-de-prueba-2030'))")
    assert subprocess.run([sys.executable, "-c", check], env={**os.environ, "VIGIA_DATA_DIR": str(loaded)},
                          capture_output=True, text=True).stdout.strip() == "True"
    weak = vigia("users", "analista2", "--clave-stdin", data_dir=loaded, stdin="123\n")
    assert weak.returncode == 2 and "contraseña no válida" in weak.stderr and "demasiado corta" in weak.stderr
    assert "analista2" not in vigia("users", data_dir=loaded).stdout  # nothing created
    no_tty = vigia("users", "analista1", "--cambiar-clave", data_dir=loaded)
    assert no_tty.returncode == 2 and "--clave-stdin" in no_tty.stderr


def test_data_folder_database_and_generated_files_are_private(loaded, tmp_path):
    assert loaded.stat().st_mode & 0o777 == 0o700
    for name in ("vigia.sqlite3", "secret_key"):
        assert (loaded / name).stat().st_mode & 0o777 == 0o600, name
    for extra in ("vigia.sqlite3-wal", "vigia.sqlite3-shm"):
        if (loaded / extra).exists():
            assert (loaded / extra).stat().st_mode & 0o777 == 0o600, extra
    out = tmp_path / "informes"
    assert vigia("report", "pnp2030", "-y", "2024", "-f", "xlsx", "--out", str(out)).returncode == 0
    assert out.stat().st_mode & 0o777 == 0o700
    assert all(f.stat().st_mode & 0o777 == 0o600 for f in out.iterdir())


def test_an_existing_world_readable_database_is_made_private(loaded):
    (loaded / "vigia.sqlite3").chmod(0o644)
    assert vigia("users", data_dir=loaded).returncode == 0
    assert (loaded / "vigia.sqlite3").stat().st_mode & 0o777 == 0o600
