"""Jinja2, through Django's own backend, for the partials a page prints many times: a list's rows
and chrome, the kit's badges and menus, form fields, the frame's bars.

Django's template engine costs some 0.3 ms a row of a list (includes, `{% url %}`, filters); the
same markup from a compiled Jinja2 template costs a tenth of that. Templates live in each app's
`jinja2/` folder (`dashboard/ui/jinja2/ui/kit.html`), autoescape on. What they may use beside
Jinja2's own:

- `_("…")`, `gettext`, `ngettext`, `pgettext`, `npgettext`: Django's translations, as Jinja2's
  "new style" ones (`_("Select %(name)s", name=row.name)` escapes the values it puts in; a `%` of
  the sentence is written `%%`); `make messages` finds them
  (dashboard/ui/management/commands/makemessages.py);
- `url(name, *args)` (Django's reverse, each shape of path reversed once: dashboard/ui/paths.py),
  `static(path)`, `languages()` and `current_language()`;
- filters `when` and `day` (a date with its time, a date: the language's one format each),
  `since` (how long ago: Django's timesince) and `size` (binary units), their words kept per
  language (dashboard/ui/humanize.py), `mib` and `gib` (a quantity in MiB or GiB as a size),
  `isotime` (the exact time in the active time zone), `date(format)` (Django's, localised),
  `floatformat(digits)` (Django's text, its decimal separator kept per language) and
  `words("MAP")` (a cloud code in words: dashboard.cloud.labels).

Django templates print a Jinja2 partial with a tag (`dashboard.ui.templatetags.zenith_kit`), Python
calls `render()` or a template's macros (`macros("ui/kit.html").status_badge(...)`).
"""

from __future__ import annotations

import functools
from datetime import datetime

from django.conf import settings
from django.template import engines
from django.template.defaultfilters import date as date_filter
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from jinja2 import Environment
from markupsafe import Markup, escape

from dashboard.cloud import labels

from .humanize import active_language, active_zone, day, decimals, moment, since, size, when
from .paths import path


def url(name: str, *args) -> str:
    return path(name, *args)  # reverse(name, args=args), each shape reversed once (dashboard/ui/paths.py)


def languages() -> list[tuple[str, str]]:
    """(code, the language's own name) of each language Zenith speaks."""
    return [(code, translation.get_language_info(code)["name_local"].capitalize()) for code, _ in settings.LANGUAGES]


def isotime(value) -> str:
    """The exact time, in the active time zone, as ISO 8601 (`|date:"c"`)."""
    if isinstance(value, str):
        value = moment(value) or value
    if isinstance(value, datetime):
        if settings.USE_TZ and not timezone.is_naive(value):
            return value.astimezone(active_zone()).isoformat()  # template_localtime, the zone read once
        return value.isoformat()
    return date_filter(value, "c") if value else ""


# Django's translations for the templates, as Jinja2's i18n extension calls them "new style" (the
# sentence and the values put into it are escaped, the sentence is a format string even without
# any) but as plain functions: the extension's go through the template context two or three times
# a call, which a row printing three words pays fifty times a page.
def gettext(message: str, **variables) -> Markup:
    return translated(active_language(), message) % variables


@functools.lru_cache(maxsize=4096)
def translated(language: str, message: str) -> Markup:
    """A sentence in `language` (the active one), escaped: kept, the same sentence is printed on
    every row of a list (docs/caches.md). Only the templates' own sentences come here, a bounded
    set; what a page puts into them are the sentence's variables."""
    return escape(translation.gettext(message))


def ngettext(singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return escape(translation.ngettext(singular, plural, num)) % variables


def pgettext(context: str, message: str, **variables) -> Markup:
    return escape(translation.pgettext(context, message)) % variables


def npgettext(context: str, singular: str, plural: str, num: int, **variables) -> Markup:
    variables.setdefault("num", num)
    return escape(translation.npgettext(context, singular, plural, num)) % variables


def mib(value) -> str:
    """`{{ flavor.ram|mib }}`: a quantity in MiB (Nova's RAM) as a size: "512 MiB", "2 GiB"."""
    return size(value, unit="MiB")


def gib(value) -> str:
    """`{{ volume.size|gib }}`: a quantity in GiB (Cinder's sizes, a flavor's disk) as a size."""
    return size(value, unit="GiB")


def words(code, labels_name: str) -> str:
    """`{{ image.status|words("IMAGE_STATUS") }}`: a cloud code in words, from the map of
    dashboard.cloud.labels named `labels_name`."""
    return labels.words(getattr(labels, labels_name), code)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, **options)
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)
    env.globals.update(url=url, static=static, languages=languages, current_language=translation.get_language)
    env.filters.update(since=since, isotime=isotime, size=size, date=date_filter, floatformat=decimals)
    env.filters.update(when=when, day=day, words=words, mib=mib, gib=gib)
    return env


def template(name: str):
    """The Jinja2 template `name` (Django's backend object: `.render(context, request)`)."""
    return engines["jinja2"].get_template(name)


def render(name: str, context: dict, request=None) -> SafeString:
    """The template printed with `context` (and the request's CSRF token, when given): safe text
    (Django's Jinja2 backend answers a plain str, which a Django template would escape again)."""
    return SafeString(template(name).render(context, request))


def macros(name: str):
    """The macros of the Jinja2 template `name`, to call from Python: `macros("ui/kit.html").age(t)`."""
    return template(name).template.module
