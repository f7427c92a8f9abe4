"""Spanish wording of validation errors raised by libraries (pydantic), for the API's 422
answers and the command line's errors: one table, so both say the same thing."""

from __future__ import annotations

PYDANTIC = {
    "missing": "es obligatorio",
    "int_parsing": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "int_from_float": "debe ser un número entero",
    "float_parsing": "debe ser un número",
    "float_type": "debe ser un número",
    "bool_parsing": "debe ser true o false",
    "greater_than_equal": "debe ser mayor o igual que {ge}",
    "greater_than": "debe ser mayor que {gt}",
    "less_than_equal": "debe ser menor o igual que {le}",
    "less_than": "debe ser menor que {lt}",
    "string_too_long": "admite como máximo {max_length} caracteres",
    "string_too_short": "debe tener al menos {min_length} caracteres",
    "string_type": "debe ser texto",
    "date_parsing": "debe ser una fecha AAAA-MM-DD",
    "date_from_datetime_parsing": "debe ser una fecha AAAA-MM-DD",
    "date_type": "debe ser una fecha AAAA-MM-DD",
    "literal_error": "valor no permitido (use {expected})",
    "enum": "valor no permitido (use {expected})",
}


def pydantic_message(error: dict) -> str:
    """One pydantic error (``ValidationError.errors()[k]``) as a Spanish phrase."""
    ctx = {k: str(v).replace("' or '", "' o '") for k, v in (error.get("ctx") or {}).items()}
    template = PYDANTIC.get(error.get("type", ""), "valor no válido")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return "valor no válido"
