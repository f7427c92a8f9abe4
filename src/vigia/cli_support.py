"""What every ``vigia`` command shares: errors in Spanish, and never a traceback.

Click and Typer word their errors in English (``Invalid value for '--format'``, ``Missing option
'--year'``) and print a traceback for anything unexpected. ``SpanishGroup`` is the class of the
``vigia`` command group: it runs any command (sub-apps added later included), rewords click's
errors from their structure (which option, which value, what it accepts) and reports an
unexpected failure in one Spanish line. ``install`` turns the help's headings Spanish.
"""

from __future__ import annotations

import enum
import errno
import importlib
import os
import re
import sys

import typer
from rich.console import Console
from rich.panel import Panel
from rich.text import Text
from typer.core import TyperGroup

from vigia.messages import pydantic_message

# Typer runs on click (its own vendored copy in recent versions): use whichever it uses.
CLICK = typer.BadParameter.__module__.rsplit(".", 1)[0]
click_exceptions = importlib.import_module(f"{CLICK}.exceptions")
ClickException, UsageError = click_exceptions.ClickException, click_exceptions.UsageError

TYPER_TEXTS = {  # typer's own gettext messages
    "No such command {name!r}.": "No existe el comando {name!r}.",
    "Missing command.": "Falta el comando.",
    "Aborted!": "Interrumpido.",
    "required": "obligatorio",
    "Arguments": "Argumentos",
    "Options": "Opciones",
    "Commands": "Comandos",
    "default: {default}": "por omisión: {default}",
    "env var: {var}": "variable de entorno: {var}",
    "(dynamic)": "(dinámico)",
}
RICH_TEXTS = {  # typer.rich_utils texts computed when it was imported
    "DEPRECATED_STRING": "(obsoleto) ", "DEFAULT_STRING": "[por omisión: {}]", "ENVVAR_STRING": "[variable de entorno: {}]",
    "REQUIRED_LONG_STRING": "[obligatorio]", "ARGUMENTS_PANEL_TITLE": "Argumentos", "OPTIONS_PANEL_TITLE": "Opciones",
    "COMMANDS_PANEL_TITLE": "Comandos", "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Interrumpido.",
    "RICH_HELP": "Pruebe [blue]'{command_path} {help_option}'[/] para ver la ayuda.",
}
OS_ERRORS = {
    errno.EACCES: "no tiene permiso", errno.EPERM: "no tiene permiso", errno.ENOENT: "no existe",
    errno.ENOTDIR: "una parte de la ruta no es una carpeta", errno.EISDIR: "es una carpeta", errno.EEXIST: "ya existe",
    errno.ENOSPC: "no queda espacio en el disco", errno.EROFS: "el disco es de solo lectura", errno.ENAMETOOLONG: "el nombre es demasiado largo",
}
HELP = "Muestra esta ayuda y termina."


def install() -> None:
    """Spanish headings, usage prefix and help option in every command's help (idempotent)."""
    for name in ("typer.core", "typer.main", "typer.rich_utils"):
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = lambda message: TYPER_TEXTS.get(message, message)
        if name == "typer.rich_utils":
            for constant, text in RICH_TEXTS.items():
                if hasattr(module, constant):
                    setattr(module, constant, text)
    core, formatting = importlib.import_module(f"{CLICK}.core"), importlib.import_module(f"{CLICK}.formatting")
    if not getattr(core.Command.get_help_option, "_vigia", False):
        get_help_option, write_usage = core.Command.get_help_option, formatting.HelpFormatter.write_usage

        def spanish_help_option(self, ctx):
            option = get_help_option(self, ctx)
            if option is not None:
                option.help = HELP
            return option

        def spanish_usage(self, prog, args="", prefix=None):
            args = args.replace("[OPTIONS]", "[OPCIONES]").replace("COMMAND [ARGS]...", "COMANDO [ARGUMENTOS]...")
            return write_usage(self, prog, args, "Uso: " if prefix is None else prefix)

        spanish_help_option._vigia = True
        core.Command.get_help_option = spanish_help_option
        formatting.HelpFormatter.write_usage = spanish_usage


def os_error(exc: OSError) -> str:
    """An operating-system error in Spanish (its own text is English)."""
    return OS_ERRORS.get(exc.errno, "error del sistema")


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} o {items[-1]}"


def _hint(param) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return f"'{(param.metavar or param.name or '').strip('{}').upper()}'"
    return " / ".join(f"'{o}'" for o in param.opts)


def _choices(param) -> list[str] | None:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(e.value) for e in annotation]
    choices = getattr(getattr(param, "type", None), "choices", None)
    return [str(c) for c in choices] if choices else None


def _bad_value(exc) -> str:
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") and callable(cause.errors) else []
    choices = _choices(exc.param)
    value = errors[0].get("input") if errors else None
    shown = f"«{value}» " if isinstance(value, (str, int, float)) else ""
    if choices:
        reason = f"use {_join(choices)}"
    elif errors:
        reason = pydantic_message(errors[0])
    else:
        reason = "revise el valor"
    return f"Valor no válido para {_hint(exc.param)}: {shown}no es válido ({reason})."


def message(exc: ClickException) -> str:
    """The error in Spanish, from its kind and its data (click words it in English)."""
    kind, param = type(exc).__name__, getattr(exc, "param", None)
    if kind == "MissingParameter" and param is not None:
        what = {"option": "la opción", "argument": "el argumento"}.get(getattr(param, "param_type_name", ""), "el parámetro")
        return f"Falta {what} {_hint(param)}."
    if kind == "NoSuchOption":
        possibilities = [f"'{p}'" for p in sorted(getattr(exc, "possibilities", None) or [])]
        return f"No existe la opción '{exc.option_name}'." + (f" ¿Quiso decir {_join(possibilities)}?" if possibilities else "")
    if kind == "BadOptionUsage":
        text = exc.format_message()
        verb = "necesita un valor" if "requires" in text else "no admite un valor" if "does not take" in text else "se usó mal"
        return f"La opción '{exc.option_name}' {verb}."
    if kind == "BadArgumentUsage":
        return "Los argumentos no son válidos: revise cuántos valores escribió."
    if isinstance(exc, typer.BadParameter) and param is not None:
        return _bad_value(exc)
    text = exc.format_message()
    extra = re.match(r"^Got unexpected extra arguments?(?:\(s\))? \((.*)\)$", text)
    if extra:
        return f"Sobran argumentos: {extra.group(1)}."
    return re.sub(r"\.? ?Did you mean (.*)\?$", r". ¿Quiso decir \1?", text)


def show(exc: ClickException) -> None:
    console = Console(stderr=True)
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        console.print(Text(ctx.get_usage()))
        console.print(Text(f"Pruebe '{ctx.command_path} --help' para ver la ayuda.", style="dim"))
    console.print(Panel(Text(message(exc)), title="Error", title_align="left", border_style="red"))


def fail(text: str, code: int = 2):
    """Stop a command with a Spanish error on standard error."""
    typer.echo(f"Error: {text}", err=True)
    raise typer.Exit(code)


_NO_ARGS = getattr(click_exceptions, "NoArgsIsHelpError", ())  # click ≥ 8.2 prints the help, then raises it
_ABORT = tuple({typer.Abort, getattr(click_exceptions, "Abort", typer.Abort), KeyboardInterrupt, EOFError})


class SpanishGroup(TyperGroup):
    """The ``vigia`` group: Spanish errors and exit codes, and no traceback, for every command."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _NO_ARGS:
            sys.exit(2)  # the help was printed already
        except ClickException as exc:
            show(exc)
            sys.exit(exc.exit_code)
        except _ABORT:
            typer.echo("Interrumpido.", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
            if os.environ.get("VIGIA_DEBUG"):
                raise
            typer.echo(f"Error inesperado ({type(exc).__name__}); no se completó la operación. "
                       "Repítala con VIGIA_DEBUG=1 para ver el detalle técnico, o informe al administrador.", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)
