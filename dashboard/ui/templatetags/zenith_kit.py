"""The panel kit's row pieces as template tags: a row's actions menu (or a detail page's action
buttons) and a status badge.

They print the same markup the kit's templates did (`ui/_actions_menu.html`, `ui/_status_badge.html`),
built with format_html (every value escaped) instead of an included template: a list renders one of
each per row, and Django's include, `for` and `url` tags cost some 0.3 ms a row that this does not.

    {% load zenith_kit %}
    {% actions_menu obj=server action_url="instances:action" form_ns="instances" busy=server.task_words %}
    {% action_buttons obj=vol action_url="volumes:action" form_ns="volumes" buttons_id="volume-actions" %}
    {% status_badge status=vol.status words=vol.status_words tone=vol.status_tone %}
    {% age vol.created_at %}
    {% object_url "volumes:detail" vol.id %}

`age` prints a time as lists show it: how long ago, with the exact time as the title.

`actions_menu` reads `actions` (the offered Action list) and `back` (where to return) from the
context unless given; `busy` (why no action is offered) likewise.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
from collections.abc import Callable
from datetime import datetime, tzinfo
from urllib.parse import quote

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat, timesince_filter
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.timesince import TIME_STRINGS, timesince
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext

from dashboard.ui import nav

register = template.Library()


def _attr(obj, name: str):
    """obj.<name>, "" when missing or None (as a template variable reads it)."""
    value = getattr(obj, name, None)
    return "" if value is None else value


# a URL name's path around the object id, by (script prefix, URL name, arguments after the id): a
# list reverses each action's URL once, not once per row (16 actions on 20 instance rows: 320)
_AROUND_ID: dict[tuple, tuple[str, str]] = {}
# ids that stand in a path as they are and cannot be mistaken for a part of it (UUIDs, ...)
_PLAIN_ID = re.compile(r"^[A-Za-z0-9-]{16,}$")


def _path(url_name: str, obj_id, *rest) -> str:
    obj_id = str(obj_id)
    if not _PLAIN_ID.match(obj_id):
        return reverse(url_name, args=[obj_id, *rest])
    key = (get_script_prefix(), url_name, *rest)
    around = _AROUND_ID.get(key)
    if around is None:
        path = reverse(url_name, args=[obj_id, *rest])
        if path.count(obj_id) != 1:
            return path
        before, _, after = path.partition(obj_id)
        around = _AROUND_ID[key] = (before, after)
    return around[0] + obj_id + around[1]


@register.simple_tag
def object_url(url_name: str, obj_id) -> str:
    """`{% url url_name obj_id %}` for a row's link to its object: the path around the id reversed
    once per list (_path), not once a row."""
    return _path(url_name, obj_id)


# an action's escaped name, icon, label and question by (language, the action): its lazy words
# resolved once per language, not once per row (a list of 20 rows with 4 actions each: 160)
_WORDS: dict[tuple[str, int], tuple[object, tuple[str, str, str, str]]] = {}


def _words_of(action) -> tuple[str, str, str, str]:
    key = (get_language(), id(action))
    kept = _WORDS.get(key)
    if kept is not None and kept[0] is action:  # the action itself is kept: its id is not reused
        return kept[1]
    words = (esc(action.name), esc(action.icon), esc(action.label), esc(action.confirm) if action.confirm else "")
    if len(_WORDS) >= 4096:  # actions made on the fly (never in the kit's catalogues) cannot grow it forever
        _WORDS.clear()
    _WORDS[key] = (action, words)
    return words


def _action(action, obj, action_url: str, form_ns: str, query: str, css: str, more: str = "") -> str:
    """One action of an object: a link to its form page (URL name `form_ns:action`, its label followed
    by `more`), or a button submitting the page's form#object-action to the action's URL. Every value
    escaped (esc); f-strings rather than format_html: a list prints some sixty of these."""
    name, icon, label, confirm = _words_of(action)
    if action.form:
        path = esc(_path(f"{form_ns}:{action.name}", _attr(obj, "id")))
        return f'<a class="{css}" href="{path}" data-action="{name}"><i class="bi bi-{icon}"></i> {label}{more}</a>'
    path = esc(_path(action_url, _attr(obj, "id"), action.name))
    confirm = f' data-confirm="{confirm}"' if confirm else ""
    return (
        f'<button type="submit" form="object-action" formaction="{path}{esc(query)}" name="name"'
        f' value="{esc(_attr(obj, "name"))}" class="{css}" data-action="{name}"{confirm}>'
        f'<i class="bi bi-{icon}"></i> {label}</button>'
    )


def _offered(context, given: dict) -> tuple[list, str, str]:
    """The actions offered, the query sending back to `back` afterwards, and why none is (`busy`):
    given as arguments, else from the context."""
    actions, back, busy = (given[k] if k in given else context.get(k) for k in ("actions", "back", "busy"))
    return list(actions or ()), "?next=" + quote(str(back or ""), safe="/"), busy  # as the urlencode filter does


@register.simple_tag(takes_context=True)
def actions_menu(context, obj, action_url: str, form_ns: str, **given) -> SafeString:
    """A row's actions as a dropdown. The buttons submit the page's one form#object-action
    (base.html) to their own formaction, back to `back` afterwards; an action with a form page
    links to it (URL name `form_ns:action`)."""
    actions, query, busy = _offered(context, given)
    items = ["<li>" + _action(a, obj, action_url, form_ns, query, _MENU_CSS[a.danger], "…") + "</li>" for a in actions]
    if not items:
        if busy:
            words = gettext("No action possible while %(state)s.") % {"state": str(busy).lower()}
        else:
            words = gettext("No action possible.")
        items = [f'<li><span class="dropdown-item-text text-body-secondary small">{esc(words)}</span></li>']
    return SafeString(
        '<div class="dropdown d-inline-block"><button class="btn btn-sm btn-outline-secondary dropdown-toggle"'
        ' type="button" data-bs-toggle="dropdown" data-bs-popper-config=\'{"strategy":"fixed"}\''
        f' aria-expanded="false" data-testid="actions-menu">{_kit_words(get_language())["actions"]}</button>'
        f'<ul class="dropdown-menu dropdown-menu-end">{"".join(items)}</ul></div>'
    )


_MENU_CSS = {False: "dropdown-item", True: "dropdown-item text-danger"}
_BUTTON_CSS = {False: "btn btn-sm btn-outline-secondary", True: "btn btn-sm btn-outline-danger"}


@register.simple_tag(takes_context=True)
def action_buttons(context, obj, action_url: str, form_ns: str, buttons_id: str = "", **given) -> SafeString:
    """An object's actions as a row of buttons (detail pages): the actions menu's arguments, shown
    flat. `buttons_id` (default object-actions) is the row's id and test id."""
    actions, query, busy = _offered(context, given)
    buttons = [_action(a, obj, action_url, form_ns, query, _BUTTON_CSS[a.danger]) for a in actions]
    if not buttons:
        if busy:
            words = gettext("No action is possible while it is %(state)s.") % {"state": str(busy).lower()}
        else:
            words = gettext("No action is possible.")
        buttons = [f'<span class="text-body-secondary small">{esc(words)}</span>']
    ident = esc(buttons_id or "object-actions")
    return SafeString(
        f'<div class="d-flex flex-wrap gap-1 mb-3" id="{ident}" data-testid="{ident}">\n  '
        + "\n  ".join(buttons)
        + "\n</div>"
    )


@register.simple_tag
def status_badge(status="", words="", tone="", task="") -> SafeString:
    """A status as a coloured badge (tone: success, danger, secondary, warning, info), with the
    running task beside it when there is one."""
    badge = (
        f'<span class="badge status-badge text-bg-{esc(tone or "info")}" data-testid="status"'
        f' title="{esc(status)}">{esc(words)}</span>'
    )
    if not task:
        return SafeString(badge)
    return SafeString(
        f'{badge} <span class="small text-body-secondary ms-1 task-state" data-testid="task">'
        f'<span class="spinner-border spinner-border-sm" aria-hidden="true"></span> {esc(task)}</span>'
    )


# --- times ------------------------------------------------------------------------------------------


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


def since(value, language: str = "", now: datetime | None = None) -> str:
    """`{{ value|timesince }}`: the same words (Django's timesince, its time words kept per language
    and number: a list's rows resolved two lazy plurals each, a third of a row's time). A time less
    than 27 days ago - most of a list's - is worked out here from the seconds (no months or years:
    Django's calendar steps give the same); older ones by Django's timesince. `language`: the active
    one, when the caller has it already; `now`: as timesince's (the time to count up to)."""
    if not isinstance(value, datetime):
        return timesince_filter(value)
    language = language or get_language()
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


_UNITS = (("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40), ("PB", 1 << 50))


@functools.lru_cache(maxsize=16)
def _size_words(language: str) -> dict:
    """filesizeformat's words and the decimal separator of `language` (the active one)."""
    words: dict = {unit: djangos_words("%s " + unit) for unit, _ in _UNITS}
    words["."] = get_format("DECIMAL_SEPARATOR")
    words["bytes"] = {}  # a byte count's words by the count (below 1 KB)
    return words


def size(value, language: str = "") -> str:
    """`{{ value|filesizeformat }}`: the same words (its unit words and the language's decimal
    separator looked up once per language, not once a value; a count in bytes kept by count).
    What Django might group in thousands (1000 of a unit or more) or could not read as a whole
    number of bytes goes to filesizeformat."""
    if type(value) is not int or value < 0 or settings.USE_THOUSAND_SEPARATOR:
        return filesizeformat(value)
    words = _size_words(language or get_language())
    if value < 1024:
        text = words["bytes"].get(value)
        if text is None:
            text = words["bytes"][value] = filesizeformat(value)
        return text
    unit, scale = next(((u, s) for u, s in _UNITS[:-1] if value < s << 10), _UNITS[-1])
    number = round(value / scale, 1)
    if number >= 1000:
        return filesizeformat(value)
    return (words[unit] % f"{number:.1f}".replace(".", words["."])).replace(" ", "\xa0")


@register.filter(name="size")
def size_filter(value) -> str:
    """`{{ value|size }}`: `{{ value|filesizeformat }}` for a list's rows (see `size`)."""
    return size(value)


def age_html(value, language: str = "", zone: tzinfo | None = None) -> SafeString:
    """`<span title="{{ value|date:'c' }}">{{ value|timesince }}</span>`, nothing without a value.
    `language`, `zone`: the active language and time zone, when the caller has them already (a list
    looks them up once, not once a row)."""
    if not value:
        return SafeString("")
    if not isinstance(value, datetime):
        exact = date_filter(value, "c")
    elif zone is not None and settings.USE_TZ and value.utcoffset() is not None:
        exact = value.astimezone(zone).isoformat()  # what template_localtime does with the active zone
    else:
        exact = template_localtime(value).isoformat()
    return SafeString(f'<span title="{esc(exact)}">{esc(since(value, language))}</span>')


def esc(value) -> str:
    """Django's conditional_escape (safe text as it is, the rest escaped) without the lazy-text
    wrapper around its escape: rows printed from Python escape a dozen values each."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def age(value) -> SafeString:
    return age_html(value)


# --- a list's filters, column headers and pager ------------------------------------------------------


def words_per_language(make: Callable[[], dict[str, str]]) -> Callable[[str], dict[str, str]]:
    """A table of fixed words (`make()`: each a gettext call, so makemessages finds them) translated
    and escaped once per language: `words = table(get_language())`, called with the active one."""

    @functools.lru_cache(maxsize=16)
    def table(language: str) -> dict[str, str]:
        return {key: esc(text) for key, text in make().items()}

    return table


@words_per_language
def _kit_words() -> dict[str, str]:
    return {
        "actions": gettext("Actions"),
        "clear": gettext("Clear"),
        "per_page": gettext("Per page"),
        "filter": gettext("Filter"),
        "first": gettext("« First page"),
        "previous": gettext("‹ Previous"),
        "next": gettext("Next ›"),
        "pages": gettext("Pages"),
    }


@register.simple_tag(takes_context=True)
def filter_form(context, form_id: str = "") -> SafeString:
    """The list's filters, page size and Filter/Clear buttons (the sort travels along hidden);
    `form_id`: the form's id (default filter-form). Needs `list` (dashboard.ui.lists.ListView)."""
    view, words = context["list"], _kit_words(get_language())
    clear = esc(view.clear_url)
    fields = []
    for f in view.fields:
        name = esc(f["name"])
        head = (
            f'  <div class="col-auto"><label class="form-label small mb-0" for="f-{name}">{esc(f["label"])}</label>\n'
        )
        if f["choices"] is None:
            control = (
                f'    <input class="form-control form-control-sm" id="f-{name}" type="search" name="{name}"'
                f' value="{esc(f["value"])}" maxlength="{esc(f["max_length"])}">\n'
            )
        else:
            options = "".join(
                f'<option value="{esc(value)}"{" selected" if value == f["value"] else ""}>{esc(label)}</option>'
                for value, label in f["choices"]
            )
            control = (
                f'    <select class="form-select form-select-sm" id="f-{name}" name="{name}">\n'
                f'      <option value="">{esc(f["any"])}</option>\n      {options}\n    </select>\n'
            )
        fields.append(head + control + "  </div>\n")
    limit = view.params.limit
    sizes = "".join(f'<option value="{n}"{" selected" if n == limit else ""}>{n}</option>' for n in view.page_sizes)
    clear_link = f'<a class="btn btn-sm btn-link" href="{clear}">{words["clear"]}</a>' if view.filtered else ""
    return SafeString(
        f'<form class="row g-2 align-items-end mb-3 list-filter" method="get" action="{clear}"'
        f' id="{esc(form_id or context.get("form_id") or "filter-form")}">\n'
        + "".join(fields)
        + '  <div class="col-auto"><label class="form-label small mb-0" for="f-limit">'
        f"{words['per_page']}</label>\n"
        f'    <select class="form-select form-select-sm" id="f-limit" name="limit">\n'
        f"      {sizes}\n    </select></div>\n"
        f'  <input type="hidden" name="sort" value="{esc(view.params.sort)}">'
        f'<input type="hidden" name="dir" value="{esc(view.params.direction)}">\n'
        '  <div class="col-auto"><button class="btn btn-sm btn-outline-primary" type="submit"><i class="bi bi-funnel">'
        f"</i> {words['filter']}</button>\n    {clear_link}</div>\n</form>"
    )


@register.simple_tag(takes_context=True)
def sort_headers(context) -> SafeString:
    """The list's column headers (inside `<thead><tr>`); sortable ones link to the list sorted by
    them, the active one with its direction. Needs `list`."""
    cells = []
    for h in context["list"].headers:
        css = f' class="{esc(h["css"])}"' if h["css"] else ""
        label = esc(h["label"])
        if h["sort"]:
            caret = f' <i class="bi bi-caret-{"up" if h["up"] else "down"}-fill"></i>' if h["active"] else ""
            label = f'<a href="{esc(h["url"])}" data-sort="{esc(h["sort"])}">{label}</a>{caret}'
        cells.append(f"<th{css}>{label}</th>")
    return SafeString("".join(cells))


@register.simple_tag(takes_context=True)
def pager(context) -> SafeString:
    """First / previous / next page links of a marker-paged list (nothing on a single page). Needs
    `list`."""
    view, words = context["list"], _kit_words(get_language())
    first, prev, after = view.first_url, view.prev_url, view.next_url
    if not (first or prev or after):
        return SafeString("")
    links = [
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(first)}" data-testid="first-page">{words["first"]}</a>'
        if first
        else "",
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(prev)}" rel="prev" data-testid="prev-page">'
        f"{words['previous']}</a>"
        if prev
        else "",
        f'<a class="btn btn-sm btn-outline-secondary" href="{esc(after)}" rel="next" data-testid="next-page">'
        f"{words['next']}</a>"
        if after
        else "",
    ]
    return SafeString(f'<nav aria-label="{words["pages"]}" class="d-flex gap-2">\n  ' + "\n  ".join(links) + "\n</nav>")


# --- the frame's top bar -------------------------------------------------------------------------

# stand-ins for what differs from one request to the next in a kept top bar (random per process)
_MARK = secrets.token_hex(8)
CSRF_MARK, HERE_MARK = f"zenith{_MARK}csrf", f"zenith{_MARK}here"


@register.simple_tag(takes_context=True)
def topbar(context) -> SafeString:
    """The frame's top bar (ui/_topbar.html): the same for every page of one user in one project,
    language and script prefix, so rendered once per such set and kept (a third of the frame's time
    otherwise); the request's CSRF token and path go into the kept copy. The template gets only the
    values the copy is kept under, so nothing else can end up in it."""
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
        return SafeString(_topbar_html(values, csrf, here))
    kept = _topbar(values)
    return SafeString(kept.replace(CSRF_MARK, html.escape(csrf)).replace(HERE_MARK, esc(here)))


@functools.lru_cache(maxsize=512)
def _topbar(values: tuple) -> str:
    return _topbar_html(values, CSRF_MARK, HERE_MARK)


def _topbar_html(values: tuple, csrf: str, here: str) -> str:
    _, _, username, project_id, project_name, has_project, projects, region, regions, picker = values
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
    return render_to_string("ui/_topbar.html", context)


# --- the frame's sidebar ---------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def sidebar(context) -> SafeString:
    """The sidebar's navigation (the project's panels, and the admin's to an administrator: the frame's
    `project_nav` and `admin_nav`, dashboard.ui.context), the page's own entry marked: the same for
    every page of a section, so built once per language, kind of user and entry and kept, not
    rendered again for every page."""
    if not context.get("project_nav"):
        return SafeString("")
    admin = bool(context.get("admin_nav"))
    return _sidebar(get_language(), get_script_prefix(), admin, context.get("active_nav", ""))


@functools.lru_cache(maxsize=512)
def _sidebar(language: str, prefix: str, admin: bool, active: str) -> SafeString:
    def section(entries) -> SafeString:
        return format_html_join(
            "\n",
            '<li class="nav-item"><a class="nav-link{}" href="{}"{}><i class="bi bi-{}"></i> {}</a></li>',
            (
                (
                    " active" if url == active else "",
                    url,
                    SafeString(' aria-current="page"') if url == active else "",
                    icon,
                    label,
                )
                for label, url, icon in entries
            ),
        )

    parts = [
        format_html(
            '<div class="text-uppercase small text-body-secondary px-2 mb-1">{}</div>\n'
            '<ul class="nav flex-column mb-3">\n{}\n</ul>',
            gettext("Project"),
            section(nav.entries("project")),
        )
    ]
    if admin:
        parts.append(
            format_html(
                '<div class="text-uppercase small text-body-secondary px-2 mb-1">{}</div>\n'
                '<ul class="nav flex-column" id="admin-nav">\n{}\n</ul>',
                gettext("Admin"),
                section(nav.entries("admin")),
            )
        )
    return SafeString("\n".join(parts))
