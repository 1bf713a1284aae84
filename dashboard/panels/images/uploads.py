"""The images list's uploads panel: each upload as its record in Redis says, checked against the
image it fills as Glance has it now (one Glance call for every row at once).

The record alone went stale: an image deleted after its upload kept a row whose link led to "not
found", a renamed one kept its old name, and a record left "sending" by a process that stopped
kept offering Cancel for an image long active.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.cloud import CloudError, images
from dashboard.uploads import progress

# Glance's statuses while an image waits for or takes its data; any other means the upload is over
WAITING = ("queued", "saving", "uploading")


@dataclass
class UploadRow:
    upload: progress.Upload
    image: images.Image | None  # as Glance has it now; None: gone, or Glance could not be asked
    checked: bool = True  # whether Glance answered (else the record is all there is)

    @property
    def running(self) -> bool:
        """Still going: its record says so and its image still waits for the data."""
        if not self.upload.active:
            return False
        return not self.checked or (self.image is not None and self.image.status in WAITING)

    @property
    def state(self) -> str:
        """The record's state, or how its image says it ended when the record did not follow."""
        if self.upload.active and not self.running:
            return "done" if self.image is not None and self.image.status == "active" else "failed"
        return self.upload.state

    @property
    def name(self) -> str:
        return (self.image.name if self.image else "") or self.upload.name or self.upload.target_id

    @property
    def linked(self) -> bool:
        """Whether the image's page exists to link to."""
        return self.image is not None or not self.checked

    @property
    def cancellable(self) -> bool:
        return self.running and self.upload.state in ("ready", "sending")

    @property
    def shown(self) -> bool:
        """Rows of images that are gone leave the panel, but for failed and cancelled uploads (their
        image was removed on purpose: the row says why, until dismissed)."""
        return self.linked or self.upload.state in ("failed", "cancelled")


@dataclass
class UploadsPanel:
    rows: list[UploadRow]

    @property
    def sending(self) -> bool:
        """Whether bytes are moving, so the panel re-reads itself every second (an upload waiting
        for its file changes only when it starts: its image's change brings the panel again)."""
        return any(row.running and row.upload.state != "ready" for row in self.rows)

    @property
    def ended(self) -> int:
        """How many rows can be dismissed."""
        return sum(not row.running for row in self.rows)

    def without(self, upload_ids: list[str]) -> UploadsPanel:
        return UploadsPanel([row for row in self.rows if row.upload.id not in upload_ids])


def uploads_panel(conn, user) -> UploadsPanel:
    return UploadsPanel(upload_rows(conn, user))


def upload_rows(conn, user) -> list[UploadRow]:
    """The project's image uploads this user has not dismissed, oldest first, with their images."""
    uploads = progress.of_project(user.project_id, "images", shown_to=user.user_id)
    if not uploads:
        return []
    try:
        found = images.list_images_by_id(conn, [u.target_id for u in uploads])
    except CloudError:
        return [UploadRow(u, None, checked=False) for u in uploads]
    rows = [UploadRow(u, found.get(u.target_id)) for u in uploads]
    return [row for row in rows if row.shown]
