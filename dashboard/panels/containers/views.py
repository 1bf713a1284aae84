"""Containers: the project's Swift containers, a container's folders and objects, and one object.

What each action may do is in `dashboard.cloud.containers` and `objects` (their ACTIONS,
OBJECT_ACTIONS and the functions saying which a state allows); lists, forms and action POSTs use
the panel kit. Object names may hold any character, so they travel in the query (`?name=`) and
folders in the path (`c/<container>/f/<folder>/`); both are checked as Swift checks them before
any call.
"""

from __future__ import annotations

from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dashboard.cloud import CloudError, concurrently, connection, containers, object_names, objects
from dashboard.live.tasks import announce
from dashboard.ui.actions import MAX_BULK, next_url, run_action
from dashboard.ui.forms import form_page, posted
from dashboard.ui.rows import found_or_none, list_page, live_row
from dashboard.ui.streaming import streaming_response
from dashboard.uploads import progress

from . import forms
from .lists import CONTAINERS, OBJECTS


def _list_url() -> str:
    return reverse("containers:list")


def _objects_url(container: str, folder: str = "") -> str:
    if folder:
        return reverse("containers:objects", args=[container, folder])
    return reverse("containers:objects", args=[container])


def _object_url(container: str, name: str, view: str = "containers:object") -> str:
    return reverse(view, args=[container]) + "?" + urlencode({"name": name})


def _checked_container(container: str) -> str:
    if object_names.container_name_problem(container):
        raise Http404
    return container


def _checked_name(request) -> str:
    name = request.GET.get("name") or request.POST.get("name") or ""
    if object_names.object_name_problem(name):
        raise Http404
    return name


def _not_found(request, container: str, name: str = ""):
    return render(request, "containers/not_found.html", {"container": container, "name": name}, status=404)


# --- containers ----------------------------------------------------------------------------------


def _changed(request, *containers: str) -> None:
    """Rows of these containers re-read now by the project's other open lists (counts, bytes)."""
    announce(request.keystone.project_id, "containers", list(containers))


@require_GET
def container_list(request):
    """One GET: the page and the account's totals."""
    conn = connection(request)
    account = {}

    def fetch(params):
        page, account["totals"] = containers.list_containers_with_account(conn, params)
        return page

    return list_page(request, CONTAINERS, fetch, context=lambda page: {"account": account["totals"]})


@require_GET
def container_row(request, container: str):
    """One row of the list (for live updates): one HEAD; an empty 404 when the container is gone."""
    container = _checked_container(container)
    return live_row(
        request, CONTAINERS, found_or_none(lambda: containers.get_container(connection(request), container))
    )


@require_http_methods(["GET", "POST"])
def container_create(request):
    conn = connection(request)
    try:
        policies = containers.list_storage_policies(conn)
    except CloudError:
        policies = []  # the default policy still works; the field offers only "default"
    form = forms.ContainerCreateForm(posted(request), policies=policies)

    def perform(cd):
        containers.create_container(conn, cd["name"], cd["storage_policy"], cd["public"])
        return _("Container “%(name)s” created.") % {"name": cd["name"]}, cd["name"]

    return form_page(
        request,
        form,
        perform,
        success_url=lambda name: _objects_url(name),
        field_for=lambda err: "name" if err.kind in ("conflict", "bad_request") else None,
        context={
            "title": _("Create container"),
            "icon": "archive",
            "crumbs": [(_("Containers"), _list_url())],
            "cancel_url": _list_url(),
        },
    )


@require_POST
def container_action(request, container: str, action: str):
    """make_private, delete, empty_delete (make_public has its page: container_make_public)."""
    container = _checked_container(container)
    spec = containers.ACTIONS.get(action)
    if spec is None or spec.form:
        raise Http404
    conn = connection(request)
    back = next_url(request, _objects_url(container))
    deleted = []

    def perform():
        if action == "make_private":
            containers.set_container_public(conn, container, False)
        else:
            deleted.append(containers.delete_container(conn, container, empty_first=action == "empty_delete"))

    if action in ("delete", "empty_delete"):
        back = _list_url()
    response = run_action(
        request,
        spec,
        perform,
        subject=container,
        back=back,
        failed_back=next_url(request, _objects_url(container)),
        gone=lambda: _not_found(request, container),
    )
    if deleted and deleted[0]:
        count = deleted[0]
        text = ngettext("%(n)d object was deleted first.", "%(n)d objects were deleted first.", count)
        messages.info(request, text % {"n": count})
    return response


@require_http_methods(["GET", "POST"])
def container_metadata(request, container: str):
    container = _checked_container(container)
    conn = connection(request)
    info = found_or_none(lambda: containers.get_container(conn, container))
    if info is None:
        return _not_found(request, container)
    form = forms.MetadataForm(posted(request), initial={"metadata": forms.metadata_text(info.metadata)})

    def perform(cd):
        containers.set_container_metadata(conn, container, cd["metadata"], removed=info.metadata)
        return _("Metadata saved.")

    return form_page(
        request,
        form,
        perform,
        success_url=_objects_url(container),
        context={
            "title": _("Edit metadata"),
            "icon": "tags",
            "crumbs": [(_("Containers"), _list_url()), (container, _objects_url(container))],
            "cancel_url": _objects_url(container),
        },
    )


@require_http_methods(["GET", "POST"])
def container_make_public(request, container: str):
    """Making a container public: its public URL and what that means, then one button (a click in a
    menu alone would open the container to anyone)."""
    container = _checked_container(container)
    conn = connection(request)
    info = found_or_none(lambda: containers.get_container(conn, container))
    if info is None:
        return _not_found(request, container)
    if info.public and request.method == "GET":
        messages.info(request, _("The container “%(name)s” is already public.") % {"name": container})
        return HttpResponseRedirect(_objects_url(container))
    form = forms.MakePublicForm(posted(request), public_url=info.public_url)

    def perform(cd):
        containers.set_container_public(conn, container, True)
        return _("The container “%(name)s” is public: anyone with its URL can read it.") % {"name": container}

    return form_page(
        request,
        form,
        perform,
        success_url=_objects_url(container),
        context={
            "title": _("Make the container “%(name)s” public") % {"name": container},
            "icon": "globe",
            "warning": _(
                "Anyone who has the address below can list and read every object of the container, without logging in."
            ),
            "crumbs": [(_("Containers"), _list_url()), (container, _objects_url(container))],
            "cancel_url": _objects_url(container),
        },
    )


# --- a container's folders and objects ------------------------------------------------------------


def _checked_folder(folder: str) -> str:
    if folder and (not folder.endswith("/") or object_names.object_name_problem(folder)):
        raise Http404
    return folder


def _entry_links(container: str):
    """A folder's rows' links (row_extra): the object pages' paths reversed once, not once a row."""
    object_page = reverse("containers:object", args=[container]) + "?"
    download = reverse("containers:download", args=[container]) + "?"

    def links(entry) -> dict:
        if entry.folder:
            return {"url": _objects_url(container, entry.name), "download_url": ""}
        query = "name=" + quote_plus(entry.name)  # urlencode({"name": ...}), without its checks a row
        return {"url": object_page + query, "download_url": download + query}

    return links


@require_GET
def object_list(request, container: str, folder: str = ""):
    """One folder of a container: one listing GET (its headers describe the container), whatever
    its size."""
    container = _checked_container(container)
    folder = _checked_folder(folder)
    conn = connection(request)
    found = {}

    def fetch(params):
        page, found["info"] = containers.list_objects_with_container(conn, container, params, folder)
        return page

    url_args = (container, folder) if folder else (container,)
    try:
        return list_page(
            request,
            OBJECTS,
            fetch,
            context=lambda page: {
                "container": found["info"],
                "folder": folder,
                "crumbs": [(label, _objects_url(container, path)) for label, path in object_names.breadcrumbs(folder)],
                "container_actions": [containers.ACTIONS[a] for a in containers.allowed_actions(found["info"])],
                "bulk_actions": [objects.OBJECT_ACTIONS[a] for a in objects.BULK],
                "folder_url": reverse("containers:folder", args=[container]) + "?" + urlencode({"folder": folder}),
                "upload_url": reverse("containers:upload", args=[container]),
            },
            url_args=url_args,
            row_extra=_entry_links(container),
        )
    except CloudError as err:
        if err.kind == "not_found":
            return _not_found(request, container)
        raise


@require_http_methods(["GET", "POST"])
def folder_create(request, container: str):
    container = _checked_container(container)
    parent = _checked_folder(request.GET.get("folder", ""))
    conn = connection(request)
    form = forms.FolderForm(posted(request), parent=parent)

    def perform(cd):
        name = parent + cd["name"] + "/"
        objects.create_folder(conn, container, name)
        _changed(request, container)
        return _("Folder “%(name)s” created.") % {"name": cd["name"]}, name

    return form_page(
        request,
        form,
        perform,
        success_url=lambda name: _objects_url(container, name),
        context={
            "title": _("Create folder"),
            "icon": "folder-plus",
            "crumbs": [(_("Containers"), _list_url()), (container, _objects_url(container))],
            "cancel_url": _objects_url(container, parent),
        },
    )


@require_POST
def delete_entries(request, container: str):
    """Delete the selected objects and folders (a folder with everything under it), in bulk."""
    container = _checked_container(container)
    back = next_url(request, _objects_url(container))
    names = list(dict.fromkeys(n for n in request.POST.getlist("names") if not object_names.object_name_problem(n)))
    if request.POST.get("action", "delete") != "delete":
        messages.error(request, _("Choose one of: delete."))
        return HttpResponseRedirect(back)
    if not names:
        messages.warning(request, _("Select one or more objects or folders first."))
        return HttpResponseRedirect(back)
    if len(names) > MAX_BULK:
        messages.error(request, _("Select at most %(n)d objects or folders at a time.") % {"n": MAX_BULK})
        return HttpResponseRedirect(back)
    conn = connection(request)
    folders = [n for n in names if n.endswith("/")]
    files = [n for n in names if not n.endswith("/")]
    try:
        deleted = 0
        for folder in folders:
            deleted += objects.delete_tree(conn, container, folder)
        if files:
            # the page marks its large objects (hidden "large" fields): they go with their segments
            large = set(request.POST.getlist("large"))
            deleted += objects.delete_objects(conn, container, files, large=large)
    except CloudError as err:
        messages.error(request, _("Delete failed: %(message)s") % {"message": err.message})
        return HttpResponseRedirect(back)
    finally:
        _changed(request, container)  # some may be gone even when one failed
    messages.success(request, ngettext("%(n)d object deleted.", "%(n)d objects deleted.", deleted) % {"n": deleted})
    return HttpResponseRedirect(back)


# --- one object -----------------------------------------------------------------------------------


def _object_crumbs(container: str, name: str) -> list[tuple[str, str]]:
    crumbs = [(_("Containers"), _list_url()), (container, _objects_url(container))]
    crumbs += [
        (label, _objects_url(container, path)) for label, path in object_names.breadcrumbs(object_names.parent_of(name))
    ]
    return crumbs


@require_GET
def object_detail(request, container: str):
    container = _checked_container(container)
    name = _checked_name(request)
    conn = connection(request)
    info = found_or_none(lambda: objects.get_object(conn, container, name))
    if info is None:
        return _not_found(request, container, name)
    return render(
        request,
        "containers/object.html",
        {
            "obj": info,
            "crumbs": _object_crumbs(container, name),
            "download_url": _object_url(container, name, "containers:download"),
            "copy_url": _object_url(container, name, "containers:copy"),
            "share_url": _object_url(container, name, "containers:share"),
            "delete_url": reverse("containers:object_delete", args=[container]),
            "back": _objects_url(container, object_names.parent_of(name)),
        },
    )


@require_GET
def object_download(request, container: str):
    """The object streamed from Swift to the browser in chunks, never whole in Zenith's memory."""
    container = _checked_container(container)
    name = _checked_name(request)
    conn = connection(request)
    download = found_or_none(lambda: objects.open_download(conn, container, name))
    if download is None:
        return _not_found(request, container, name)
    info = download.info
    response = streaming_response(request, download.chunks, info.content_type or "application/octet-stream")
    response["Content-Length"] = str(info.bytes)
    response["Content-Disposition"] = content_disposition_header(True, object_names.basename_of(name) or "download")
    if info.etag:
        response["ETag"] = f'"{info.etag}"'
    return response


@require_POST
def object_delete(request, container: str):
    container = _checked_container(container)
    name = _checked_name(request)
    conn = connection(request)
    folder_url = _objects_url(container, object_names.parent_of(name))
    return run_action(
        request,
        objects.OBJECT_ACTIONS["delete"],
        lambda: (objects.delete_object(conn, container, name), _changed(request, container)),
        subject=name,
        back=next_url(request, folder_url) if "object/" not in request.POST.get("next", "") else folder_url,
        failed_back=next_url(request, folder_url),
    )


@require_http_methods(["GET", "POST"])
def object_copy(request, container: str):
    container = _checked_container(container)
    name = _checked_name(request)
    conn = connection(request)
    found = found_or_none(
        lambda: concurrently(
            {
                "object": lambda: objects.get_object(conn, container, name),
                "names": lambda: containers.list_container_names(conn),
            }
        )
    )
    if found is None:
        return _not_found(request, container, name)
    form = forms.CopyForm(posted(request), containers=found["names"], initial={"container": container, "name": name})

    def perform(cd):
        if cd["move"]:
            objects.move_object(conn, container, name, cd["container"], cd["name"])
            message = _("Moved to “%(container)s/%(name)s”.")
        else:
            objects.copy_object(conn, container, name, cd["container"], cd["name"])
            message = _("Copied to “%(container)s/%(name)s”.")
        _changed(request, container, cd["container"])
        return message % {"container": cd["container"], "name": cd["name"]}, (cd["container"], cd["name"])

    return form_page(
        request,
        form,
        perform,
        success_url=lambda target: _object_url(*target),
        field_for=lambda err: "name" if err.kind == "bad_request" else None,
        context={
            "title": _("Copy or move “%(name)s”") % {"name": object_names.basename_of(name)},
            "icon": "files",
            "crumbs": _object_crumbs(container, name),
            "cancel_url": _object_url(container, name),
        },
    )


@require_http_methods(["GET", "POST"])
def object_share(request, container: str):
    """A temporary URL for one object: made on POST and shown on the page (never stored)."""
    container = _checked_container(container)
    name = _checked_name(request)
    conn = connection(request)
    form = forms.ShareForm(posted(request))
    shared = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                url, expires = objects.create_temp_url(conn, container, name, form.cleaned_data["expires"])
            except CloudError as err:
                form.add_error(None, err.message)
            else:
                dots = object_names.has_dot_segment(name)
                shared, status = {"url": url, "expires": expires, "dot_segments": dots}, 200
    return render(
        request,
        "containers/share.html",
        {
            "form": form,
            "shared": shared,
            "title": _("Temporary URL for “%(name)s”") % {"name": object_names.basename_of(name)},
            "icon": "link-45deg",
            "crumbs": _object_crumbs(container, name),
            "cancel_url": _object_url(container, name),
        },
        status=status,
    )


# --- uploads (the bytes go through dashboard.uploads' streamed PUT route, not through Django) -----

MAX_FILES = 100  # files one upload request may announce
PARALLEL = 3  # files the page sends at once, at most (browsers open 6 connections to a site)


@require_POST
def upload_prepare(request, container: str):
    """Register the uploads of the files the page's script announces (names and sizes, no bytes):
    answers their rows (progress bar, Cancel, PUT address) as HTML for the page, or JSON with
    Accept: application/json; a refused name or a container deleted meanwhile answers 400/404."""
    container = _checked_container(container)
    folder = request.POST.get("folder", "")
    if folder and (not folder.endswith("/") or object_names.object_name_problem(folder)):
        folder = ""
    names, sizes = request.POST.getlist("name"), request.POST.getlist("size")
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    problems = []
    if not names or len(names) != len(sizes) or len(names) > MAX_FILES:
        problems.append(_("Choose between 1 and %(n)d files.") % {"n": MAX_FILES})
    files = []
    for name, size in zip(names, sizes, strict=False):
        full = folder + name.replace("\\", "/").rsplit("/", 1)[-1]
        problem = object_names.object_name_problem(full) if name else _("A file has no name.")
        if problem:
            problems.append(f"{name}: {problem}")
        try:
            files.append((full, max(0, int(size))))
        except ValueError:
            problems.append(f"{name}: " + _("its size is not a number."))
    if problems:
        return _upload_refused(request, wants_json, "bad_request", " ".join(problems), 400)
    try:
        containers.get_container(connection(request), container)
    except CloudError as err:
        return _upload_refused(request, wants_json, err.kind, err.message, err.status)
    user = request.keystone
    rows = []
    for full, size in files:
        upload = progress.begin("containers", user.project_id, user.user_id, container, full, size)
        rows.append(
            {
                "name": full,
                "label": object_names.basename_of(full),
                "size": size,
                "upload_url": upload.url,
                "cancel_url": reverse("containers:upload_cancel", args=[container, upload.id]),
                "large": size > settings.OBJECT_SEGMENT_BYTES,
            }
        )
    if wants_json:
        return JsonResponse({"uploads": rows}, status=201)
    # the page sends a few files at a time: a user's uploads beyond DASHBOARD_UPLOADS_PER_USER are refused
    parallel = min(settings.UPLOADS_PER_USER or PARALLEL, PARALLEL)
    return render(request, "containers/_uploads.html", {"rows": rows, "parallel": parallel}, status=201)


def _upload_refused(request, wants_json: bool, kind: str, message: str, status: int):
    if wants_json:
        return JsonResponse({"error": kind, "message": message}, status=status)
    return render(request, "containers/_uploads.html", {"error": message}, status=status)


@require_POST
def upload_cancel(request, container: str, upload_id: str):
    """Stop one of this project's uploads started by this user (any, for a cloud administrator) at
    its next block; one not started yet just ends."""
    upload = progress.get(upload_id)
    if upload is None or upload.project_id != request.keystone.project_id or upload.kind != "containers":
        raise Http404
    if not progress.may_cancel(upload, request.keystone):
        return JsonResponse({"error": "forbidden", "message": str(progress.NOT_YOURS)}, status=403)
    progress.cancel(upload.id, message=_("Upload cancelled before it started."))
    return JsonResponse({"state": progress.state_of(upload.id)})
