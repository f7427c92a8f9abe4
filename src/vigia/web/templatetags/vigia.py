"""Template tags in the house number style (decimal point, thousands comma, % sign), accessible
band badges, citizen wording of sources, and the interactive charts."""

import math

from django import template
from django.utils.html import format_html, json_script

from vigia.methodology.bands import Band
from vigia.presentation import numbers, sources
from vigia.presentation.charts import Chart

register = template.Library()

SHAPES = {Band.GREEN: "●", Band.YELLOW: "▲", Band.RED: "■", Band.ND: "○"}


@register.filter
def num(value, unit="number"):
    return numbers.number(value, unit)


@register.simple_tag
def value(v, unit="number", decimals=None):
    """A bare value in the ficha's decimals: "65.37%", "4,948"."""
    return numbers.number(v, unit, decimals if isinstance(decimals, int) else None)


@register.simple_tag
def figure(obs, unit="number", decimals=None):
    """A stored figure: its number in the house style, ND/SD, or a dash explained as «sin dato en la fuente»."""
    text = numbers.observation(obs, unit, decimals if isinstance(decimals, int) else None)
    if text == numbers.ABSENT:
        return format_html('<abbr class="absent" title="{}">{}</abbr>', numbers.ABSENT_LABEL, text)
    return text


@register.filter
def pct_published(v, rules):
    """An avance as a document published it, with the decimals of the rule set: "1,666.7%"."""
    return numbers.grouped(v, rules.decimals) + "%"


@register.filter
def count(n):
    return numbers.count(n) if n is not None and n != "" else ""


@register.simple_tag
def band(band_value, progress=None, decimals=1):
    """A band badge: colour, a shape and the word, so colour is never the only cue ("ND" once)."""
    b = Band(band_value) if not isinstance(band_value, Band) else band_value
    if progress is None:
        return format_html('<span class="band band-{}" title="{}"><span aria-hidden="true">{}</span> ND</span>',
                           b.name.lower(), numbers.BAND_LEGEND[Band.ND], SHAPES[Band.ND])
    q = 10 ** int(decimals)  # half away from zero, as the reports round (see bands.displayed)
    shown = math.copysign(math.floor(abs(progress) * q + 0.5) / q, progress)
    text = numbers.grouped(shown, int(decimals)) + "%"
    return format_html(
        '<span class="band band-{}" title="{}"><span aria-hidden="true">{}</span> {} <span class="band-word">{}</span></span>',
        b.name.lower(), numbers.BAND_LEGEND[b], SHAPES[b], text, b.value,
    )


@register.simple_tag
def legend(band_value):
    """A band's legend with its badge shape: "■ Rojo: avance < 75 %"."""
    b = Band(band_value) if not isinstance(band_value, Band) else band_value
    return format_html('<span class="band band-{}"><span aria-hidden="true">{}</span> {}</span>',
                       b.name.lower(), SHAPES[b], numbers.BAND_LEGEND[b])


@register.simple_tag
def cite(text, ds):
    """Seed ids in a source or note written as the document's name."""
    return sources.replace_citations(text or "", ds)


@register.inclusion_tag("vigia/_chart.html")
def chart(c: Chart, fallback_url: str = "", open_data: bool = False):
    """An interactive chart: container, JSON block, download buttons and the table behind it
    (unfolded with `open_data`: a map's table stands beside it)."""
    return {"c": c, "payload": json_script(c.payload(), f"{c.key}-datos"), "fallback_url": fallback_url, "open_data": open_data}


@register.filter
def get_at(sequence, index):
    return sequence[index]


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
