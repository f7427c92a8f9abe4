"""Free text typed by people, checked against the model field it goes into.

One place for every writer (forms, Excel template, API): control characters are cleaned, the
field's ``max_length`` is enforced with a Spanish message naming the field (a database would
otherwise truncate it or answer with an error), and anything that is not text is refused.
"""

from __future__ import annotations

from django.db import models

from vigia.methodology.validation import clean_text

TEXT_MAX = 20_000  # a free-text field without a length of its own (analysis, reason): about eight pages


class Invalid(Exception):
    """Input refused, with one Spanish message per problem (naming the indicator/row and field)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def text(model: type[models.Model], name: str, raw, where: str = "") -> str:
    """``raw`` as the value of ``model.name``: cleaned, stripped and within its length, else Invalid."""
    f = model._meta.get_field(name)
    prefix = f"{where}, campo «{f.verbose_name}»" if where else f"Campo «{f.verbose_name}»"
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise Invalid([f"{prefix}: escriba texto (no un número, una fecha ni una fórmula)."])
    value = clean_text(raw, single_line=isinstance(f, models.CharField)).strip()
    limit = f.max_length or TEXT_MAX
    if len(value) > limit:
        raise Invalid([f"{prefix}: admite como máximo {limit:,} caracteres (tiene {len(value):,})."])
    return value


def texts(model: type[models.Model], data: dict, names, where: str = "") -> dict[str, str]:
    """Several text fields at once; every problem is reported, not only the first."""
    out, errors = {}, []
    for name in names:
        try:
            out[name] = text(model, name, data.get(name), where)
        except Invalid as exc:
            errors += exc.errors
    if errors:
        raise Invalid(errors)
    return out
