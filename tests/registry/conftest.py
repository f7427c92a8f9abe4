from datetime import date
from pathlib import Path

import pytest

from vigia.registry import Registry, import_extract

FIXTURE = Path(__file__).parent / "extracto"
D1, D2, D3 = date(2023, 12, 31), date(2024, 6, 30), date(2024, 12, 31)


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> Registry:
    """The hand-checkable extract (tests/registry/extracto), imported once, persons kept."""
    data = tmp_path_factory.mktemp("datos")
    import_extract(FIXTURE, data)
    return Registry(data)


@pytest.fixture(scope="session")
def figures(registry):
    """{(measure, date, scope, code, sex): row} for the three golden dates."""
    return {(r.measure, r.date, r.scope, r.code, r.sex): r for r in registry.measures([D1, D2, D3])}


def copy_fixture(target: Path) -> Path:
    """A writable copy of the fixture extract, to break on purpose."""
    target.mkdir(parents=True, exist_ok=True)
    for f in FIXTURE.iterdir():
        (target / f.name).write_bytes(f.read_bytes())
    return target
