"""Identity administration, groups: the list, create, edit, delete, and a group's page with its
members (add, remove).

Admin role only. Each page makes a fixed set of Keystone calls, concurrently.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from dashboard.accounts.decorators import admin_required
from dashboard.cloud import connection
from dashboard.cloud import identity as ks
from dashboard.ui.forms import posted
from dashboard.ui.rows import list_page

from .common import back, back_to_list, fetch, identity_form
from .forms import GroupForm, GroupMemberForm
from .lists import GROUPS


@admin_required
def group_list(request):
    """A page of the groups: one Keystone call."""
    conn = connection(request)
    return list_page(request, GROUPS, lambda params: ks.list_groups_page(conn, params))


@admin_required
def group_create(request):
    conn = connection(request)

    def perform(d):
        group = ks.create_group(conn, d["name"], d["description"])
        return _("Group %(name)s created.") % {"name": group.name}, group

    return identity_form(
        request,
        GroupForm(posted(request)),
        perform,
        title=_("Create group"),
        section="groups",
        success_url=lambda group: reverse("identity:group_detail", args=[group.id]),
    )


@admin_required
def group_detail(request, group_id: str):
    """The group, its members and the users to add: 3 Keystone calls at once."""
    data = fetch(
        request,
        group=lambda c: ks.get_group(c, group_id),
        members=lambda c: ks.list_group_members(c, group_id),
        users=ks.list_users,
    )
    member_ids = {u.id for u in data["members"]}
    form = GroupMemberForm(users=[u for u in data["users"] if u.id not in member_ids])
    return render(request, "identity/group_detail.html", {**data, "form": form})


@admin_required
def group_edit(request, group_id: str):
    conn = connection(request)
    group = ks.get_group(conn, group_id)

    def perform(d):
        ks.update_group(conn, group_id, name=d["name"], description=d["description"])
        return _("Group %(name)s saved.") % {"name": d["name"]}

    return identity_form(
        request,
        GroupForm(posted(request), initial={"name": group.name, "description": group.description}, editing=True),
        perform,
        title=_("Edit group %(name)s") % {"name": group.name},
        section="groups",
        success_url=reverse("identity:group_detail", args=[group_id]),
    )


@admin_required
@require_POST
def group_delete(request, group_id: str):
    name = request.POST.get("name") or group_id
    ks.delete_group(connection(request), group_id)
    messages.success(request, _("Group %(name)s deleted.") % {"name": name})
    return back_to_list(request, "group_list")


@admin_required
@require_POST
def group_member_add(request, group_id: str):
    user_id = request.POST.get("user", "")
    if not user_id:
        messages.error(request, _("Choose a user to add."))
        return back("group_detail", group_id)
    ks.add_group_member(connection(request), group_id, user_id)
    messages.success(request, _("User added to the group."))
    return back("group_detail", group_id)


@admin_required
@require_POST
def group_member_remove(request, group_id: str):
    user_id = request.POST.get("user", "")
    ks.remove_group_member(connection(request), group_id, user_id)
    messages.success(
        request, _("%(name)s removed from the group.") % {"name": request.POST.get("name") or _("The user")}
    )
    return back("group_detail", group_id)
