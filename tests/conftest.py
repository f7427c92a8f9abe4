import pytest
from hypothesis import settings

from vigia import datasets
from vigia.methodology import evaluate, ruleset

# Speed lives in benchmarks, not in unit tests: a property holds however busy the machine is.
settings.register_profile("vigia", deadline=None)
settings.load_profile("vigia")


@pytest.fixture(scope="session")
def policy():
    return datasets.load("pnp2030")


@pytest.fixture(scope="session")
def pei():
    return datasets.load("pei-inpe")


@pytest.fixture(scope="session")
def policy_2024(policy):
    return evaluate(policy.plan, policy.series(), 2024, ruleset("policy"))


@pytest.fixture(scope="session")
def pei_2024(pei):
    return evaluate(pei.plan, pei.series(), 2024, ruleset("pei"))


@pytest.fixture(autouse=True)
def bundled_plans_for_the_cli(request, monkeypatch):
    """The command line reads the installation's database when one is configured (vigia.sources);
    outside tests/web there is none, whatever the environment running the tests says."""
    if "web" not in request.node.path.parts:
        monkeypatch.delenv("VIGIA_DATA_DIR", raising=False)
        monkeypatch.delenv("DATABASE_URL", raising=False)
