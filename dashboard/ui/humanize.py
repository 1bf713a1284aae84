"""When, how long ago, how big and how many hours, each one way per language, for every page:

- `when` and `day`: a date with its time, a date (the language's DATETIME_FORMAT and DATE_FORMAT,
  dashboard/formats/), from a datetime or the cloud's ISO text (`moment` parses it);
- `since`: how long ago, Django's timesince words (a list's ages: the kit's `age` macro);
- `size`: binary units, the language's symbols (KiB, MiB, GiB; French Kio, Mio, Gio);
- `decimals`: Django's floatformat.

For the rows of a list, which print one of each per row: Django's own resolve two lazy plurals a
time (its TIME_STRINGS) and look the unit words and the decimal separator up a value, some 40
microseconds a row together: a folder's 500 rows would spend 20 ms on them. Here each language's
words are looked up once and kept (docs/caches.md), and a time under 27 days is worked out from the
seconds (tests/unit/test_humanize.py compares `since` and `decimals` with Django's over many values,
languages and time zones). The Jinja2 filters of the same names are these (dashboard/ui/jinja.py),
and the Django template filters `when`, `day` and `size` (dashboard/ui/templatetags/zenith_kit.py).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.template.defaultfilters import filesizeformat, floatformat, timesince_filter
from django.utils import dateformat
from django.utils.dateparse import parse_datetime
from django.utils.formats import get_format
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language, gettext, gettext_noop

# while a list's rows are printed (printing_rows), the active language and time zone, read once for
# all of them: Django keeps them in an asgiref Local, 1.5 microseconds a read, and a row reads them
# five or six times (its times, sizes and words)
_printing: ContextVar[tuple[str, tzinfo] | None] = ContextVar("zenith_printing_rows", default=None)


@contextmanager
def printing_rows() -> Iterator[None]:
    """Around the printing of many rows: the language and time zone read once, at the start."""
    token = _printing.set((get_language(), get_current_timezone()))
    try:
        yield
    finally:
        _printing.reset(token)


def active_language() -> str:
    kept = _printing.get()
    return kept[0] if kept is not None else get_language()


def active_zone() -> tzinfo:
    kept = _printing.get()
    return kept[1] if kept is not None else get_current_timezone()


class _Counted:
    """One of Django's time words ("%(num)d minutes", a lazy plural) in one language, each number's
    form kept once made: `% {"num": n}` without resolving the lazy plural again."""

    __slots__ = ("by_number", "words")

    def __init__(self, words):
        self.words, self.by_number = words, {}

    def __mod__(self, values: dict) -> str:
        n = values["num"]
        text = self.by_number.get(n)
        if text is None:
            text = self.by_number[n] = str(self.words % values)
        return text


@functools.lru_cache(maxsize=16)
def _time_words(language: str) -> dict[str, _Counted]:
    """Django's TIME_STRINGS for `language` (only ever used while it is the active one)."""
    return {name: _Counted(words) for name, words in TIME_STRINGS.items()}


# Django's own words, translated by its catalogue (called under another name: makemessages does not
# copy them into ours)
djangos_words = gettext


@functools.lru_cache(maxsize=16)
def _comma(language: str) -> str:
    return djangos_words(", ")


_WEEK, _DAY, _HOUR = 7 * 86400, 86400, 3600
# under 27 days no calendar month can have passed, so the words follow from the seconds alone
_RECENT = 27 * _DAY


def moment(value) -> datetime | None:
    """A time as the cloud gives it, parsed: a datetime, or an ISO 8601 string ("2026-12-07T01:11:14Z",
    Cinder's "2026-12-07T01:03:43.000000" without a zone, which is UTC); None when it is neither."""
    if isinstance(value, datetime):
        return value
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# the first of a month as the language writes it: French "1er décembre" (the day's "j" in its formats)
_FIRST_OF_MONTH = {"fr": r"j\e\r"}


def _formatted(value, format_name: str) -> str:
    moment_ = moment(value)
    if moment_ is None:
        return ""
    if settings.USE_TZ and moment_.utcoffset() is not None:
        moment_ = moment_.astimezone(active_zone())
    pattern = get_format(format_name)
    if moment_.day == 1 and (first := _FIRST_OF_MONTH.get(active_language().split("-")[0])):
        pattern = pattern.replace("j", first, 1)
    return dateformat.format(moment_, pattern)


def when(value) -> str:
    """A date with its time, the one way of the active language ("7 Dec 2026, 01:03 UTC", French
    "7 décembre 2026, 01:03 UTC": dashboard/formats/), in the active time zone; `value`: a datetime
    or the cloud's ISO text; "" for none."""
    return _formatted(value, "DATETIME_FORMAT")


def day(value) -> str:
    """A date, the one way of the active language ("7 Dec 2026", "7 décembre 2026")."""
    return _formatted(value, "DATE_FORMAT")


def since(value, language: str = "", now: datetime | None = None) -> str:
    """`{{ value|timesince }}`: the same words (Django's timesince, its time words kept per language
    and number: a list's rows resolved two lazy plurals each, a third of a row's time). A time less
    than 27 days ago - most of a list's - is worked out here from the seconds (no months or years:
    Django's calendar steps give the same); older ones by Django's timesince. `language`: the active
    one, when the caller has it already; `now`: as timesince's (the time to count up to)."""
    if isinstance(value, str):
        value = moment(value) or value
    if not isinstance(value, datetime):
        return timesince_filter(value)
    language = language or active_language()
    words = _time_words(language)
    try:
        # as timesince does: now in the value's zone (wall-clock difference), seconds, no microseconds
        if now is None:
            now = datetime.now(value.tzinfo if value.utcoffset() is not None else None)
        elif now.utcoffset() is not None and value.utcoffset() is not None:
            now = now.astimezone(value.tzinfo)
        delta = now - value
    except (ValueError, TypeError):
        return ""
    seconds = delta.days * _DAY + delta.seconds
    if seconds >= _RECENT:
        try:
            return timesince(value, now=now, time_strings=words)
        except (ValueError, TypeError):
            return ""
    weeks, rest = divmod(max(seconds, 0), _WEEK)
    days, rest = divmod(rest, _DAY)
    hours, rest = divmod(rest, _HOUR)
    parts: list[str] = []
    # the first unit that is not zero and the next one unless it is zero (timesince's depth 2)
    for count, name in ((weeks, "week"), (days, "day"), (hours, "hour"), (rest // 60, "minute")):
        if count:
            parts.append((words[name] % {"num": count}).replace(" ", "\xa0"))
            if len(parts) == 2:
                break
        elif parts:
            break
    if not parts:
        return (words["minute"] % {"num": 0}).replace(" ", "\xa0")
    return _comma(language).join(parts)


# binary units, with their own symbols in each language (French: Kio, Mio, Gio, Tio, Pio); marked
# here, translated by Zenith's catalogue
_UNITS = (
    ("KiB", 1 << 10, gettext_noop("%s KiB")),
    ("MiB", 1 << 20, gettext_noop("%s MiB")),
    ("GiB", 1 << 30, gettext_noop("%s GiB")),
    ("TiB", 1 << 40, gettext_noop("%s TiB")),
    ("PiB", 1 << 50, gettext_noop("%s PiB")),
)
# what a quantity the cloud gives in a unit (Nova's RAM in MiB, Cinder's sizes in GiB) is worth in bytes
SCALES = {"B": 1, **{unit: scale for unit, scale, _words in _UNITS}}
# Placement's resource classes count memory in MiB and disk in GiB (a hypervisor's gauges)
SCALES.update(MEMORY_MB=SCALES["MiB"], DISK_GB=SCALES["GiB"])


@functools.lru_cache(maxsize=16)
def _size_words(language: str) -> dict:
    """The unit words and the decimal separator of `language` (the active one)."""
    words: dict = {unit: gettext(text) for unit, _scale, text in _UNITS}
    words["."] = _point(language)
    words["bytes"] = {}  # a byte count's words by the count (below 1 KiB)
    return words


def size(value, language: str = "", unit: str = "B") -> str:
    """How big, in binary units: "1.5 KiB", "8 GiB"; French "1,5 Kio", "8 Gio" (one decimal, none
    when the figure is whole; a count below 1 KiB in Django's words: "512 bytes", "512 octets").
    `value`: a count of `unit` ("B", "KiB", "MiB", "GiB"...; a volume's size is in GiB; or one of
    Placement's resource classes: "MEMORY_MB", "DISK_GB"). The words
    of each language are looked up once and kept: a list prints one size a row. Not a number:
    "" (None, "") or the value as it came."""
    if value is None or value == "" or type(value) is bool:
        return ""
    try:
        count = value * SCALES[unit] if type(value) is int else int(float(value) * SCALES[unit])
    except (TypeError, ValueError, OverflowError):
        return str(value)
    words = _size_words(language or active_language())
    if count == 0 and unit != "B":
        zero = next((name for name, scale, _w in _UNITS if scale == SCALES[unit]), "KiB")
        return (words[zero] % "0").replace(" ", "\xa0")  # "0 GiB" of a quota, not "0 bytes"
    if abs(count) < 1024:
        text = words["bytes"].get(count)
        if text is None:
            text = words["bytes"][count] = filesizeformat(count).replace(" ", "\xa0")
        return text
    name, scale = next(((u, s) for u, s, _w in _UNITS[:-1] if abs(count) < s << 10), _UNITS[-1][:2])
    number = f"{count / scale:.1f}".removesuffix(".0").replace(".", words["."])
    return (words[name] % number).replace(" ", "\xa0")


def size_in(value, unit: str) -> str:
    """`size` of a count of `unit` (a quota's "MiB" of RAM, "GiB" of volumes), as a callback takes it."""
    return size(value, unit=unit)


@functools.lru_cache(maxsize=16)
def _point(language: str) -> str:
    """The decimal separator of `language` (the active one)."""
    return get_format("DECIMAL_SEPARATOR")


@functools.lru_cache(maxsize=8)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def decimals(value, places=-1, language: str = "") -> str:
    """`{{ value|floatformat:places }}`: the same text. A float with a positive number of places (a
    usage report's hours, four a row for hundreds of rows) is rounded here as floatformat rounds
    it (the float's shortest repr, half up; no minus sign on a zero) and given the language's
    decimal separator, looked up once; anything else goes to floatformat."""
    if (
        type(value) is not float
        or type(places) is not int
        or places <= 0
        or not -1e15 < value < 1e15  # NaN and infinities too
        or settings.USE_THOUSAND_SEPARATOR
    ):
        return floatformat(value, places)
    rounded = Decimal(repr(value)).quantize(_quantum(places), ROUND_HALF_UP)
    text = f"{rounded if rounded else abs(rounded):f}"
    point = _point(language or active_language())
    return text if point == "." else text.replace(".", point)
