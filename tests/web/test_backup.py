"""Issue 8, item 18: `vigia backup` and `vigia restore` on SQLite and on PostgreSQL (when the
suite runs under scripts/with-postgres): an installation in use is backed up, restored into an
empty data folder (and an empty database), and every public and internal output is the same."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

VIGIA = str(Path(sys.executable).with_name("vigia"))
SCENARIO = str(Path(__file__).with_name("scenario.py"))


@pytest.fixture
def databases():
    """Two empty databases: SQLite files in each data folder, or two new PostgreSQL databases."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None, None
        return
    import psycopg

    names = [f"vigia_copia_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    yield tuple(urlunsplit(parts._replace(path=f"/{name}")) for name in names)
    with psycopg.connect(url, autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(data: Path, database: str | None) -> dict:
    env = {**os.environ, "VIGIA_DATA_DIR": str(data), "ALLOWED_HOSTS": "testserver", "VIGIA_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if database:
        env["DATABASE_URL"] = database
    return env


def _run(args, env, stdin=""):
    result = subprocess.run(args, env=env, capture_output=True, text=True, input=stdin, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def test_a_backup_restored_into_an_empty_installation_gives_every_output_back(tmp_path, databases):
    source, target = _env(tmp_path / "origen", databases[0]), _env(tmp_path / "destino", databases[1])
    _run([sys.executable, SCENARIO, "populate"], source)
    before = json.loads(_run([sys.executable, SCENARIO, "outputs"], source))
    archive = tmp_path / "copia" / "vigia.tar.gz"
    archive.parent.mkdir()
    assert "1 archivos de evidencia" in _run([VIGIA, "backup", str(archive)], source)
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "database.json"} <= set(names) and any(n.startswith("media/evidencias/") for n in names)
    assert not any("secret_key" in n or n.endswith(".sqlite3") for n in names)

    assert "Copia restaurada" in _run([VIGIA, "restore", str(archive)], target)
    after = json.loads(_run([sys.executable, SCENARIO, "outputs"], target))
    assert after.keys() == before.keys() and len(after) > 70
    assert {k: v for k, v in after.items() if before[k] != v} == {}
    assert all(v.startswith("200 ") for v in after.values()), [k for k, v in after.items() if not v.startswith("200 ")]

    again = subprocess.run([VIGIA, "restore", str(archive)], env=target, capture_output=True, text=True, timeout=600)
    assert again.returncode == 2 and "ya tiene datos" in again.stderr


def test_restore_refuses_what_is_not_a_vigia_backup(tmp_path):
    env = _env(tmp_path / "datos", None)
    bogus = tmp_path / "otra.tar.gz"
    with tarfile.open(bogus, "w:gz") as tar:
        tar.add(SCENARIO, "manifest.json")
    result = subprocess.run([VIGIA, "restore", str(bogus)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no es una copia de Vigía" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run([VIGIA, "restore", str(tmp_path / "no-existe.tar.gz")], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no existe el archivo" in result.stderr


def test_force_replaces_existing_data_and_moves_data_versions_past_the_old_ones(tmp_path, databases):
    """A restore over data in use: the old rows go, and no cache keyed by an old data version can
    pass for the restored data."""
    source, target = _env(tmp_path / "origen", databases[0]), _env(tmp_path / "destino", databases[1])
    _run([VIGIA, "load", "pp-creo"], source)
    archive = tmp_path / "copia.tar.gz"
    _run([VIGIA, "backup", str(archive)], source)
    _run([VIGIA, "load"], target)
    probe = ("import os,django;os.environ.setdefault('DJANGO_SETTINGS_MODULE','vigia.settings');django.setup();"
             "import json;from vigia.core.models import Plan;print(json.dumps(dict(Plan.objects.values_list('code','version'))))")
    before = json.loads(_run([sys.executable, "-c", probe], target))
    assert "Copia restaurada" in _run([VIGIA, "restore", "--force", str(archive)], target)
    after = json.loads(_run([sys.executable, "-c", probe], target))
    assert set(after) == {"pp-creo"} and after["pp-creo"] > before["pp-creo"]
