"""Free texts and attributes (nested mappings and lists) as rows of a sheet, and back, exactly.

A row is a path of keys, a data type and one scalar: ``editions/RS-2020/meta/title · texto · …``.
Keys are escaped as in JSON Pointer (``~0`` for ``~``, ``~1`` for ``/``); a list item is ``[1]``,
``[2]``… (a key that looks like one starts with ``~2``). Empty lists and mappings have rows of
their own, so nothing is lost on the way.
"""

from __future__ import annotations

import re

TEXT, INTEGER, DECIMAL, BOOLEAN, NULL, EMPTY_LIST, EMPTY_MAP = (
    "texto", "entero", "decimal", "sí/no", "nulo", "lista vacía", "mapa vacío")
TYPES = (TEXT, INTEGER, DECIMAL, BOOLEAN, NULL, EMPTY_LIST, EMPTY_MAP)
_ITEM = re.compile(r"^\[(\d+)\]$")


class TextError(ValueError):
    """A row that cannot be placed: the message names the key and what is wrong, in Spanish."""


def _escape(key: str) -> str:
    key = key.replace("~", "~0").replace("/", "~1")
    return "~2" + key[1:] if key.startswith("[") else key


def _unescape(segment: str) -> str:
    segment = "[" + segment[2:] if segment.startswith("~2") else segment
    return segment.replace("~1", "/").replace("~0", "~")


def flatten(data: dict) -> list[tuple[str, str, object]]:
    """(path, type, value) rows of ``data``, depth first in its own order."""
    rows: list[tuple[str, str, object]] = []

    def walk(node, path: str) -> None:
        if isinstance(node, dict):
            if not node and path:
                rows.append((path, EMPTY_MAP, None))
            for key, value in node.items():
                if not isinstance(key, str):
                    raise TypeError(f"clave no textual en {path or 'la raíz'}: {key!r}")
                walk(value, f"{path}/{_escape(key)}" if path else _escape(key))
        elif isinstance(node, list):
            if not node:
                rows.append((path, EMPTY_LIST, None))
            for k, value in enumerate(node, 1):
                walk(value, f"{path}/[{k}]")
        elif isinstance(node, bool):
            rows.append((path, BOOLEAN, node))
        elif isinstance(node, int):
            rows.append((path, INTEGER, node))
        elif isinstance(node, float):
            rows.append((path, DECIMAL, node))
        elif node is None:
            rows.append((path, NULL, None))
        else:
            rows.append((path, TEXT, str(node)))

    walk(data, "")
    return rows


def scalar(kind: str, raw) -> object:
    """The value of one row of type ``kind`` from its cell."""
    if kind == TEXT:
        if raw is None:
            return ""
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return str(raw)
    if kind in (NULL, EMPTY_LIST, EMPTY_MAP):
        if raw not in (None, ""):
            raise TextError(f"un dato de tipo «{kind}» no lleva contenido")
        return {EMPTY_LIST: [], EMPTY_MAP: {}}.get(kind)
    if kind == BOOLEAN:
        if isinstance(raw, bool):
            return raw
        word = str(raw or "").strip().casefold()
        if word in ("sí", "si", "verdadero", "true"):
            return True
        if word in ("no", "falso", "false"):
            return False
        raise TextError(f"«{raw}» no es sí ni no")
    if kind == INTEGER:
        if isinstance(raw, bool) or raw is None:
            raise TextError(f"«{raw}» no es un número entero")
        try:
            number = float(raw) if not isinstance(raw, int) else raw
        except ValueError:
            raise TextError(f"«{raw}» no es un número entero") from None
        if isinstance(number, float) and not number.is_integer():
            raise TextError(f"«{raw}» no es un número entero")
        return int(number)
    if kind == DECIMAL:
        try:
            return float(raw)
        except (TypeError, ValueError):
            raise TextError(f"«{raw}» no es un número (use punto decimal)") from None
    raise TextError(f"tipo de dato «{kind}» desconocido (use {', '.join(TYPES)})")


def unflatten(rows: list[tuple[str, object]]) -> dict:
    """The mapping that ``rows`` of (path, value) describe; TextError naming the path if they clash."""
    root: dict = {}
    for path, value in rows:
        segments = path.split("/") if path else []
        if not segments or any(s == "" for s in segments):
            raise TextError(f"clave vacía o mal formada: «{path}»")
        node: dict | list = root
        for k, segment in enumerate(segments):
            last = k == len(segments) - 1
            item = _ITEM.match(segment)
            child = value if last else ([] if _ITEM.match(segments[k + 1]) else {})
            if not isinstance(node, (dict, list)):
                raise TextError(f"«{path}» cuelga de un dato que ya tiene contenido propio")
            if item:
                if not isinstance(node, list):
                    raise TextError(f"«{path}»: «{segment}» es un elemento de lista, pero aquí hay un mapa")
                index = int(item.group(1))
                if index == len(node) + 1:
                    node.append(child)
                elif not 1 <= index <= len(node):
                    raise TextError(f"«{path}»: el elemento {index} llega antes que el {len(node) + 1}")
                elif last:
                    raise TextError(f"«{path}» aparece dos veces")
                node = node[index - 1]
            else:
                if not isinstance(node, dict):
                    raise TextError(f"«{path}»: «{segment}» es una clave, pero aquí hay una lista")
                key = _unescape(segment)
                if last and key in node:
                    raise TextError(f"«{path}» aparece dos veces")
                node = node.setdefault(key, child)
    return root
