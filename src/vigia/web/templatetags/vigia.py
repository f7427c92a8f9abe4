"""Template filters in the seeds' number style (decimal point, % sign) and accessible bands."""

from django import template
from django.utils.html import format_html

from vigia.methodology.bands import Band
from vigia.presentation import numbers

register = template.Library()

_SHAPES = {Band.GREEN: "●", Band.YELLOW: "▲", Band.RED: "■", Band.ND: "○"}


@register.filter
def num(value, unit="number"):
    return numbers.number(value, unit)


@register.simple_tag
def figure(obs, unit="number", decimals=None):
    """A stored figure: its number in the house style, ND/SD, or a dash explained as «sin dato en la fuente»."""
    text = numbers.observation(obs, unit, decimals)
    if text == numbers.ABSENT:
        return format_html('<abbr class="absent" title="{}">{}</abbr>', numbers.ABSENT_LABEL, text)
    return text


@register.filter
def pct(value, decimals=1):
    if value is None:
        return "ND"
    return f"{value:.{int(decimals)}f}"


@register.simple_tag
def band(band_value, progress=None, decimals=1):
    """A band badge: colour, a shape and the word, so colour is never the only cue."""
    b = Band(band_value) if not isinstance(band_value, Band) else band_value
    text = "ND" if progress is None else f"{progress:.{int(decimals)}f}%"
    return format_html(
        '<span class="band band-{}" title="{}"><span aria-hidden="true">{}</span> {} <span class="band-word">{}</span></span>',
        b.name.lower(), b.label, _SHAPES[b], text, b.value,
    )


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
