"""Public output: cells under 5 persons are blanked, and so are the cells that would give them away."""

from datetime import date

from vigia.registry.measures import MeasureRow
from vigia.registry.privacy import suppress

from .conftest import D1, D3


def _public(registry, day):
    return {(r.measure, r.scope, r.code, r.sex): r for r in registry.measures([day], public=True)}


def test_small_cells_are_blanked_with_a_flag(registry):
    rows = _public(registry, D3)
    ep01 = rows[("poblacion", "establishment", "EP01", "")]  # 4 persons
    assert ep01.suppressed and ep01.value is ep01.numerator is ep01.denominator is None
    assert not rows[("poblacion", "nation", "PE", "")].suppressed and rows[("poblacion", "nation", "PE", "")].value == 19
    sob = rows[("sobrepoblacion", "establishment", "EP01", "")]  # rests on 4 persons, though its numerator is −6
    assert sob.suppressed


def test_capacity_and_counts_of_eps_are_never_blanked(registry):
    rows = _public(registry, D3)
    assert not any(r.suppressed for k, r in rows.items() if k[0] in ("capacidad", "hacinamiento"))


def test_the_other_sex_is_blanked_too(registry):
    rows = _public(registry, D3)
    # 3 women in the nation: blanked; the 16 men would reveal them (19 − 16), so they are blanked too
    assert rows[("poblacion", "nation", "PE", "F")].suppressed and rows[("poblacion", "nation", "PE", "M")].suppressed


def test_a_lone_blanked_unit_takes_its_smallest_sibling_along(registry):
    rows = _public(registry, D3)
    # Norte – Chiclayo holds 7: EP03 has 2 (blanked) and EP04 has 5, which would reveal EP03 (7 − 5)
    assert rows[("poblacion", "establishment", "EP03", "")].suppressed
    assert rows[("poblacion", "establishment", "EP04", "")].suppressed
    # Among offices, Sur – Arequipa (3) is blanked; the smallest other, Norte (7), goes with it; Lima (9) stays
    assert rows[("poblacion", "office", "Sur – Arequipa", "")].suppressed
    assert rows[("poblacion", "office", "Norte – Chiclayo", "")].suppressed
    assert not rows[("poblacion", "office", "Lima", "")].suppressed


def test_zero_is_not_blanked(registry):
    rows = _public(registry, D1)
    assert rows[("poblacion_medio_libre", "establishment", "EML02", "")].value == 0
    assert not rows[("poblacion_medio_libre", "establishment", "EML02", "")].suppressed


def test_internal_output_is_not_suppressed(registry):
    assert not any(r.suppressed for r in registry.measures([D3]))


def test_rule_on_plain_rows():
    day = date(2024, 1, 31)

    def row(scope, code, sex, value, parent):
        return MeasureRow("poblacion", day, scope, code, sex, value, parent=parent)

    rows = [row("nation", "PE", "", 120, ""), row("office", "Lima", "", 120, "PE"),
            row("establishment", "A", "", 100, "Lima"), row("establishment", "B", "", 17, "Lima"),
            row("establishment", "C", "", 3, "Lima")]
    shown = {r.code: r.suppressed for r in suppress(rows)}
    assert shown == {"PE": False, "Lima": False, "A": False, "B": True, "C": True}
