"""Running actions from a POST: one resource (a row's or a detail page's button) or several (bulk).

The actions themselves are described beside their resource (`dashboard.cloud.instance_actions.ACTIONS`,
...); a panel's view checks the action name against that table, then hands the cloud call to
`run_action` or `run_bulk`, which say what happened in a message and go back where the user was.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from markupsafe import Markup, escape

from dashboard.cloud import CloudError, concurrently, failures
from dashboard.cloud.actions import Action

from .jinja import macros
from .paths import id_shape, path

MAX_BULK = 100  # ids one bulk request may name
_ID = re.compile(r"^[0-9A-Za-z._:-]{1,255}$")


@dataclass
class ActionLinks:
    """Where an object's actions go: an action with a form to its page (URL name `form_ns:<action>`,
    the object's id), any other is a POST to `action_url` (the object's id and the action's name).

    Made for one rendering (a list's rows, a detail page). Its paths come from dashboard.ui.paths
    (reversed once per shape); `menu()` prints a list row's actions menu. `shared`: a list page's
    rows, whose menus are printed once per set of actions (`templates()`), not in every row.
    """

    action_url: str
    form_ns: str
    shared: bool = False
    _menus: dict = field(default_factory=dict, repr=False)

    def form_url(self, action, obj) -> str:
        return path(f"{self.form_ns}:{action.name}", obj.id)

    def post_url(self, action, obj, back: str = "") -> str:
        return path(self.action_url, obj.id, action.name) + "?next=" + quote(str(back or ""), safe="/")

    def menu(self, row, first=None) -> Markup:
        """A list row's actions menu: kit.html's actions_menu(row.obj, row.actions, self, row.back,
        row.busy, first); `first`, a macro of the object printing entries (<li>s) the menu starts
        with (the instances' Console). The rows of a list offer the same few sets of actions: the
        same menu but for their object's id and name (up to sixteen actions' labels, paths and
        questions). A set's menu is printed once per rendering, with stand-ins for the id and name:
        - `shared` (a list page): the row has the menu's button alone, naming its set; the sets'
          <template>s follow the rows (`templates()`) and zenith.js copies a row's menu in, its id
          and name in place of the stand-ins, when its button is first used;
        - else (a live row, fetched alone): the row's menu is the kept one, its id and name put in.
        An id of another shape than a UUID's or Keystone's has its menu printed whole."""
        obj, busy = row.obj, str(row.busy or "")
        stand_in = _STAND_INS.get(id_shape(str(obj.id)))
        if stand_in is None:
            return self._printed(obj, row.actions, row.back, busy, first)
        actions = tuple(row.actions)
        key = (stand_in, first, *(a.name for a in actions), row.back, busy)  # names: labels are lazy
        kept = self._menus.get(key)
        if kept is None:
            kept = self._menus[key] = _Menu(str(len(self._menus)), stand_in, actions, row.back, busy, first)
        name = getattr(obj, "name", None)
        name = "" if name is None else str(name)
        if self.shared:
            return macros("ui/kit.html").shared_dropdown(kept.number, name)
        if kept.whole is None:
            kept.whole = macros("ui/kit.html").dropdown(self._items(kept))
        return kept.whole.replace(stand_in, str(obj.id)).replace(_NAME, escape(name))

    def templates(self) -> Markup:
        """What the buttons of the rows printed so far (`shared`) name, for the end of the list's
        <tbody>: a <template> per set of actions. Sets of the same start and way back are printed
        as one menu of all their actions, each set's <template> naming the actions it keeps (a page
        of running and stopped instances: 4.4 KB for both instead of 8)."""
        if not self.shared:
            return Markup("")
        kit = macros("ui/kit.html")
        groups: dict[tuple, list[_Menu]] = {}
        for m in self._menus.values():
            if m.actions:
                groups.setdefault((m.stand_in, m.first, m.back), []).append(m)
        printed, joined = [], {}
        for n, ((stand_in, first, back), members) in enumerate(groups.items()):
            order = _merged([[a.name for a in m.actions] for m in members]) if len(members) > 1 else None
            if order is None:
                continue
            by_name = {a.name: a for m in members for a in m.actions}
            whole = _Menu(f"all{n}", stand_in, tuple(by_name[name] for name in order), back, "", first)
            printed.append(kit.menu_template(whole.number, stand_in, _NAME, self._items(whole)))
            joined.update((m.number, whole.number) for m in members)
        for m in self._menus.values():
            if m.number in joined:
                printed.append(kit.menu_subset(m.number, joined[m.number], " ".join(a.name for a in m.actions)))
            else:
                printed.append(kit.menu_template(m.number, m.stand_in, _NAME, self._items(m)))
        return Markup("").join(printed)

    def _items(self, menu: _Menu) -> Markup:
        obj = SimpleNamespace(id=menu.stand_in, name=_NAME)
        return macros("ui/kit.html").menu_items(obj, list(menu.actions), self, menu.back, menu.busy, menu.first)

    def _printed(self, obj, actions, back, busy, first=None) -> Markup:
        return macros("ui/kit.html").actions_menu(obj, list(actions), self, back, busy, first)


@dataclass
class _Menu:
    """One set of actions of a rendering's rows: its number, its id's stand-in, what it prints."""

    number: str
    stand_in: str
    actions: tuple
    back: str
    busy: str
    first: object
    whole: Markup | None = None  # the dropdown, its button and menu (rows that are not `shared`)


def _merged(orders: list[list[str]]) -> list[str] | None:
    """One order of all the names of `orders` that keeps the order of each (None if they disagree)."""
    names = list(dict.fromkeys(name for order in orders for name in order))
    after: dict[str, set[str]] = {name: set() for name in names}
    waiting = dict.fromkeys(names, 0)  # how many names must come before each
    for order in orders:
        for a, b in zip(order, order[1:], strict=False):
            if b not in after[a]:
                after[a].add(b)
                waiting[b] += 1
    ready, merged = [name for name in names if not waiting[name]], []
    while ready:
        name = ready.pop(0)
        merged.append(name)
        for later in names:
            if later in after[name]:
                waiting[later] -= 1
                if not waiting[later]:
                    ready.append(later)
    return merged if len(merged) == len(names) else None


# stand-ins for a row's id and name in a kept menu: random per process, so no object's are alike
_STAND_INS = {"uuid": str(uuid.uuid4()), "hex": secrets.token_hex(16)}
_NAME = f"zenith{secrets.token_hex(8)}name"


def next_url(request, default: str) -> str:
    """Where to go back to: the form's `next` if it stays on this site, else `default`."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return default


def run_action(
    request,
    action: Action,
    perform: Callable[[], object],
    *,
    subject: str,
    back: str,
    failed_back: str = "",
    gone: Callable[[], HttpResponse] | None = None,
    done: str = "",
) -> HttpResponse:
    """Run one action; its success becomes a message on the page at `back`, its refusal on the page
    at `failed_back` (default `back`: they differ when a delete leaves the object's own page).

    `gone` answers when the resource itself no longer exists (not_found), e.g. a "not found" page.
    The success message is the action's own sentence (`Action.done`), or `done` when the view
    runs it on another resource (a volume's "delete" for a transfer).
    """
    try:
        perform()
    except CloudError as err:
        failures.note(err)  # the operation log's (a refusal of Zenith's own passes no cloud call)
        if err.kind == "not_found" and gone is not None:
            return gone()
        messages.error(
            request,
            _("The action “%(action)s” on “%(subject)s” was refused. %(error)s")
            % {"action": action.label, "subject": subject, "error": _shown(err)},
        )
        return HttpResponseRedirect(failed_back or back)
    sentence = done or action.done
    if sentence:
        messages.success(request, sentence % {"subject": subject})
    else:  # an action without its own sentence (a test's): its label quoted, in a whole sentence
        messages.success(
            request, _("“%(action)s” was requested for “%(subject)s”.") % {"action": action.label, "subject": subject}
        )
    return HttpResponseRedirect(back)


def run_bulk(
    request,
    actions: dict[str, Action],
    allowed: tuple[str, ...],
    perform: Callable[[str, str], object],
    *,
    noun: tuple[str, str],
    back: str,
) -> HttpResponse:
    """Run `perform(id, action)` on every selected id at once; one message per outcome.

    `noun` is the resource's (singular, plural) for the messages, e.g. ("instance", "instances").
    """
    action = request.POST.get("action", "")
    ids = list(dict.fromkeys(i for i in request.POST.getlist("ids") if _ID.match(i)))
    if action not in allowed:
        names = ", ".join(actions[a].label.lower() for a in allowed)
        messages.error(request, _("Choose one of: %(actions)s.") % {"actions": names})
        return HttpResponseRedirect(back)
    if not ids:
        messages.warning(request, _("Select one or more rows first."))
        return HttpResponseRedirect(back)
    if len(ids) > MAX_BULK:
        messages.error(
            request, _("Select at most %(count)d %(nouns)s at a time.") % {"count": MAX_BULK, "nouns": noun[1]}
        )
        return HttpResponseRedirect(back)
    results = concurrently({i: (lambda i=i: perform(i, action)) for i in ids}, optional=tuple(ids))
    failed = [r for r in results.values() if isinstance(r, CloudError)]
    done = len(ids) - len(failed)
    label = actions[action].label
    if done and actions[action].bulk_done:
        messages.success(request, actions[action].bulk_done % {"count": done})
    elif done:  # a bulk action without its own sentence: its label quoted, in a whole sentence
        messages.success(
            request,
            ngettext(
                "“%(action)s” was requested for %(count)d %(noun)s.",
                "“%(action)s” was requested for %(count)d %(noun)s.",
                done,
            )
            % {"action": label, "count": done, "noun": noun[0] if done == 1 else noun[1]},
        )
    for err in failed:
        messages.error(
            request, _("The action “%(action)s” was refused. %(error)s") % {"action": label, "error": _shown(err)}
        )
    return HttpResponseRedirect(back)


def _shown(err: CloudError) -> str:
    """A refusal as a message shows it: the sentence, then what the service said when the sentence
    does not quote it (two whole sentences)."""
    return f"{err.message} {err.said}" if err.said else err.message
