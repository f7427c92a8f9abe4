"""Validation of what people type: numbers, years and free text, with Spanish messages that name
the indicator and the field.

Pure functions: the web form, the Excel template, the matrix import, the targets page and the
API all call them, so a value is judged the same way wherever it comes from.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

DEFAULT_RANGES = {
    "percentage": (0.0, 100.0),
    "number": (0.0, None),
    "amount": (0.0, None),
    "rate": (0.0, None),
    "ratio": (0.0, None),
    "index": (None, None),
    "variation_rate": (None, None),
}
# No real figure of these units comes near these magnitudes: beyond them it is a typo or an
# attack, never data. They hold even when an indicator's ficha widens its valid range.
MAGNITUDE = {
    "percentage": 1e6,
    "variation_rate": 1e6,
    "rate": 1e9,
    "ratio": 1e9,
    "index": 1e9,
    "number": 1e12,
    "amount": 1e12,
}
COUNT_MAGNITUDE = 1e12  # numerators and denominators are counts
YEARS = (1990, 2100)  # the years a plan, campaign or value may have
JUMP = 0.5  # a change of more than 50 % against the previous year needs a written justification
_NUMBER = re.compile(r"^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)$")
_SHOWN = 40  # characters of a bad input quoted back in a message
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("\r\n?|[\x0b\x0c\u2028\u2029]")  # Word pastes line breaks as vertical tabs


class NumberError(ValueError):
    pass


def shown(raw) -> str:
    """A bad input as a message quotes it: cleaned and cut short."""
    text = clean_text(str(raw), single_line=True)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def clean_text(text: str, single_line: bool = False) -> str:
    """Text without the control characters that break XML writers (Excel, Word, PDF) and terminals.

    Line breaks in any spelling become ``\\n`` (or a space for a one-line field); tabs stay."""
    text = _DROPPED.sub("", _BREAKS.sub("\n", text))
    if single_line:
        text = " ".join(text.replace("\t", " ").split("\n"))
    return text


def _finite(value: float, raw) -> float:
    if not math.isfinite(value):
        raise NumberError(f"«{shown(raw)}» no es un número finito")
    return value


def parse_number(raw, unit: str = "number") -> float | None:
    """A number written as people write it: "37,5" and "37.5" both mean 37.5; "6235" and
    "6,235.5" too. A lone comma before three digits in a count ("6,235") is ambiguous and refused.
    NaN, infinities and numbers too long to be finite are refused."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError(f"«{shown(raw)}» no es un número")
    if isinstance(raw, (int, float)):
        try:
            return _finite(float(raw), raw)
        except OverflowError:
            raise NumberError(f"«{shown(raw)}» no es un número finito") from None
    if not isinstance(raw, str):
        raise NumberError(f"«{shown(raw)}» no es un número")
    text = raw.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not text:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in text:
        whole, _, frac = text.partition(",")
        if unit in ("number", "amount") and len(frac) == 3 and whole.lstrip("+-").isascii() and whole.lstrip("+-").isdigit():
            raise NumberError(f"«{shown(raw)}» es ambiguo: escriba {whole}{frac} (sin separador de miles) o {whole}.{frac}")
        text = text.replace(",", ".")
    if text.count(".") > 1 or not _NUMBER.match(text):
        raise NumberError(f"«{shown(raw)}» no es un número")
    return _finite(float(text), raw)


@dataclass
class Check:
    """The outcome of validating one value."""

    value: float | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def valid_range(unit: str, valid_min: float | None = None, valid_max: float | None = None) -> tuple[float | None, float | None]:
    low, high = DEFAULT_RANGES.get(unit, (None, None))
    return (low if valid_min is None else valid_min), (high if valid_max is None else valid_max)


def check_number(
    code: str, field_name: str, raw, *, unit: str, valid_min: float | None = None, valid_max: float | None = None,
) -> Check:
    """One figure of indicator ``code`` (a value, a target, a matrix cell): a finite number within
    the unit's magnitude and the indicator's valid range. An empty input gives ``value=None``."""
    out = Check()
    where = f"{code}, campo «{field_name}»"
    try:
        out.value = parse_number(raw, unit)
    except NumberError as exc:
        out.errors.append(f"{where}: {exc}.")
        return out
    if out.value is None:
        return out
    limit = MAGNITUDE.get(unit, COUNT_MAGNITUDE)
    if abs(out.value) > limit:
        out.errors.append(f"{where}: {out.value:g} no es una cifra posible para esta unidad (magnitud máxima {limit:g}).")
        return out
    problem = out_of_range(unit, out.value, valid_min, valid_max)
    if problem:
        out.errors.append(f"{where}: {problem}.")
    return out


def out_of_range(unit: str, value: float, valid_min: float | None = None, valid_max: float | None = None) -> str | None:
    """Why ``value`` is outside the valid range of its unit (or of its ficha), or None."""
    low, high = valid_range(unit, valid_min, valid_max)
    what = "un porcentaje" if unit == "percentage" and valid_min is None and valid_max is None else "este indicador"
    if low is not None and value < low:
        return f"{value:g} está por debajo del mínimo válido ({low:g}) para {what}"
    if high is not None and value > high:
        return f"{value:g} supera el máximo válido ({high:g}) para {what}"
    return None


def _count(code: str, field_name: str, raw) -> float | None:
    """A numerator or denominator: a finite count; NumberError names its field."""
    try:
        value = parse_number(raw, "number")
    except NumberError as exc:
        raise NumberError(f"{code}, campo «{field_name}»: {exc}") from None
    if value is not None and abs(value) > COUNT_MAGNITUDE:
        raise NumberError(f"{code}, campo «{field_name}»: {value:g} no es una cifra posible (magnitud máxima {COUNT_MAGNITUDE:g})")
    return value


def check_actual(
    code: str,
    raw,
    *,
    unit: str,
    status: str = "",
    reason: str = "",
    previous: float | None = None,
    justification: str = "",
    numerator=None,
    denominator=None,
    valid_min: float | None = None,
    valid_max: float | None = None,
) -> Check:
    """Validate the obtained value of indicator ``code`` (or its ND/SD status)."""
    out = Check()
    if not isinstance(status or "", str):
        status = shown(status)
    status = (status or "").strip().upper()
    if status not in ("", "ND", "SD"):
        out.errors.append(f"{code}, campo «estado»: «{shown(status)}» no es válido (use ND, SD o déjelo vacío).")
        return out
    if status:
        if not (reason or "").strip():
            out.errors.append(f"{code}, campo «motivo»: un valor {status} necesita el motivo por escrito.")
        if raw not in (None, ""):
            out.errors.append(f"{code}, campo «valor obtenido»: con estado {status} el valor queda vacío (ND/SD no son números).")
        return out
    if numerator not in (None, "") or denominator not in (None, ""):
        try:
            num, den = _count(code, "numerador", numerator), _count(code, "denominador", denominator)
            if num is None or den is None:
                raise NumberError(f"{code}, campo «{'numerador' if num is None else 'denominador'}»: indique numerador y denominador")
            if den == 0:
                raise NumberError(f"{code}, campo «denominador»: no puede ser 0")
        except NumberError as exc:
            out.errors.append(f"{exc}.")
            return out
        raw = num / den * (100.0 if unit == "percentage" else 1.0)
    out = check_number(code, "valor obtenido", raw, unit=unit, valid_min=valid_min, valid_max=valid_max)
    if out.ok and out.value is None:
        out.errors.append(f"{code}, campo «valor obtenido»: falta el valor (o indique ND/SD con su motivo).")
    if previous not in (None, 0) and out.ok:
        change = abs(out.value - previous) / abs(previous)
        if change > JUMP:
            text = (f"{code}: el valor obtenido cambia {change:.0%} respecto al año anterior ({previous:g} → {out.value:g}); "
                    "explique la variación en «justificación».")
            (out.warnings if (justification or "").strip() else out.errors).append(text)
    return out


def check_target(code: str, raw, *, unit: str, valid_min: float | None = None, valid_max: float | None = None) -> Check:
    """A logro esperado: required, and held to the same magnitude and range as the values."""
    out = check_number(code, "logro esperado", raw, unit=unit, valid_min=valid_min, valid_max=valid_max)
    if out.ok and out.value is None:
        out.errors.append(f"{code}, campo «logro esperado»: falta el valor.")
    return out


def check_target_change(code: str, approved: bool, resolution: str) -> list[str]:
    """A logro esperado changed after its value was approved needs the resolution that changes it."""
    if approved and not (resolution or "").strip():
        return [f"{code}, campo «resolución»: el logro esperado ya tiene un valor aprobado; indique la resolución que sustenta el cambio."]
    return []


def check_year(raw, field_name: str = "año") -> tuple[int | None, str | None]:
    """A year a plan can have (1990–2100), or the Spanish reason it is not one."""
    text = str(raw).strip() if raw is not None else ""
    low, high = YEARS
    if not text.isascii() or not text.isdigit() or not low <= int(text) <= high:
        return None, f"Campo «{field_name}»: «{shown(text)}» no es un año válido (use un año entre {low} y {high})."
    return int(text), None
