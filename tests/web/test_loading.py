"""`vigia load`: idempotent, and every change of a dataset is applied and recorded."""

import shutil

import pytest

from vigia import datasets
from vigia.core import models as m
from vigia.core import store
from vigia.core.loading import load_dataset

pytestmark = pytest.mark.django_db


def test_official_data_is_loaded():
    assert m.Plan.objects.count() == 3
    assert m.Indicator.objects.filter(plan__code="pnp2030").count() == 49
    assert m.Element.objects.filter(plan__code="pei-inpe", level="AEI").count() == 11


def test_second_load_changes_nothing():
    before = m.Plan.objects.get(code="pnp2030").version
    result = load_dataset(datasets.load("pnp2030"))
    assert result.skipped and not result.changed
    assert m.Plan.objects.get(code="pnp2030").version == before


def test_stored_plan_reproduces_the_official_figures():
    assert round(store.evaluation("pnp2030", 2024).index, 1) == 69.0
    assert round(store.evaluation("pei-inpe", 2024).row("OEI.01").progress, 2) == 57.62


def test_changed_dataset_updates_and_records(tmp_path):
    folder = tmp_path / "pnp2030"
    shutil.copytree(datasets.loader.ROOT / "pnp2030", folder)
    csv = folder / "values.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("IOP.03.01,2024,anual,actual,11.01", "IOP.03.01,2024,anual,actual,27.5"), encoding="utf-8")
    version = m.Plan.objects.get(code="pnp2030").version
    result = load_dataset(datasets.load(folder))
    assert (result.created, result.updated, result.deleted) == (0, 1, 0)
    change = m.Change.objects.get(load__plan__code="pnp2030", field="value")
    assert (change.code, change.old, change.new) == ("IOP.03.01 RS-2024 2024 anual actual", "11.01", "27.5")
    assert m.Plan.objects.get(code="pnp2030").version == version + 1
    assert round(store.evaluation("pnp2030", 2024).row("IOP.03.01").progress, 1) == 50.0
    assert load_dataset(datasets.load(folder)).skipped


def test_stored_plan_keeps_every_figure_a_narrative_states():
    """Two passages of the PEI's 2024 report state IND.01.AEI.01.02 differently (94% and 93%): the
    database keeps both, so the stored plan is the bundled one figure for figure."""
    def figures(ds):
        return sorted((r.key, r.value, r.status, r.note) for r in ds.records)

    assert figures(store.dataset("pei-inpe")) == figures(datasets.load("pei-inpe"))
    stated = m.Value.objects.filter(indicator__code="IND.01.AEI.01.02", kind="actual_stated", year=2024)
    assert sorted(stated.values_list("value", flat=True)) == [93.0, 94.0]
