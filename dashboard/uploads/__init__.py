"""Streamed uploads: a file goes from the browser to the cloud as it arrives, through Zenith,
with the token kept on the server and nothing spooled on Zenith's memory or disk.

Django reads a request body whole (into memory, or a temporary file past a few megabytes), so
uploads bypass it: `dashboard.asgi` mounts `UploadRouter` ahead of Django's handler; it answers
`PUT /uploads/<kind>/<upload id>/` itself and hands every other request to Django.

How it goes, for any panel (images sends to Glance; the containers panel can send to Swift):

1. A normal Django view (small form POST) prepares the target in the cloud (e.g. a queued Glance
   image) and registers the upload: ``record = progress.begin(kind, request, target_id, name,
   total)``. It answers the page with ``record.url`` (the PUT address).
2. The browser PUTs the raw file to that address with the ``X-CSRFToken`` header (the page's
   token). `UploadRouter` checks the Django session (logged in, token not expired), the CSRF
   token, the Origin, and that the upload belongs to the session's user and current project.
3. The kind's sender runs in a worker thread with an openstacksdk connection built from the
   session's token and an iterator of body blocks (1 MiB at most, pulled from the ASGI
   ``receive`` as the cloud's PUT consumes them: the client is only read as fast as the cloud
   takes it, so memory stays at a few blocks whatever the file's size).
4. Progress (bytes, total, rate, state) is kept in Redis under
   ``<DASHBOARD_REDIS_PREFIX>:uploads:`` so a list page can show it after the uploading page is
   left (`progress.of_project(project_id, kind)`). `progress.cancel` (a normal POST view) stops a running upload at
   its next block; a client that disconnects stops it too. Either way the kind's ``abandon``
   cleans up the half-made target (the images panel deletes the image record).

A panel plugs in by registering its kind once, e.g. in its AppConfig.ready()::

    from dashboard.uploads import register
    register("images", send=images.upload_data, abandon=images.abandon_upload)

``send(conn, record, blocks)`` streams the iterator to the cloud (a PUT with a generator body:
`dashboard.cloud.calls.raw(..., data=blocks)`) and raises CloudError on a refusal;
``abandon(conn, record)`` undoes what step 1 made. Both are `@translated` cloud functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    send: Callable  # send(conn, record, blocks) -> None
    abandon: Callable  # abandon(conn, record) -> None


KINDS: dict[str, Kind] = {}


def register(name: str, send: Callable, abandon: Callable) -> None:
    KINDS[name] = Kind(name, send, abandon)
