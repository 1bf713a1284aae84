"""Streamed uploads to Swift: an object stored from chunks as they arrive, never whole in memory.

Above a size (or when the size is unknown) the chunks are cut into segments of a static large
object (SLO), written one after the other into "<container>_segments", then joined by a manifest.
`receive_upload` and `abandon_upload` are the "containers" kind of the streamed upload route
(dashboard.uploads).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from .calls import raw, translated
from .errors import CloudError
from .object_names import container_name_problem, object_name_problem, refuse_bad_name, segments_container, swift_path
from .objects import CONTAINER_NOT_FOUND, bulk_delete

log = logging.getLogger(__name__)


class Pieces:
    """Cuts a stream of chunks into pieces of at most `size` bytes, each read as its own iterator,
    without holding more than one incoming chunk (the way segments of a large object are fed)."""

    def __init__(self, chunks: Iterable[bytes], size: int):
        self._source = iter(chunks)
        self._size = size
        self._left = b""
        self.done = False

    def _fill(self) -> bool:
        while not self._left:
            try:
                self._left = next(self._source)
            except StopIteration:
                self.done = True
                return False
        return True

    def has_more(self) -> bool:
        return self._fill()

    def piece(self) -> Iterator[bytes]:
        """The next piece's chunks (at most `size` bytes in all)."""
        wanted = self._size
        while wanted and self._fill():
            chunk, self._left = self._left[:wanted], self._left[wanted:]
            wanted -= len(chunk)
            yield chunk


class _Counted:
    """Chunks passed through, counted and, for a segment (its manifest entry's etag), hashed: a
    plain object needs no hash, and hashing costs Zenith a core's second per GiB."""

    def __init__(self, chunks: Iterable[bytes], hashed: bool = True):
        self._chunks = chunks
        self.size = 0
        self.md5 = hashlib.md5(usedforsecurity=False) if hashed else None

    def __iter__(self):
        for chunk in self._chunks:
            self.size += len(chunk)
            if self.md5 is not None:
                self.md5.update(chunk)
            yield chunk


def _exactly(chunks: Iterable[bytes], size: int) -> Iterator[bytes]:
    """The chunks, failing before their end if they do not add up to `size`: the request is then
    cut before its last chunk, so Swift stores nothing rather than a truncated object."""
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > size:
            break
        yield chunk
    if seen != size:
        raise CloudError("bad_request", _("The upload ended early: the object was not stored."))


def _put_stream(conn, path: str, chunks: Iterable[bytes], headers: dict, hashed: bool = True) -> _Counted:
    counted = _Counted(chunks, hashed)
    # a generator body goes out with chunked transfer encoding, as it is read
    raw(conn, "object-store", path, method="put", data=iter(counted), headers=headers)
    return counted


def _segment_name(written: dict) -> str:
    """A written segment's object name, from its manifest entry ("/<segments container>/<name>")."""
    return written["path"].split("/", 2)[2]


@dataclass
class Uploaded:
    container: str
    name: str
    bytes: int
    segments: int = 0  # > 0: stored as a static large object of this many segments


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def upload_object(
    conn,
    container: str,
    name: str,
    chunks: Iterable[bytes],
    *,
    size: int | None = None,
    content_type: str = "",
    segment_bytes: int,
) -> Uploaded:
    """Store an object from chunks as they arrive. At most `segment_bytes` go in one request: a
    larger (or unsized) stream is written as segments in "<container>_segments", then a static
    large object manifest joins them. If the stream or Swift fails half-way, the segments
    written so far are deleted and no object appears."""
    refuse_bad_name(container_name_problem(container) or object_name_problem(name))
    headers = {"Content-Type": content_type} if content_type else {}
    if size is not None and size <= segment_bytes:
        counted = _put_stream(conn, swift_path(container, name), _exactly(chunks, size), headers, hashed=False)
        return Uploaded(container, name, counted.size)

    # the target container must exist before any segment is written
    raw(conn, "object-store", swift_path(container), method="head")
    seg_container = segments_container(container)
    raw(conn, "object-store", swift_path(seg_container), method="put")
    stamp = f"{time.time():.6f}"
    pieces = Pieces(chunks, segment_bytes)
    written: list[dict] = []
    try:
        while pieces.has_more():
            seg_name = f"{name}/slo/{stamp}/{size or 0}/{segment_bytes}/{len(written):08d}"
            counted = _put_stream(conn, swift_path(seg_container, seg_name), pieces.piece(), {})
            if not counted.size:
                break
            # a manifest names its segments literally (Swift reads them as they are)
            written.append(
                {"path": f"/{seg_container}/{seg_name}", "etag": counted.md5.hexdigest(), "size_bytes": counted.size}
            )
        if size is not None and sum(s["size_bytes"] for s in written) != size:
            raise CloudError("bad_request", _("The upload ended early: the object was not stored."))
        if len(written) <= 1:
            # small after all (an unsized stream): one plain object, copied server-side from its segment
            if not written:
                raw(conn, "object-store", swift_path(container, name), method="put", data=b"", headers=headers)
            else:
                raw(
                    conn,
                    "object-store",
                    swift_path(container, name),
                    method="put",
                    data=b"",
                    headers={**headers, "X-Copy-From": swift_path(seg_container, _segment_name(written[0]))},
                )
            total = written[0]["size_bytes"] if written else 0
            bulk_delete(conn, seg_container, [_segment_name(w) for w in written])
            return Uploaded(container, name, total)
        raw(
            conn,
            "object-store",
            swift_path(container, name),
            method="put",
            params={"multipart-manifest": "put"},
            data=json.dumps(written).encode(),
            headers=headers,
        )
    except BaseException:
        if written:
            try:
                bulk_delete(conn, seg_container, [_segment_name(w) for w in written])
            except Exception as exc:  # noqa: BLE001 - the first failure is the one to report
                log.warning("segments of %s/%s left behind: %s", container, name, exc)
        raise
    return Uploaded(container, name, sum(s["size_bytes"] for s in written), segments=len(written))


# --- the streamed upload route's kind (dashboard.uploads) --------------------------------------


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def receive_upload(conn, upload, blocks: Iterable[bytes]) -> None:
    """Store an upload of dashboard.uploads (target_id: the container, name: the object's name)
    from its body blocks as they arrive, segmented above DASHBOARD_OBJECT_SEGMENT_BYTES."""
    upload_object(
        conn,
        upload.target_id,
        upload.name,
        blocks,
        size=upload.total or None,
        segment_bytes=settings.OBJECT_SEGMENT_BYTES,
    )


@translated("object-store", not_found=CONTAINER_NOT_FOUND)
def abandon_upload(conn, upload) -> None:
    """Nothing is left to remove: an upload cut off before its end stores no object (Swift keeps
    the previous version, if any) and `upload_object` deletes the segments it had written."""
    return None
