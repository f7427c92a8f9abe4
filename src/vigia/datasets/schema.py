"""Schema of a bundled dataset (see FORMAT.md). Unknown keys are errors, so typos surface."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from vigia.registry.measures import BY_NAME

Code = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(Strict):
    start: int | None = Field(None, ge=1990, le=2100)
    end: int | None = Field(None, ge=1990, le=2100)


class Vintage(Strict):
    code: str = Code
    name: str
    seed: str
    date: dt.date | None = None
    stated_formula: Literal["tipo_i", "tipo_ii"] | None = None  # the formula the document says it applies


class LevelSpec(Strict):
    code: str = Code
    name: str
    parent: str | list[str] | None = None  # a level may hang from one of several levels
    indicator_prefix: str | None = None

    @property
    def parents(self) -> list[str]:
        return [self.parent] if isinstance(self.parent, str) else list(self.parent or [])


class ElementSpec(Strict):
    code: str = Code
    level: str
    name: str
    parent: str | None = None
    attributes: dict[str, Any] = {}
    aligned_to: list[str] = []
    texts: dict[str, Any] = {}


class PlanSpec(Strict):
    code: str = Code
    kind: Literal["policy", "pei", "pp"]
    name: str
    ruleset: Literal["policy", "pei"]
    entity: str
    entity_name: str | None = None
    period: Period
    current_vintage: str
    vintages: list[Vintage] = Field(min_length=1)
    texts: dict[str, Any] = {}
    levels: list[LevelSpec] = Field(min_length=1)
    elements: list[ElementSpec] = Field(min_length=1)


class IndicatorSpec(Strict):
    code: str = Code
    name: str
    element: str
    entity: str | None = None
    responsible_unit: str | None = None
    data_source: str | None = None
    type: str | None = None
    direction: Literal["ascending", "descending", "undefined"]
    bound: Literal["max", "min"] | None = None
    accumulated: bool = False
    additive: bool = False
    unit: Literal["percentage", "number", "rate", "ratio", "index", "amount", "variation_rate"]
    unit_label: str | None = None
    decimals: int | None = Field(None, ge=0, le=6)  # decimals the source prints its values with; by default from the unit
    baseline_year: int | None = Field(None, ge=1990, le=2100)
    valid_min: float | None = None  # valid range of values; by default from the unit (0-100 for a percentage)
    valid_max: float | None = None
    numerator_label: str | None = None  # when set, values are reported as numerator / denominator
    denominator_label: str | None = None
    # The penitentiary registry measure that computes it (vigia.registry.measures): each import of the
    # registry proposes its value for the open campaign.
    registry_measure: str | None = None
    aligned_to: list[str] = []
    texts: dict[str, Any] = {}

    @field_validator("registry_measure")
    @classmethod
    def _known_measure(cls, name: str | None) -> str | None:
        if name is not None and name not in BY_NAME:
            raise ValueError(f"medida del registro desconocida «{name}» (medidas: {', '.join(BY_NAME)})")
        return name

    @model_validator(mode="after")
    def _bound_iff_undefined(self):
        if (self.direction == "undefined") != (self.bound is not None):
            raise ValueError("'bound' (max o min) va solo, y siempre, con direction: undefined")
        return self
