"""The volume snapshots' and backups' live pollers against the real Cinder: a snapshot or a backup
made, changed or deleted outside Zenith comes out of the next tick as an upsert or a delete, and
their rows are served for live.js."""

from __future__ import annotations

import pytest

from dashboard.live import pollers
from tests.helpers import made_volume, unique, wait_for

pytestmark = [pytest.mark.integration]


def _ops(messages: list[dict], resource_id: str) -> list[tuple[str, str]]:
    return [(m["op"], m["status"]) for m in messages if m["id"] == resource_id]


def test_a_snapshot_comes_changes_and_goes_in_the_pollers_messages(demo_sdk, demo_client, cleanup):
    assert pollers.topic_of("snapshots") == "snapshots"  # a page shows it: members may watch it
    project_id = demo_sdk.current_project_id
    poll = pollers.POLLERS["snapshots"]
    volume = made_volume(demo_sdk, cleanup)
    poll(demo_sdk, project_id)  # the first look records what the page already shows
    snap = demo_sdk.block_storage.create_snapshot(volume_id=volume.id, name=unique("zt-livesnap"))
    cleanup.delete("snapshot", snap.id, conn=demo_sdk)
    seen = _ops(poll(demo_sdk, project_id), snap.id)  # creating, or already available
    assert seen and seen[0][0] == "upsert"
    wait_for(lambda: demo_sdk.block_storage.get_snapshot(snap.id).status == "available", "snapshot available", 60)
    seen += _ops(poll(demo_sdk, project_id), snap.id)
    assert seen[-1] == ("upsert", "available")
    assert poll(demo_sdk, project_id) == []  # nothing changed: nothing sent
    renamed = unique("zt-livesnap-renamed")
    demo_sdk.block_storage.update_snapshot(snap.id, name=renamed)
    assert _ops(poll(demo_sdk, project_id), snap.id) == [("upsert", "available")]
    row = demo_client.get(f"/project/volumes/snapshots/{snap.id}/row/")
    assert (
        row.status_code == 200
        and renamed in row.content.decode()
        and f'id="snapshot-{snap.id}"' in row.content.decode()
    )
    demo_sdk.block_storage.delete_snapshot(snap.id)
    wait_for(lambda: demo_sdk.block_storage.find_snapshot(snap.id, ignore_missing=True) is None, "snapshot gone", 60)
    assert ("delete", "DELETED") in _ops(poll(demo_sdk, project_id), snap.id)
    assert demo_client.get(f"/project/volumes/snapshots/{snap.id}/row/").status_code == 404


def test_a_backup_shows_up_creating_then_available_in_the_pollers_messages(demo_sdk, demo_client, cleanup):
    project_id = demo_sdk.current_project_id
    poll = pollers.POLLERS["backups"]
    volume = made_volume(demo_sdk, cleanup)
    poll(demo_sdk, project_id)
    backup = demo_sdk.block_storage.create_backup(volume_id=volume.id, name=unique("zt-livebackup"))
    cleanup.delete("backup", backup.id, conn=demo_sdk)
    seen: list[tuple[str, str]] = []

    def available() -> bool:
        seen.extend(_ops(poll(demo_sdk, project_id), backup.id))
        return ("upsert", "available") in seen

    wait_for(available, "the backup's upsert as available", timeout=180, every=2)
    assert seen[0][0] == "upsert" and seen[0][1] in ("creating", "available")
    row = demo_client.get(f"/project/volumes/backups/{backup.id}/row/")
    assert row.status_code == 200 and f'id="backup-{backup.id}"' in row.content.decode()
    assert 'data-status="available"' in row.content.decode() and volume.name in row.content.decode()


def test_a_new_watcher_gets_what_changed_just_before_it_subscribed(demo_sdk, cleanup):
    """A chain's first look took what it found for what the page showed: a volume renamed between
    the page's render and the poller's first tick stayed under its old name on the page."""
    from dashboard.live import state

    project_id = demo_sdk.current_project_id
    poll = pollers.POLLERS["volumes"]
    volume = made_volume(demo_sdk, cleanup)
    demo_sdk.block_storage.update_volume(volume.id, name=unique("zt-live-renamed"))
    state.r().delete(state.key("primed", project_id, "volumes"))  # no chain ran for this project yet
    pollers.request_lookback(project_id, "volumes")  # as a new watcher's subscription asks
    assert _ops(poll(demo_sdk, project_id), volume.id) == [("upsert", "available")]
    assert poll(demo_sdk, project_id) == []  # once
