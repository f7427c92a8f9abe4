"""Database tests: the official datasets are loaded once into the test database."""

from pathlib import Path

import pytest

from vigia import server as bootstrap
from vigia.core import models as core
from vigia.reporting import services
from vigia.reporting.models import Campaign, Role

from .helpers import YEAR, client_for

REGISTRY_EXTRACT = Path(__file__).parents[1] / "registry" / "extracto"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        bootstrap.load_all()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("jefa", "jefa@example.pe", None)  # no hashing: fast
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test's transaction is rolled back, so a data version number can come back with other
    data (in production versions only grow): forget every cached figure and page between tests."""
    from django.core.cache import cache

    from vigia.core import store
    from vigia.reporting import figures
    from vigia.web import views

    def clear():
        figures.forget()
        store.forget()
        views._chart.cache_clear()
        cache.clear()

    clear()
    yield
    clear()


@pytest.fixture(scope="session")
def kept(tmp_path_factory):
    """The hand-checkable registry extract (tests/registry/extracto) imported, persons kept."""
    from vigia.registry import import_extract

    data = tmp_path_factory.mktemp("kept")
    import_extract(REGISTRY_EXTRACT, data)
    return data


@pytest.fixture(scope="session")
def discarded(tmp_path_factory):
    """The same extract imported with --discard: only the stored dates' figures."""
    from vigia.registry import import_extract

    data = tmp_path_factory.mktemp("discarded")
    import_extract(REGISTRY_EXTRACT, data, keep=False)
    return data


@pytest.fixture
def people(django_user_model):
    inpe = core.Entity.objects.get(code="INPE")
    pj = core.Entity.objects.get(code="Poder Judicial")
    out = {}
    for name, role, entity in [("ogpm", Role.ADMIN, None), ("analista", Role.ANALYST, None), ("op_inpe", Role.OPERATOR, inpe),
                               ("op_pj", Role.OPERATOR, pj), ("decisor", Role.DECISION, None), ("admin_inpe", Role.ADMIN, inpe)]:
        user = django_user_model.objects.create_user(name, f"{name}@example.pe", None)
        services.set_role(user, role, entity)
        out[name] = user
    out["sin_rol"] = django_user_model.objects.create_user("sin_rol", "", None)
    return out


@pytest.fixture
def campaign(people):
    c = client_for(people["ogpm"])
    response = c.post("/campanas/", {"plan": "pnp2030", "year": YEAR, "period": "anual", "opens": "2026-01-05",
                                     "deadline": "2026-03-31", "name": "Reporte de seguimiento 2025",
                                     "no_target_reason": "Metas 2025 en aprobación"})
    assert response.status_code == 302
    campaign = Campaign.objects.get(plan__code="pnp2030", year=YEAR)
    assert campaign.submissions.count() == 49
    return campaign


# Browser tests: one served application and one Chromium for every browser test module.


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """`vigia serve` with the official data and a small synthetic registry extract imported."""
    from .browsing import serve, vigia_cli

    served = serve(tmp_path_factory.mktemp("served"))
    url = next(served)
    extract = tmp_path_factory.mktemp("extracto")
    vigia_cli(url, "registry", "demo", "--people", "3000", "--out", str(extract))
    vigia_cli(url, "registry", "import", str(extract))
    yield url
    next(served, None)


@pytest.fixture
def own_server(tmp_path_factory):
    """A `vigia serve` of its own, for a test that changes the plans themselves (new versions,
    locked years), which every other browser test reads from the shared server."""
    from .browsing import serve

    served = serve(tmp_path_factory.mktemp("own"))
    yield next(served)
    next(served, None)


@pytest.fixture(scope="session")
def browser():
    from pathlib import Path

    from .browsing import ARGS, CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.fail("Falta Chromium (paquete Debian chromium): make test lo instala")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="es-PE")
    yield context.new_page()
    context.close()


@pytest.fixture
def client_with_role(django_user_model):
    """A logged-in client for a new user with ``role`` (a reporting.models.Role)."""

    def make(username: str, role: str):
        user = django_user_model.objects.create_user(username, f"{username}@example.pe", None)
        services.set_role(user, role)
        client = client_for(user)
        client.user = user
        return client

    return make


@pytest.fixture
def office(client_with_role):
    """The planning office's administrador."""
    return client_with_role("ogpp", Role.ADMIN)
