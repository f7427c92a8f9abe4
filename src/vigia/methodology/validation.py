"""Validation of a reported value, with messages in Spanish that name the indicator and field.

Pure functions: the web form, the Excel upload and the API all call them, so a value is judged
the same way wherever it comes from.
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
JUMP = 0.5  # a change of more than 50 % against the previous year needs a written justification
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class NumberError(ValueError):
    pass


def parse_number(raw, unit: str = "number") -> float | None:
    """A number written as people write it: "37,5" and "37.5" both mean 37.5; "6235" and
    "6,235.5" too. A lone comma before three digits in a count ("6,235") is ambiguous and refused."""
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if not math.isfinite(raw):
            raise NumberError("no es un número finito")
        return float(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if not text:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in text:
        whole, _, frac = text.partition(",")
        if unit in ("number", "amount") and len(frac) == 3 and whole.lstrip("+-").isdigit():
            raise NumberError(f"«{raw}» es ambiguo: escriba {whole}{frac} (sin separador de miles) o {whole}.{frac}")
        text = text.replace(",", ".")
    if text.count(".") > 1 or not _NUMBER.match(text):
        raise NumberError(f"«{raw}» no es un número")
    return float(text)


@dataclass
class Check:
    """The outcome of validating one reported value."""

    value: float | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def valid_range(unit: str, valid_min: float | None = None, valid_max: float | None = None) -> tuple[float | None, float | None]:
    low, high = DEFAULT_RANGES.get(unit, (None, None))
    return (low if valid_min is None else valid_min), (high if valid_max is None else valid_max)


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
    status = (status or "").strip().upper()
    if status not in ("", "ND", "SD"):
        out.errors.append(f"{code}, campo «estado»: «{status}» no es válido (use ND, SD o déjelo vacío).")
        return out
    if status:
        if not (reason or "").strip():
            out.errors.append(f"{code}, campo «motivo»: un valor {status} necesita el motivo por escrito.")
        if raw not in (None, ""):
            out.errors.append(f"{code}, campo «valor obtenido»: con estado {status} el valor queda vacío (ND/SD no son números).")
        return out
    try:
        if numerator not in (None, "") or denominator not in (None, ""):
            num, den = parse_number(numerator, "number"), parse_number(denominator, "number")
            if num is None or den is None:
                raise NumberError("indique numerador y denominador")
            if den == 0:
                raise NumberError("el denominador no puede ser 0")
            out.value = num / den * (100.0 if unit == "percentage" else 1.0)
        else:
            out.value = parse_number(raw, unit)
    except NumberError as exc:
        out.errors.append(f"{code}, campo «valor obtenido»: {exc}.")
        return out
    if out.value is None:
        out.errors.append(f"{code}, campo «valor obtenido»: falta el valor (o indique ND/SD con su motivo).")
        return out
    low, high = valid_range(unit, valid_min, valid_max)
    if low is not None and out.value < low:
        what = "un porcentaje" if unit == "percentage" else "este indicador"
        out.errors.append(f"{code}, campo «valor obtenido»: {out.value:g} está por debajo del mínimo válido ({low:g}) para {what}.")
    if high is not None and out.value > high:
        what = "un porcentaje" if unit == "percentage" else "este indicador"
        out.errors.append(f"{code}, campo «valor obtenido»: {out.value:g} supera el máximo válido ({high:g}) para {what}.")
    if previous not in (None, 0) and out.ok:
        change = abs(out.value - previous) / abs(previous)
        if change > JUMP:
            text = (f"{code}: el valor obtenido cambia {change:.0%} respecto al año anterior ({previous:g} → {out.value:g}); "
                    "explique la variación en «justificación».")
            (out.warnings if (justification or "").strip() else out.errors).append(text)
    return out


def check_target_change(code: str, approved: bool, resolution: str) -> list[str]:
    """A logro esperado changed after its value was approved needs the resolution that changes it."""
    if approved and not (resolution or "").strip():
        return [f"{code}, campo «resolución»: el logro esperado ya tiene un valor aprobado; indique la resolución que sustenta el cambio."]
    return []
