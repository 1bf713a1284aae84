"""The `images` live topic: its poller lists only what the project may see (its own images, public,
community, shared with it), whatever the role of the watcher whose token it uses."""

import pytest

from tests.helpers import credentials_of, unique

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seen_images(alt_sdk, demo_sdk, admin_sdk, cleanup):
    """alt's private, community and shared-with-demo images; demo's own; admin's private one."""

    def make(conn, visibility, owner):
        image = conn.image.create_image(
            name=unique(f"zt-live-{owner}-{visibility}"),
            disk_format="raw",
            container_format="bare",
            visibility=visibility,
        )
        cleanup.delete("image", image.id)
        return image.id

    made = {
        "alt_private": make(alt_sdk, "private", "alt"),
        "alt_community": make(alt_sdk, "community", "alt"),
        "alt_shared": make(alt_sdk, "shared", "alt"),
        "demo_private": make(demo_sdk, "private", "demo"),
        "admin_private": make(admin_sdk, "private", "admin"),
    }
    alt_sdk.image.add_member(made["alt_shared"], member_id=demo_sdk.current_project_id)
    return made


def bodies_as(client, project_id):
    from dashboard.cloud import images
    from dashboard.cloud.sessions import connection_for

    return {b["id"] for b in images.list_image_bodies(connection_for(credentials_of(client)), project_id)}


def test_a_members_poller_sees_own_public_community_and_shared_images(demo_client, seen_images):
    project = demo_client.session["keystone"]["project_id"]
    seen = bodies_as(demo_client, project)
    assert {seen_images["demo_private"], seen_images["alt_community"], seen_images["alt_shared"]} <= seen
    assert seen_images["alt_private"] not in seen and seen_images["admin_private"] not in seen


def test_an_admins_poller_sees_no_other_projects_private_images(admin_client, seen_images):
    project = admin_client.session["keystone"]["project_id"]
    seen = bodies_as(admin_client, project)
    assert seen_images["admin_private"] in seen and seen_images["alt_community"] in seen
    assert seen_images["alt_private"] not in seen and seen_images["demo_private"] not in seen


def test_the_images_topic_is_offered():
    from dashboard.live.pollers import topic_of

    assert topic_of("images") is not None


def test_the_images_poller_reports_new_changed_and_deleted_images(demo_client, demo_sdk, cleanup):
    """What the websocket pushes: one upsert when an image appears or changes status, one delete when it goes."""
    from dashboard.cloud.sessions import connection_for
    from dashboard.live import pollers, state

    credentials = credentials_of(demo_client)
    project = credentials.project_id
    conn = connection_for(credentials)
    state.r().delete(state.key("seen", project, "images"), state.key("primed", project, "images"))
    poll = pollers.POLLERS["images"]
    assert poll(conn, project) == []  # the first look only primes: the page shows this state already
    image = demo_sdk.image.create_image(name=unique("zt-live-new"), disk_format="raw", container_format="bare")
    cleanup.delete("image", image.id)
    mine = [m for m in poll(conn, project) if m["id"] == image.id]
    assert mine and mine[0]["op"] == "upsert" and mine[0]["status"] == "queued"
    demo_sdk.image.put(
        f"/images/{image.id}/file", data=b"x" * 4096, headers={"Content-Type": "application/octet-stream"}
    ).raise_for_status()
    mine = [m for m in poll(conn, project) if m["id"] == image.id]
    assert mine and mine[0]["status"] == "active"
    demo_sdk.image.delete_image(image.id)
    mine = [m for m in poll(conn, project) if m["id"] == image.id]
    assert mine == [{"kind": "images", "id": image.id, "op": "delete", "status": "DELETED"}]
