"""Streamed uploads: a file goes from the browser to the cloud as it arrives, through Zenith,
with the token kept on the server and nothing spooled on Zenith's memory or disk.

Django reads a request body whole (into memory, or a temporary file past a few megabytes), so
uploads bypass it: `dashboard.asgi` mounts `UploadRouter` ahead of Django's handler; it answers
`PUT /uploads/<kind>/<upload id>/` itself and hands every other request to Django.

How it goes, for any kind (images go to Glance, container objects to Swift), from a panel's page
or the JSON API alike:

1. A normal Django view (small form POST, or an API call) prepares the target in the cloud (e.g.
   a queued Glance image) and registers the upload: ``record = progress.begin(kind, project_id,
   user_id, target_id, name, total)``, with the session's project and user (the route checks
   them). It answers the page with ``record.url`` (the PUT address).
2. The browser PUTs the raw file to that address with the ``X-CSRFToken`` header (the page's
   token). `UploadRouter` checks the Django session (logged in, token not expired), the CSRF
   token, the Origin, and that the upload belongs to the session's user and current project.
3. The kind's sender runs in one of the process's upload threads (DASHBOARD_UPLOAD_THREADS, apart
   from the event loop's default executor; an upload finding them all busy gets 503) with an
   openstacksdk connection built from the session's token and an iterator of body blocks (1 MiB
   at most, pulled from the ASGI ``receive`` as the cloud's PUT consumes them: the client is only
   read as fast as the cloud takes it, so memory stays at a few blocks whatever the file's size;
   a client silent for DASHBOARD_UPLOAD_IDLE_SECONDS is given up).
4. Progress (bytes, total, rate, state) is kept in Redis under
   ``<DASHBOARD_REDIS_PREFIX>:uploads:`` so a list page can show it after the uploading page is
   left (`progress.of_project(project_id, kind)`). `progress.cancel(upload_id)` (a normal POST
   view, for the user who started the upload or a cloud administrator: `progress.may_cancel`)
   stops a running upload at its next block; a client that disconnects stops it too. Either
   way the kind's ``abandon`` cleans up the half-made target (an image's record is deleted).

The kinds are registered at the end of this module, not by the panels that offer them: the JSON
API starts uploads of its own and must find its kinds whatever panels are installed. A new kind is
one more line there::

    register("images", send=image_uploads.upload_data, abandon=image_uploads.abandon_upload)

``send(conn, record, blocks)`` streams the iterator to the cloud (a PUT with a generator body:
`dashboard.cloud.calls.raw(..., data=blocks)`) and raises CloudError on a refusal;
``abandon(conn, record)`` undoes what step 1 made. Both are `@translated` cloud functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dashboard.cloud import image_uploads, object_uploads


@dataclass(frozen=True)
class Kind:
    name: str
    send: Callable  # send(conn, record, blocks) -> None
    abandon: Callable  # abandon(conn, record) -> None


KINDS: dict[str, Kind] = {}


def register(name: str, send: Callable, abandon: Callable) -> None:
    KINDS[name] = Kind(name, send, abandon)


register("images", send=image_uploads.upload_data, abandon=image_uploads.abandon_upload)
register("containers", send=object_uploads.receive_upload, abandon=object_uploads.abandon_upload)
