"""Security groups: the list (one Neutron page, rules included), a group's rules, the forms."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import CloudError, concurrently, connection, secgroups
from dashboard.cloud.actions import Action
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import conflict_on, form_page, posted
from dashboard.ui.rows import list_page

from . import forms
from .common import not_found, owned_or_none, project_id, quota_items, refuse_over_quota
from .lists import SECURITY_GROUPS

DELETE_RULE = Action(
    "delete_rule",
    gettext_lazy("Delete rule"),
    "trash",
    danger=True,
    done=gettext_lazy("The rule was deleted from the security group “%(subject)s”."),
)


def _list_url() -> str:
    return reverse("security_groups:list")


def _detail_url(group_id: str) -> str:
    return reverse("security_groups:detail", args=[group_id])


def _gone(request):
    return not_found(request, "security_group", _list_url(), _("Back to security groups"))


@require_GET
def group_list(request):
    """One Neutron page of groups, their rules included."""
    conn = connection(request)
    fetch = lambda params: secgroups.list_groups(conn, project_id(request), params)  # noqa: E731
    return list_page(request, SECURITY_GROUPS, fetch)


def _group_or_none(request, conn, group_id: str):
    return owned_or_none(request, lambda: secgroups.get_group(conn, group_id, project_id(request)))


@require_GET
def group_detail(request, group_id: str):
    group = _group_or_none(request, connection(request), group_id)
    if group is None:
        return _gone(request)
    return render(
        request,
        "network/secgroup_detail.html",
        {"group": group, "actions": list(secgroups.ACTIONS.values()), "back": request.get_full_path()},
    )


def _crumbs(group=None):
    crumbs = [(_("Security groups"), _list_url())]
    if group is not None:
        crumbs.append((group.label, _detail_url(group.id)))
    return crumbs


@require_http_methods(["GET", "POST"])
def group_create(request):
    conn = connection(request)
    pid = project_id(request)
    found = concurrently(
        {"quotas": lambda: quota_items(conn, pid, ("security_group", "security_group_rule"))}, optional=("quotas",)
    )
    form = forms.GroupForm(posted(request), submit_label=_("Create security group"))

    def perform(cd):
        refuse_over_quota(conn, pid, {"security_group": 1})
        group_id = secgroups.create_group(conn, cd["name"], cd["description"])
        return _("Security group “%(name)s” created.") % {"name": cd["name"]}, group_id

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url,
        field_for=conflict_on("name"),
        context={
            "title": _("Create security group"),
            "icon": "shield-lock",
            "crumbs": _crumbs(),
            "cancel_url": _list_url(),
            "aside": "network/_quota_aside.html",
            "quotas": found["quotas"] if isinstance(found["quotas"], list) else [],
        },
    )


@require_http_methods(["GET", "POST"])
def group_edit(request, group_id: str):
    conn = connection(request)
    group = _group_or_none(request, conn, group_id)
    if group is None:
        return _gone(request)
    form = forms.GroupForm(posted(request), initial={"name": group.name, "description": group.description})

    def perform(cd):
        secgroups.update_group(conn, group.id, cd["name"], cd["description"])
        return _("Security group saved.")

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(group.id),
        context={
            "title": _("Edit security group"),
            "icon": "pencil",
            "crumbs": _crumbs(group),
            "cancel_url": _detail_url(group.id),
        },
    )


@require_http_methods(["GET", "POST"])
def group_add_rule(request, group_id: str):
    conn = connection(request)
    pid = project_id(request)
    group = _group_or_none(request, conn, group_id)
    if group is None:
        return _gone(request)
    found = concurrently(
        {
            "names": lambda: secgroups.list_group_names(conn, pid),
            "quotas": lambda: quota_items(conn, pid, ("security_group_rule",)),
        },
        optional=("quotas",),
    )
    form = forms.RuleForm(posted(request), groups=found["names"])

    def perform(cd):
        wanted = len(secgroups.rule_bodies(group.id, cd))
        refuse_over_quota(conn, pid, {"security_group_rule": wanted})
        added = secgroups.add_rules(conn, group.id, cd)
        return ngettext("%(n)s rule added.", "%(n)s rules added.", added) % {"n": added}

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(group.id),
        context={
            "title": _("Add rule: %(name)s") % {"name": group.label},
            "icon": "plus-lg",
            "crumbs": _crumbs(group),
            "cancel_url": _detail_url(group.id),
            "aside": "network/_quota_aside.html",
            "quotas": found["quotas"] if isinstance(found["quotas"], list) else [],
        },
    )


@require_POST
def group_action(request, group_id: str, action: str):
    conn = connection(request)
    group = _group_or_none(request, conn, group_id)
    if group is None:
        return _gone(request)
    back = next_url(request, _detail_url(group_id))
    if action == "delete_rule":
        spec = DELETE_RULE
        rule_id = request.POST.get("target", "")

        def perform():
            if rule_id not in {r.id for r in group.rules}:
                raise CloudError("not_found", _("That rule is not in this security group."))
            secgroups.delete_rule(conn, rule_id)

    elif action == "delete":
        spec = secgroups.ACTIONS["delete"]
        if back.startswith(_detail_url(group_id)):
            back = _list_url()

        def perform():
            secgroups.delete_group(conn, group.id)

    else:
        raise Http404
    return run_action(
        request, spec, perform, subject=group.label, back=back, failed_back=next_url(request, _detail_url(group_id))
    )
