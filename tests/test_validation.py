"""Validation of typed input and safety of written output: pure functions, no database."""

import io
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from vigia import outputs
from vigia.methodology.validation import (
    MAGNITUDE, NumberError, check_actual, check_number, check_target, check_year, clean_text, parse_number,
)


@pytest.mark.parametrize("raw", ["9" * 400, "1e400", float("inf"), float("-inf"), float("nan"), 10**400, "nan", "inf", "Infinity"])
def test_non_finite_numbers_are_refused(raw):
    with pytest.raises(NumberError):
        parse_number(raw)


@pytest.mark.parametrize("unit,raw", [("number", "10000000000001"), ("percentage", "2000000"), ("rate", "-5000000000"), ("amount", "9" * 20)])
def test_magnitudes_beyond_the_unit_are_refused_naming_the_field(unit, raw):
    check = check_number("IOP.01.01", "valor obtenido", raw, unit=unit, valid_max=1e30, valid_min=-1e30)
    assert not check.ok and "IOP.01.01, campo «valor obtenido»" in check.errors[0] and "magnitud máxima" in check.errors[0]


def test_a_huge_count_value_is_refused_everywhere_it_can_enter():
    """Issue 8, item 2: 400 nines became inf and were stored for count indicators."""
    nines = "9" * 400
    assert not check_actual("X", nines, unit="number").ok
    assert not check_actual("X", None, unit="percentage", numerator=nines, denominator="10").ok
    assert not check_actual("X", None, unit="percentage", numerator="10", denominator=nines).ok
    assert not check_target("X", nines, unit="number").ok


def test_targets_are_range_checked_like_values():
    """Item 12: −50 for a percentage target was accepted."""
    check = check_target("IOP.03.01", "-50", unit="percentage")
    assert not check.ok and "por debajo del mínimo válido (0)" in check.errors[0] and "«logro esperado»" in check.errors[0]
    assert check_target("IOP.03.01", "60", unit="percentage").value == 60.0
    assert "falta el valor" in check_target("IOP.03.01", "", unit="percentage").errors[0]


@pytest.mark.parametrize("raw,ok", [("2025", True), ("1990", True), ("2100", True), ("99999", False), ("1989", False),
                                    ("dosmil", False), ("२०२५", False), ("", False), (None, False), ("2025.0", False)])
def test_years(raw, ok):
    year, problem = check_year(raw)
    assert (year is not None) is ok and (problem is None) is ok
    if not ok:
        assert "año" in problem


def test_control_characters_are_cleaned_and_word_line_breaks_kept():
    assert clean_text("a\x00b\x0bc\r\nd\x1fe\x7f\ufffe") == "ab\nc\nde"
    assert clean_text("una\x0blínea\tcon tab", single_line=True) == "una línea con tab"


@given(st.text())
def test_cleaned_text_is_always_writable_to_xlsx(text):
    wb = Workbook()
    outputs.append(wb.active, [text, "=" + text])
    buf = io.BytesIO()
    wb.save(buf)
    cells = list(load_workbook(io.BytesIO(buf.getvalue())).active.iter_rows(values_only=True))[0]
    assert cells[1] is None or not str(cells[1]).startswith("=") or load_workbook(io.BytesIO(buf.getvalue())).active["B1"].data_type == "s"


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(), st.text()))
def test_checked_numbers_are_always_finite_and_within_magnitude(raw):
    check = check_number("X", "valor", raw, unit="index")
    if check.ok and check.value is not None:
        assert math.isfinite(check.value) and abs(check.value) <= MAGNITUDE["index"]


def test_user_text_is_written_as_text_not_as_a_formula():
    """Item 9: formula injection in CSV (OWASP) and XLSX."""
    assert outputs.csv_row(["=1+2", "+1+1", "-1+2", "@SUM(A1)", "\tx", "\r=x", "-3.5", "+4", "ok", 7, None, float("inf")]) == [
        "'=1+2", "'+1+1", "'-1+2", "'@SUM(A1)", "'\tx", "\n=x", "-3.5", "+4", "ok", 7, "", ""]
    wb = Workbook()
    outputs.append(wb.active, ['=HYPERLINK("http://x","y")', 3])
    buf = io.BytesIO()
    wb.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).active
    assert ws["A1"].data_type == "s" and ws["A1"].value.startswith("=HYPERLINK") and ws["B1"].value == 3


def test_json_is_always_valid():
    text = outputs.json_dumps({"a": [float("inf"), float("nan"), 1.5], "b": {"c": float("-inf")}})
    assert json.loads(text) == {"a": [None, None, 1.5], "b": {"c": None}}
