"""URL reversing with its answers kept: `reverse()` as Django's, the same name, arguments, script
prefix, URL conf, current app and language always giving the same path.

Django works a path out again on every `reverse()` and `{% url %}` (namespace lookups, the
pattern's candidates, quoting: 15-25 microseconds each); a list or detail page reverses ten to
twenty, the same ones on every load. The URL patterns do not change while a process runs, so the
answer is kept, keyed on everything it depends on. Only plain calls are kept (a view name, text
or int arguments, no query or fragment), at most KEPT answers (the whole set is dropped when full:
arguments can come from requests, so it cannot grow without end); a change of ROOT_URLCONF
(override_settings in tests) drops it too. `keep_reversed_urls()` (the ui app's ready()) puts it in
place of `django.urls.reverse`, which `{% url %}`, `redirect()` and the code's own imports use.
"""

from __future__ import annotations

from django.core.signals import setting_changed
from django.urls import base as urls_base
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

KEPT = 20_000
_django_reverse = urls_base.reverse
_kept: dict[tuple, str] = {}


def _plain(values) -> bool:
    """Text (safe text too: template literals are) and whole numbers, not bools (True == 1 as a key)."""
    return all(isinstance(v, str) or (type(v) is int) for v in values)


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None, *, query=None, fragment=None):
    if (
        not isinstance(viewname, str)
        or urlconf is not None
        or query is not None
        or fragment is not None
        or (args and not _plain(args))
        or (kwargs and not _plain(kwargs.values()))
    ):
        return _django_reverse(viewname, urlconf, args, kwargs, current_app, query=query, fragment=fragment)
    key = (
        viewname,
        tuple(args or ()),
        tuple(sorted(kwargs.items())) if kwargs else (),
        current_app,
        get_script_prefix(),
        get_urlconf(),
        get_language(),
    )
    path = _kept.get(key)
    if path is None:
        path = _django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
        if len(_kept) >= KEPT:
            _kept.clear()
        _kept[key] = path
    return path


def forget(**_kwargs) -> None:
    _kept.clear()


def _on_setting_changed(setting: str, **_kwargs) -> None:
    if setting == "ROOT_URLCONF":
        forget()


def keep_reversed_urls() -> None:
    import django.urls

    if django.urls.reverse is reverse:
        return
    django.urls.reverse = urls_base.reverse = reverse
    setting_changed.connect(_on_setting_changed, dispatch_uid="zenith-kept-reverse")
