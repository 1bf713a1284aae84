"""Images: the list (one Glance page at a time), one image's detail, create (a file streamed
through dashboard.uploads, or a URL Glance downloads), edit, share, and the actions on it.

Which actions an image allows come from `dashboard.cloud.images` (ACTIONS, allowed_actions);
lists, forms and action POSTs use the panel kit in `dashboard.ui` (see docs/adding-a-panel.md).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import CloudError, concurrently, connection, identity, image_uploads, images, volumes
from dashboard.ui.actions import next_url, run_action
from dashboard.ui.forms import conflict_on, form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row
from dashboard.uploads import progress

from . import forms
from .lists import IMAGES
from .uploads import uploads_panel as uploads_of


def _list_url() -> str:
    return reverse("images:list")


def _detail_url(image_id: str) -> str:
    return reverse("images:detail", args=[image_id])


def _not_found(request, image_id: str = ""):
    return render(request, "images/not_found.html", {"image_id": image_id}, status=404)


def _owner_names(request, conn) -> dict[str, str]:
    """Project names: the user's own projects, plus every project for admins (one Keystone call)."""
    names = {p["id"]: p["name"] for p in request.keystone.projects}
    if request.keystone.is_admin:
        try:
            names.update({p.id: p.name for p in identity.list_projects(conn)})
        except CloudError:
            pass  # ids are shown instead
    return names


# --- the list -----------------------------------------------------------------------------------


@require_GET
def image_list(request):
    """One Glance call for the page (plus one Keystone call for owner names, for admins); the
    uploads panel loads after it, on its own (`uploads_panel`)."""
    conn = connection(request)
    project_id = request.keystone.project_id
    owners = _owner_names(request, conn)
    return list_page(
        request,
        IMAGES,
        lambda params: images.list_images(conn, params, project_id),
        row_extra=lambda image: {"owner_name": owners.get(image.owner_id, "")},
    )


@require_GET
def image_row(request, image_id: str):
    """One row of the list (for live updates): the <tr> only, or an empty 404 when it is gone."""
    names = {p["id"]: p["name"] for p in request.keystone.projects}
    image = _image_or_none(connection(request), image_id)
    return live_row(request, IMAGES, image, extra=lambda image: {"owner_name": names.get(image.owner_id, "")})


@require_GET
def uploads_panel(request):
    """The project's uploads (progress bars), loaded after the list's page, then again while one
    runs and when an image changes (htmx): one Glance call for their images, none when there is
    no upload."""
    return render(request, "images/_uploads.html", {"uploads": uploads_of(connection(request), request.keystone)})


@require_POST
def uploads_dismiss(request, upload_id: str = ""):
    """Take one ended upload (its ×), or every ended one, off this user's panel; running ones stay.
    Answers the panel again (htmx), or goes back to the list."""
    panel = uploads_of(connection(request), request.keystone)
    ended = [row.upload.id for row in panel.rows if not row.running and upload_id in ("", row.upload.id)]
    progress.dismiss(request.keystone.user_id, ended)
    if request.headers.get("HX-Request"):
        return render(request, "images/_uploads.html", {"uploads": panel.without(ended)})
    return HttpResponseRedirect(_list_url())


# --- one image ----------------------------------------------------------------------------------


@require_GET
def image_detail(request, image_id: str):
    """Three calls at once: the image, its members (or this project's share), the instances booted from it."""
    conn = connection(request)
    user = request.keystone
    image = _image_or_none(conn, image_id)
    if image is None:
        return _not_found(request, image_id)
    mine = image.owner_id == user.project_id
    calls = {"servers": lambda: images.list_instances_from_image(conn, image.id)}
    if image.visibility == "shared" and (mine or user.is_admin):
        calls["members"] = lambda: images.list_image_members(conn, image.id)
    elif image.visibility == "shared":
        calls["membership"] = lambda: images.get_image_membership(conn, image.id, user.project_id)
    found = concurrently(calls, optional=tuple(calls))
    membership = found.get("membership")
    membership = membership if isinstance(membership, str) else ""
    members = found.get("members")
    names = _owner_names(request, conn) if members and not isinstance(members, CloudError) else {}
    for m in members if isinstance(members, list) else []:
        m.name = names.get(m.member_id, "")
    image.owner_name = {p["id"]: p["name"] for p in user.projects}.get(image.owner_id, "")
    context = {
        "image": image,
        "mine": mine,
        "actions": images.offered(image, user.project_id, user.is_admin, membership),
        "membership": membership,
        "members": members,
        "servers": found["servers"],
        "back": _detail_url(image.id),
        "launch_url": reverse("instances:launch") + f"?image={image.id}",
    }
    return render(request, "images/detail.html", context)


# --- create -------------------------------------------------------------------------------------


def _crumbs(*more):
    return [(_("Images"), _list_url()), *more]


@require_http_methods(["GET", "POST"])
def create(request):
    """GET: the form with a file field. POST (from the page's script, without the file): create
    the image record, register the upload, answer its PUT address as JSON; a form error comes
    back as the re-rendered form (400) for the script to show."""
    form = forms.UploadImageForm(posted(request), is_admin=request.keystone.is_admin)
    context = {"form": form, "title": _("Create an image"), "crumbs": _crumbs(), "cancel_url": _list_url()}
    if request.method == "GET":
        return render(request, "images/create.html", context)
    if not form.is_valid():
        return _form_refused(request, context)
    conn = connection(request)
    try:
        image = images.create_image(conn, form.cleaned_data)
    except CloudError as err:
        form.add_error("name" if err.kind == "conflict" else None, err.message)
        return _form_refused(request, context)
    user = request.keystone
    upload = progress.begin(
        "images", user.project_id, user.user_id, image.id, image.name, form.cleaned_data.get("size") or 0
    )
    return JsonResponse(
        {
            "image_id": image.id,
            "upload_url": upload.url,
            "cancel_url": reverse("images:upload_cancel", args=[upload.id]),
            "detail_url": _detail_url(image.id),
        },
        status=201,
    )


def _form_refused(request, context):
    html = render_to_string("images/_create_form.html", context, request=request)
    return HttpResponse(html, status=400)


@require_POST
def upload_cancel(request, upload_id: str):
    """Stop an upload of this project's, started by this user (or any, for a cloud administrator);
    one that never started has its image removed here."""
    upload = progress.get(upload_id)
    if upload is None or upload.kind != "images" or upload.project_id != request.keystone.project_id:
        raise Http404
    if not progress.may_cancel(upload, request.keystone):
        message = str(progress.NOT_YOURS)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"error": "forbidden", "message": message}, status=403)
        return render(request, "ui/403.html", {"message": message}, status=403)
    # atomic: a ready upload ends here and no PUT can claim it any more, so its image is removed
    # without racing one; a sending one stops at its next block and its PUT removes the image
    before = progress.cancel(upload.id, message=_("Upload cancelled; the unfinished image was removed."))
    if before == "ready":
        image_uploads.abandon_upload(connection(request), upload)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"state": progress.state_of(upload.id)})
    return HttpResponseRedirect(next_url(request, _list_url()))


@require_http_methods(["GET", "POST"])
def create_from_url(request):
    conn = connection(request)
    try:
        enabled = "web-download" in images.list_import_methods(conn)
    except CloudError:
        enabled = False
    form = forms.UrlImageForm(posted(request), is_admin=request.keystone.is_admin)

    def perform(cd):
        if not enabled:
            raise CloudError("bad_request", _("This cloud's Image service does not enable web-download imports."))
        image = images.create_image(conn, cd)
        try:
            images.import_image_from_url(conn, image.id, cd["url"])
        except CloudError:
            images.delete_image(conn, image.id)
            raise
        return _("Glance is downloading “%(name)s”; it becomes active when done.") % {"name": cd["name"]}, image.id

    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url,
        field_for=conflict_on("name"),
        context={
            "title": _("Create an image from a URL"),
            "icon": "link-45deg",
            "crumbs": _crumbs(),
            "cancel_url": _list_url(),
            "warning": ""
            if enabled
            else _("Not enabled: this cloud's Image service does not offer web-download imports."),
        },
    )


# --- edit, share, actions -----------------------------------------------------------------------


def _image_form_page(request, image, form, perform, title: str, icon: str, field_for=None, **context):
    """A form about one image: `title` names it (%(name)s); back to the image's page when done."""
    name = image.name or image.id
    return form_page(
        request,
        form,
        perform,
        success_url=_detail_url(image.id),
        field_for=field_for,
        context={
            "title": title % {"name": name},
            "icon": icon,
            "crumbs": _crumbs((name, _detail_url(image.id))),
            "cancel_url": _detail_url(image.id),
            **context,
        },
    )


def _image_or_none(conn, image_id: str):
    return found_or_none(lambda: images.get_image_with_properties(conn, image_id))


@require_http_methods(["GET", "POST"])
def edit(request, image_id: str):
    conn = connection(request)
    image = _image_or_none(conn, image_id)
    if image is None:
        return _not_found(request, image_id)
    initial = {
        "name": image.name,
        "visibility": image.visibility,
        "protected": image.is_protected,
        "min_disk": image.min_disk,
        "min_ram": image.min_ram,
        "properties": forms.properties_text(image.properties),
    }
    form = forms.EditImageForm(posted(request), initial=initial, is_admin=request.keystone.is_admin)

    def perform(cd):
        images.update_image(conn, image.id, images.image_patch(image, cd))
        return _("Image “%(name)s” saved.") % {"name": cd["name"]}

    return _image_form_page(request, image, form, perform, _("Edit: %(name)s"), "pencil")


@require_http_methods(["GET", "POST"])
def share(request, image_id: str):
    conn = connection(request)
    image = _image_or_none(conn, image_id)
    if image is None:
        return _not_found(request, image_id)
    others = [p for p in request.keystone.projects if p["id"] != image.owner_id]
    form = forms.ShareForm(posted(request), projects=others)

    def perform(cd):
        if image.visibility != "shared":
            images.update_image(conn, image.id, [{"op": "replace", "path": "/visibility", "value": "shared"}])
        images.add_image_member(conn, image.id, cd["project"])
        return _("Image shared; the project sees it once it accepts the share.")

    return _image_form_page(
        request,
        image,
        form,
        perform,
        _("Share: %(name)s"),
        "share",
        field_for=lambda err: "project" if err.kind in ("conflict", "not_found", "bad_request") else None,
        warning=""
        if image.visibility == "shared"
        else _("The image is %(v)s: sharing makes it “shared”.") % {"v": image.visibility},
    )


@require_POST
def image_action(request, image_id: str, action: str):
    """The actions without a form: accept, reject, deactivate, reactivate, delete, remove a member."""
    conn = connection(request)
    project_id = request.keystone.project_id
    if action == "unshare":
        spec = images.Action(
            "unshare",
            _("Stop sharing"),
            "x",
            done=_("The image is no longer shared with the project “%(subject)s”."),
        )
        member = request.POST.get("member_id", "")[:64]
        perform = lambda: images.remove_image_member(conn, image_id, member)  # noqa: E731
    else:
        spec = images.ACTIONS.get(action)
        if spec is None or spec.form:
            raise Http404
        perform = {
            "accept": lambda: images.answer_image_share(conn, image_id, project_id, True),
            "reject": lambda: images.answer_image_share(conn, image_id, project_id, False),
            "deactivate": lambda: images.set_image_active(conn, image_id, False),
            "reactivate": lambda: images.set_image_active(conn, image_id, True),
            "delete": lambda: images.delete_image(conn, image_id),
        }[action]
    back = next_url(request, _detail_url(image_id))
    if action == "delete" and back.startswith(_detail_url(image_id)):
        back = _list_url()
    return run_action(
        request,
        spec,
        perform,
        subject=request.POST.get("name", "")[:255] or image_id,
        back=back,
        failed_back=next_url(request, _detail_url(image_id)),
        gone=None if action == "unshare" else (lambda: _not_found(request, image_id)),
    )


@require_http_methods(["GET", "POST"])
def create_volume(request, image_id: str):
    """A volume made from the image; its size defaults to the image's minimum disk (or its size)."""
    conn = connection(request)
    image = _image_or_none(conn, image_id)
    if image is None:
        return _not_found(request, image_id)
    smallest = max(1, image.min_disk, -(-(image.size or 0) // 2**30))
    form = forms.VolumeFromImageForm(
        posted(request), smallest=smallest, initial={"name": f"{image.name or image.id}-volume", "size": smallest}
    )

    def perform(cd):
        volumes.create_volume(conn, volumes.NewVolume(name=cd["name"], size=cd["size"], image_id=image.id))
        return _("Volume “%(name)s” is being created from the image.") % {"name": cd["name"]}

    return _image_form_page(request, image, form, perform, _("Create a volume: %(name)s"), "hdd")
