"""An image's data streamed to Glance (dashboard.uploads kind "images"), checked first.

The first block of the file is looked at before Glance is asked to store anything: data whose
format does not match the image's disk format is refused with a clear message on every cloud.
"""

from __future__ import annotations

import itertools

from django.utils.translation import gettext

from .calls import raw, raw_json, translated
from .errors import CloudError
from .images import IMAGE_NOT_FOUND, delete_image

# --- streamed uploads (dashboard.uploads kind "images") -------------------------------------------


@translated("image", not_found=IMAGE_NOT_FOUND)
def upload_data(conn, upload, blocks) -> None:
    """PUT the image's data to Glance from an iterator of blocks, as they come (chunked body: no
    copy of the file in Zenith's memory or on its disk), once the first block shows the data is
    in the image's disk format (2 calls: the image's format, the PUT)."""
    disk_format = raw_json(conn, "image", f"/images/{upload.target_id}").get("disk_format") or ""
    blocks = checked_blocks(disk_format, blocks)
    head = next(blocks)  # refused before Glance is asked to store anything
    raw(
        conn,
        "image",
        f"/images/{upload.target_id}/file",
        method="put",
        data=itertools.chain([head], blocks),
        headers={"Content-Type": "application/octet-stream"},
    )


@translated("image", not_found=IMAGE_NOT_FOUND)
def abandon_upload(conn, upload) -> None:
    """A half-uploaded image is deleted (Glance would leave it queued or saving)."""
    try:
        delete_image(conn, upload.target_id)
    except CloudError as err:
        if err.kind != "not_found":
            raise


# --- what the data really is ----------------------------------------------------------------------
# Newer Glance (2024.2+) refuses data whose format does not match disk_format; older ones only log
# it. Zenith looks at the first block itself so every cloud gets the same clear refusal.

_MAGIC = (
    ("qcow2", 0, b"QFI\xfb"),
    ("vmdk", 0, b"KDMV"),
    ("vmdk", 0, b"# Disk DescriptorFile"),
    ("vhdx", 0, b"vhdxfile"),
    ("vdi", 0x40, b"\x7f\x10\xda\xbe"),
    ("iso", 0x8001, b"CD001"),
    ("vhd", 0, b"conectix"),
)
CHECKED_FORMATS = {"qcow2", "vmdk", "vhdx", "vdi", "iso", "raw"}


def sniff_format(head: bytes) -> str:
    """The disk format the first bytes of a file show ("" when none: raw data or unknown)."""
    for name, offset, magic in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return name
    return ""


def format_mismatch(claimed: str, head: bytes) -> str:
    """Why the data does not match the claimed disk format ("" when it does, or cannot be told)."""
    if claimed not in CHECKED_FORMATS:
        return ""
    found = sniff_format(head)
    if claimed == "raw":
        if not found:
            return ""
        return gettext("The file is a %(found)s image, not raw data: choose %(found)s as its disk format.") % {
            "found": found
        }
    if claimed == "iso" and len(head) <= 0x8001 + 5:
        return gettext("The file is too small to be an ISO image.")
    if found != claimed:
        if found:
            message = gettext(
                "The file is not a %(claimed)s image (it looks like a %(found)s image): choose its real disk format."
            )
        else:
            message = gettext(
                "The file is not a %(claimed)s image (it looks like raw or unknown data): choose its real disk format."
            )
        return message % {"claimed": claimed, "found": found}
    return ""


def checked_blocks(disk_format: str, blocks):
    """The blocks, after checking the first one's format; an empty file is refused."""
    iterator = iter(blocks)
    head = next(iterator, b"")
    if not head:
        raise CloudError("bad_request", gettext("The file is empty: choose an image file."))
    problem = format_mismatch(disk_format, bytes(head[: 0x8001 + 8]))
    if problem:
        raise CloudError("bad_request", problem)
    yield head
    yield from iterator
