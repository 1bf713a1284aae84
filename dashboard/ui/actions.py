"""Running actions from a POST: one resource (a row's or a detail page's button) or several (bulk).

The actions themselves are described beside their resource (`dashboard.cloud.instances.ACTIONS`,
...); a panel's view checks the action name against that table, then hands the cloud call to
`run_action` or `run_bulk`, which say what happened in a message and go back where the user was.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.cloud import CloudError, concurrently
from dashboard.cloud.actions import Action

MAX_BULK = 100  # ids one bulk request may name
_ID = re.compile(r"^[0-9A-Za-z._:-]{1,255}$")


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
) -> HttpResponse:
    """Run one action; its success becomes a message on the page at `back`, its refusal on the page
    at `failed_back` (default `back`: they differ when a delete leaves the object's own page).

    `gone` answers when the resource itself no longer exists (not_found), e.g. a "not found" page.
    """
    try:
        perform()
    except CloudError as err:
        if err.kind == "not_found" and gone is not None:
            return gone()
        messages.error(request, _("%(action)s failed: %(error)s") % {"action": action.label, "error": err.message})
        return HttpResponseRedirect(failed_back or back)
    messages.success(
        request, _("%(action)s: requested for “%(subject)s”.") % {"action": action.label, "subject": subject}
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
        messages.warning(request, _("Select one or more %(nouns)s first.") % {"nouns": noun[1]})
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
    if done:
        messages.success(
            request,
            ngettext(
                "%(action)s: requested for %(count)d %(noun)s.", "%(action)s: requested for %(count)d %(noun)s.", done
            )
            % {"action": label, "count": done, "noun": noun[0] if done == 1 else noun[1]},
        )
    for err in failed:
        messages.error(request, _("%(action)s failed: %(error)s") % {"action": label, "error": err.message})
    return HttpResponseRedirect(back)
