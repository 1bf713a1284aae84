"""What the identity pages share: their Keystone calls made at once (a page's optional ones
reported, not fatal), the way back, and the form pages' frame (breadcrumbs, cancel)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboard.cloud import CloudError, concurrently, connection
from dashboard.ui.actions import next_url
from dashboard.ui.forms import conflict_on, form_page


def fetch(request, optional: tuple[str, ...] = (), **calls):
    """A page's Keystone calls at once: name=fn(conn). A call named in `optional` that fails gives
    its CloudError as its result (see missing()); any other failure raises, the page's error."""
    conn = connection(request)
    return concurrently({name: (lambda fn=fn: fn(conn)) for name, fn in calls.items()}, optional=optional)


def missing(data: dict, what: str) -> dict | None:
    """What a page says when one of its optional calls failed: {"what": what, "error": the first
    CloudError} for ui/_part_failed.html ("<what> could not be read: <why>"), else None."""
    error = next((v for v in data.values() if isinstance(v, CloudError)), None)
    return None if error is None else {"what": what, "error": error}


def missing_sentence(notice: dict | None) -> str:
    """The same notice as one sentence (a form page's `warning`), "" when nothing is missing."""
    if notice is None:
        return ""
    return gettext("%(what)s could not be read: %(message)s") % {
        "what": notice["what"],
        "message": notice["error"].message,
    }


def back(name: str, *args) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(f"identity:{name}", args=args))


def back_to_list(request, name: str) -> HttpResponseRedirect:
    """Back to the page of the list (`name`: "project_list"...) a row's button was on (its `next`:
    the filters and the page kept), else to the list."""
    return HttpResponseRedirect(next_url(request, reverse(f"identity:{name}")))


SECTIONS = {"projects": _("Projects"), "users": _("Users"), "groups": _("Groups")}


def identity_form(
    request, form, perform, *, title: str, section: str, success_url, name_taken: bool = True, warning: str = ""
):
    """An identity form page: the kit's form_page with the section's breadcrumbs.

    section is "projects", "users" or "groups"; a name Keystone says is taken lands on the name field;
    `warning` (missing_sentence) says above the form what could not be read.
    """
    list_url = reverse(f"identity:{section[:-1]}_list")
    return form_page(
        request,
        form,
        perform,
        success_url=success_url,
        field_for=conflict_on("name") if name_taken else None,
        context={
            "title": title,
            "crumbs": [(_("Identity"), ""), (SECTIONS[section], list_url)],
            "cancel_url": list_url,
            "warning": warning,
        },
    )
