"""CEPLAN conventions as named rules, and the rule sets that plans choose.

The 2024 policy report (seed 003) and INPE's 2024 PEI evaluation (seed 002) apply the same
formulas with different conventions; each difference is a rule here, so a plan states which
set it follows and a report can print exactly the rules behind its figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Formula(str, Enum):
    TIPO_I = "tipo_i"  # obtained against expected
    TIPO_II = "tipo_ii"  # distance covered from the baseline


class ZeroTarget(str, Enum):
    """What an expected value of 0 means."""

    MET_WHEN_REACHED = "met_when_reached"  # policy: 0 expected and 0 obtained → 100
    NOT_PROGRAMMED = "not_programmed"  # PEI: not programmed, left out of every mean


@dataclass(frozen=True)
class Rule:
    code: str
    text: str  # Spanish, as printed in a report's methodology note


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("TIPO_I_ASC", "Avance Tipo I, sentido ascendente = valor obtenido / logro esperado × 100."),
        Rule("TIPO_I_DESC", "Avance Tipo I, sentido descendente = logro esperado / valor obtenido × 100."),
        Rule(
            "TIPO_II",
            "Avance Tipo II = (obtenido − línea de base) / (esperado − línea de base) × 100 (ascendente); "
            "(línea de base − obtenido) / (línea de base − esperado) × 100 (descendente); "
            "no se define cuando el esperado es igual a la línea de base.",
        ),
        Rule(
            "NO_DEFINIDO",
            "Sentido no definido: dentro del máximo (o mínimo) permisible el avance es 100; fuera de él, "
            "permisible / obtenido × 100 (máximo) u obtenido / permisible × 100 (mínimo).",
        ),
        Rule("NO_CAP", "El avance de cada indicador no se limita: puede superar 100."),
        Rule("CAP_100", "El avance de cada indicador se limita a 100 (Alcance Tipo I)."),
        Rule(
            "ZERO_MET",
            "Logro esperado 0: si el valor obtenido alcanza la meta (0 en descendente, ≥ 0 en ascendente) "
            "el avance es 100.",
        ),
        Rule(
            "ZERO_NOT_PROGRAMMED",
            "Logro esperado 0: el indicador no fue programado en el periodo; su avance es ND y no entra "
            "en los promedios.",
        ),
        Rule(
            "ZERO_ACTUAL_DESC",
            "Valor obtenido 0 en un indicador descendente con meta positiva: es el mejor valor posible y "
            "su avance es 100.",
        ),
        Rule("MISSING_ND", "Sin logro esperado o sin valor obtenido, el avance es ND (no disponible)."),
        Rule(
            "ADDITIVE",
            "Indicador agregable: se compara el valor obtenido acumulado a la fecha con el esperado "
            "acumulado a la fecha; los demás comparan los valores del año.",
        ),
        Rule(
            "MEAN_OWN_THEN_CHILDREN",
            "El avance de un objetivo o acción es el promedio simple del avance de sus indicadores con "
            "dato (se excluyen los ND); un elemento sin indicadores promedia a sus elementos hijos.",
        ),
        Rule("INDEX_MEAN", "Índice de gestión de la política = promedio simple del avance de los objetivos prioritarios."),
        Rule(
            "BANDS",
            "Semáforo: verde ≥ 95 %, amarillo ≥ 75 % y < 95 %, rojo < 75 %, gris ND; se aplica al avance "
            "redondeado como se publica.",
        ),
        Rule("FULL_PRECISION", "Se calcula con los valores sin redondear; se redondea solo al mostrar."),
    )
}


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    formula: Formula = Formula.TIPO_I
    cap: float | None = None
    zero_target: ZeroTarget = ZeroTarget.MET_WHEN_REACHED
    index: bool = False
    decimals: int = 1
    green: float = 95.0
    yellow: float = 75.0

    @property
    def rules(self) -> list[Rule]:
        """The rules this set applies, in the order a methodology note reads them."""
        codes = ["TIPO_II"] if self.formula is Formula.TIPO_II else ["TIPO_I_ASC", "TIPO_I_DESC"]
        codes += ["NO_DEFINIDO", "CAP_100" if self.cap == 100 else "NO_CAP"]
        codes += ["ZERO_NOT_PROGRAMMED" if self.zero_target is ZeroTarget.NOT_PROGRAMMED else "ZERO_MET"]
        codes += ["ZERO_ACTUAL_DESC", "MISSING_ND", "ADDITIVE", "MEAN_OWN_THEN_CHILDREN"]
        codes += ["INDEX_MEAN"] if self.index else []
        codes += ["BANDS", "FULL_PRECISION"]
        return [RULES[c] for c in codes]


POLICY = RuleSet(
    name="policy",
    title="Reporte de seguimiento de política nacional (CEPLAN, 2024)",
    cap=None,
    zero_target=ZeroTarget.MET_WHEN_REACHED,
    index=True,
    decimals=1,
)

PEI = RuleSet(
    name="pei",
    title="Informe de evaluación de PEI (Alcance Tipo I)",
    cap=100.0,
    zero_target=ZeroTarget.NOT_PROGRAMMED,
    index=False,
    decimals=2,
)

RULESETS: dict[str, RuleSet] = {POLICY.name: POLICY, PEI.name: PEI}


def ruleset(name: str) -> RuleSet:
    try:
        return RULESETS[name]
    except KeyError:
        raise ValueError(f"Conjunto de reglas desconocido: {name!r} (use {', '.join(RULESETS)})") from None
