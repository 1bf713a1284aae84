"""The panel kit's tags for Django templates: each prints a Jinja2 template of dashboard/ui/jinja2/ui/
(see dashboard.ui.jinja), where the markup lives.

    {% load zenith_kit %}
    {% filter_form %} {% list_table create_url=… create_label=… %} {% pager %}   (need `list`)
    {% sort_headers %}                        (a report's headers: `list` without rows)
    {% status_badge status=… words=… tone=… task=… %}
    {% action_buttons obj=vol action_url="volumes:action" form_ns="volumes" buttons_id="volume-actions" %}
    {% age vol.created_at %}
    {{ t|when }} {{ t|day }} {{ n|size }} {{ gib|size:"GiB" }} {{ code|words:"IMAGE_STATUS" }}   (filters)
    {% topbar %} {% sidebar %}                (the frame, base.html)

`action_buttons` reads `actions` (the offered Action list), `back` (where to return) and `busy` (why
none is offered) from the context unless given as arguments.
"""

from __future__ import annotations

import functools
import secrets

from django import template
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from dashboard.ui import humanize, nav
from dashboard.ui.actions import ActionLinks
from dashboard.ui.humanize import printing_rows
from dashboard.ui.jinja import macros, render
from dashboard.ui.jinja import words as code_words
from dashboard.ui.lists import cell_macros

register = template.Library()


def _kit():
    return macros("ui/kit.html")


def _lists():
    return macros("ui/list.html")


@register.simple_tag
def status_badge(status="", words="", tone="", task="") -> SafeString:
    """A status as a coloured badge, with the running task beside it when there is one."""
    return SafeString(_kit().status_badge(status, words, tone, task))


@register.simple_tag(takes_context=True)
def action_buttons(context, obj, action_url: str, form_ns: str, buttons_id: str = "", **given) -> SafeString:
    """An object's actions as a row of buttons (detail pages): a link to the action's form page
    (URL name `form_ns:<action>`), or a button posting to `action_url`."""
    actions, back, busy = (given[k] if k in given else context.get(k) for k in ("actions", "back", "busy"))
    links = ActionLinks(action_url, form_ns)
    return SafeString(
        _kit().action_buttons(obj, list(actions or ()), links, back or "", busy or "", buttons_id or "object-actions")
    )


@register.filter
def when(value) -> str:
    """`{{ server.created_at|when }}`: a date with its time, the language's one format."""
    return humanize.when(value)


@register.filter
def day(value) -> str:
    """`{{ key.expires_at|day }}`: a date, the language's one format."""
    return humanize.day(value)


@register.filter
def size(value, unit: str = "B") -> str:
    """`{{ obj.bytes|size }}`, `{{ vol.size|size:"GiB" }}`: how big, in binary units."""
    return humanize.size(value, unit=unit)


@register.filter
def figure(value, unit: str = "") -> str:
    """`{{ line.used|figure:line.unit }}`: a size when `unit` names one ("MiB", "GiB"), else a count."""
    return humanize.size(value, unit=unit) if unit else str(value)


@register.filter
def words(code, labels_name: str) -> str:
    """`{{ image.visibility|words:"IMAGE_VISIBILITY" }}`: a cloud code in words (dashboard.cloud.labels)."""
    return code_words(code, labels_name)


@register.simple_tag
def age(value) -> SafeString:
    """How long ago, the exact time as its title."""
    return SafeString(_kit().age(value))


@register.simple_tag(takes_context=True)
def filter_form(context, form_id: str = "") -> SafeString:
    """The list's filters, page size and Filter/Clear buttons. Needs `list`."""
    return SafeString(_lists().filter_form(context["list"], form_id or "filter-form"))


@register.simple_tag(takes_context=True)
def sort_headers(context) -> SafeString:
    """The list's column headers (inside `<thead><tr>`). Needs `list`."""
    return SafeString(_lists().sort_headers(context["list"]))


@register.simple_tag(takes_context=True)
def list_table(context, create_url: str = "", create_label: str = "", empty_text: str = "") -> SafeString:
    """The list's table: headers, rows (or the empty row, with a link to create one). Needs `list`."""
    view = context["list"]
    with printing_rows():
        return SafeString(_lists().table(view, cell_macros(view.table), create_url, create_label, empty_text))


@register.simple_tag(takes_context=True)
def pager(context) -> SafeString:
    """First / previous / next page links (nothing on a single page). Needs `list`."""
    return SafeString(_lists().pager(context["list"]))


# stand-ins for what differs from one request to the next in a kept top bar (random per process)
_MARK = secrets.token_hex(8)
CSRF_MARK, HERE_MARK = f"zenith{_MARK}csrf", f"zenith{_MARK}here"


@register.simple_tag(takes_context=True)
def topbar(context) -> SafeString:
    """The frame's top bar: the user's projects, regions, language, API keys, log out. The same for
    every page of one user in one project, language and script prefix: printed once per such set
    and kept (docs/caches.md), the page's CSRF token and path put into the kept copy. The template
    gets only the values the copy is kept under, so nothing else can end up in it."""
    user = context.get("zenith_user")
    if not user:
        return SafeString("")
    csrf = str(context.get("csrf_token") or "")
    request = context.get("request")
    here = request.get_full_path() if request is not None else ""
    values = (
        get_language(),
        get_script_prefix(),
        user.username,
        user.project_id,
        user.project_name,
        user.has_project,
        tuple((p.get("id"), p.get("name")) for p in user.projects),
        user.region,
        tuple(user.regions),
        bool(context.get("show_region_picker")),
    )
    if not csrf or csrf == "NOTPROVIDED":  # no token to put in: printed as it is, not kept
        return topbar_html(values, csrf, here)
    kept = _topbar(values)
    return SafeString(kept.replace(CSRF_MARK, escape(csrf)).replace(HERE_MARK, escape(here)))


@functools.lru_cache(maxsize=512)
def _topbar(values: tuple) -> SafeString:
    return topbar_html(values, CSRF_MARK, HERE_MARK)


def topbar_html(values: tuple, csrf: str, here: str) -> SafeString:
    """ui/topbar.html for the values a top bar is kept under (see topbar), with `csrf` and `here`."""
    _language, _prefix, username, project_id, project_name, has_project, projects, region, regions, picker = values
    user = {
        "username": username,
        "project_id": project_id,
        "project_name": project_name,
        "has_project": has_project,
        "projects": [{"id": pid, "name": name} for pid, name in projects],
        "region": region,
        "regions": list(regions),
    }
    context = {"zenith_user": user, "show_region_picker": picker, "csrf_token": csrf, "here_path": here}
    return render("ui/topbar.html", context)


@register.simple_tag(takes_context=True)
def sidebar(context) -> SafeString:
    """The sidebar: the navigation's groups the user may see (`nav_groups`), the page's entry
    (`active_nav`) marked and its group open, the groups the user folded (`nav_folded`) folded."""
    shown = context.get("nav_groups")
    if not shown:
        return SafeString("")
    active = context.get("active_nav", "")
    admin = any(g.group.admin for g in shown)
    folded = frozenset(context.get("nav_folded") or ()) - {g.group.key for g in shown if active in g.urls}
    return _sidebar(get_language(), get_script_prefix(), admin, active, folded)


# the same for every page of a group: kept per language, script prefix, kind of user, entry and
# folded groups (docs/caches.md); it holds no user's data
@functools.lru_cache(maxsize=512)
def _sidebar(language: str, prefix: str, admin: bool, active: str, folded: frozenset[str]) -> SafeString:
    return render("ui/sidebar.html", {"groups": nav.groups(admin), "active": active, "folded": folded})


@register.simple_tag(takes_context=True)
def language_form(context, where: str, button_class: str = "") -> SafeString:
    """The language chooser; `where` tells one on the page from another (the select's id)."""
    request = context.get("request")
    values = {"where": where, "button_class": button_class, "csrf_token": context.get("csrf_token")}
    return render("ui/language_form.html", {**values, "here_path": request.get_full_path() if request else ""})


@register.simple_tag
def call_macro(template_name: str, macro: str, *args, **kwargs) -> SafeString:
    """A macro of a Jinja2 template, from a Django template: `{% call_macro "live/console.html"
    "button" server.id %}` prints what `console.button(server.id)` does in a Jinja2 one."""
    return SafeString(getattr(macros(template_name), macro)(*args, **kwargs))
