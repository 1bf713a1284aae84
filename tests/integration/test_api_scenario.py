"""A script's whole day through the API alone, with demo's API key: key pair, launch on a network,
ACTIVE, attach a volume, floating IP, console link, delete — checked in the cloud with openstacksdk;
the key sees nothing of alt's and no admin endpoint; once revoked it gets 401."""

import pytest

from dashboard.accounts.apikeys import hash_of
from dashboard.accounts.models import ApiKey
from tests.helpers import boot, key_client, make_api_key, unique, wait_for, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:1000]
    return response.json()


def _post(api, url, body, status=202):
    return _ok(api.post(url, body, content_type="application/json"), status)


def test_launch_attach_floating_ip_console_delete_with_an_api_key(demo_client, demo_sdk, cleanup):
    key = make_api_key(demo_client, unique("zt-script"))
    cleanup.add(lambda: demo_client.post(f"/auth/keys/{ApiKey.objects.get(key_hash=hash_of(key)).id}/revoke/"))
    api = key_client(key)

    options = _ok(api.get("/api/v1/launch-options/"))
    image = next(i["id"] for i in options["images"] if i["name"] == "demo-image")
    flavor = next(f["id"] for f in options["flavors"] if f["name"] == "m1.tiny")
    net = next(n["id"] for n in options["networks"] if n["name"] == "private")

    keypair = unique("zt-kp")
    made = _post(api, "/api/v1/keypairs/", {"name": keypair}, status=201)
    cleanup.delete("keypair", keypair, conn=demo_sdk)
    assert made["private_key"].startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert demo_sdk.compute.find_keypair(keypair).fingerprint == made["keypair"]["fingerprint"]

    name = unique("zt-apivm")
    launched = _post(
        api,
        "/api/v1/instances/",
        {
            "name": name,
            "source_type": "image",
            "image": image,
            "flavor": flavor,
            "networks": [net],
            "key_name": keypair,
            "security_groups": ["default"],
            "metadata": {"made-by": "api-test"},
        },
    )
    cleanup.delete("server", launched["id"], conn=demo_sdk)
    server = wait_for_status(demo_sdk, launched["id"], "ACTIVE", timeout=600)
    assert server.name == name and server.key_name == keypair and server.metadata == {"made-by": "api-test"}
    shown = _ok(api.get(f"/api/v1/instances/{server.id}/"))["instance"]
    assert shown["status"] == "ACTIVE" and "attach_volume" in shown["allowed_actions"]

    volume = demo_sdk.block_storage.create_volume(size=1, name=unique("zt-apivol"))
    cleanup.delete("volume", volume.id, conn=demo_sdk)
    wait_for(lambda: demo_sdk.block_storage.get_volume(volume.id).status == "available", "volume available", 120)
    _post(api, f"/api/v1/instances/{server.id}/volumes/", {"volume_id": volume.id})

    def attached():
        v = demo_sdk.block_storage.get_volume(volume.id)
        return v.status == "in-use" and any(a["server_id"] == server.id for a in v.attachments)

    wait_for(attached, "volume attached", 180)

    public = demo_sdk.network.find_network("public", ignore_missing=False)
    fip = _ok(
        api.post(
            f"/api/v1/instances/{server.id}/floating-ips/", {"pool_id": public.id}, content_type="application/json"
        )
    )
    address = fip["floating_ip_address"]
    found = next(demo_sdk.network.ips(floating_ip_address=address))
    cleanup.delete("floating_ip", found.id, conn=demo_sdk)
    ports = {p.id for p in demo_sdk.network.ports(device_id=server.id)}
    assert found.port_id in ports

    console = _ok(api.get(f"/api/v1/instances/{server.id}/console/"))
    assert console["url"].startswith("http") and console["type"]

    _ok(api.delete(f"/api/v1/instances/{server.id}/"), 202)
    wait_for(lambda: demo_sdk.compute.find_server(server.id) is None, "instance deleted", 180)


def test_a_demo_key_reads_nothing_of_alt_and_no_admin_endpoint(demo_client, alt_sdk, cleanup):
    theirs = boot(alt_sdk, unique("zt-alt"), network=None, timeout=600, cleanup=cleanup)
    key = make_api_key(demo_client)
    api = key_client(key)
    assert _ok(api.get("/api/v1/instances/", {"name": theirs.name}))["instances"] == []
    for response in (
        api.get(f"/api/v1/instances/{theirs.id}/"),
        api.get(f"/api/v1/instances/{theirs.id}/console/"),
        api.post(f"/api/v1/instances/{theirs.id}/action/", {"action": "stop"}, content_type="application/json"),
        api.delete(f"/api/v1/instances/{theirs.id}/"),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["error"] == "not_found"
    assert alt_sdk.compute.get_server(theirs.id).status == "ACTIVE"
    for url in (
        "/api/v1/admin/usage/",
        "/api/v1/admin/hypervisors/",
        "/api/v1/admin/projects/",
        "/api/v1/admin/users/",
        "/api/v1/admin/groups/",
        "/api/v1/admin/roles/",
        f"/api/v1/admin/projects/{alt_sdk.current_project_id}/quotas/",
        f"/api/v1/admin/projects/{alt_sdk.current_project_id}/assignments/",
    ):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json()["error"] == "forbidden"

    row = ApiKey.objects.get(key_hash=hash_of(key))
    demo_client.post(f"/auth/keys/{row.id}/revoke/")
    assert api.get("/api/v1/instances/").status_code == 401


def test_an_admin_key_reads_identity_usage_and_quotas(admin_client, admin_sdk):
    key = make_api_key(admin_client)
    api = key_client(key)
    projects = _ok(api.get("/api/v1/admin/projects/", {"limit": 2}))
    assert len(projects["projects"]) == 2 and projects["next_marker"] == projects["projects"][1]["id"]
    following = _ok(api.get("/api/v1/admin/projects/", {"marker": projects["next_marker"], "limit": 2}))
    assert not {p["id"] for p in following["projects"]} & {p["id"] for p in projects["projects"]}
    names = {u["name"] for u in _ok(api.get("/api/v1/admin/users/", {"limit": 200}))["users"]}
    assert {"admin", "demo", "alt"} <= names
    assert "admin" in {r["name"] for r in _ok(api.get("/api/v1/admin/roles/"))["roles"]}
    demo_id = admin_sdk.identity.find_project("demo").id
    assignments = _ok(api.get(f"/api/v1/admin/projects/{demo_id}/assignments/", {"limit": 1}))
    assert len(assignments["assignments"]) == 1
    rest = {"assignments": []}
    if assignments["next_marker"]:
        rest = _ok(api.get(f"/api/v1/admin/projects/{demo_id}/assignments/", {"marker": assignments["next_marker"]}))
    everyone = {a["user_id"] for a in assignments["assignments"] + rest["assignments"]}
    assert admin_sdk.identity.find_user("demo").id in everyone
    quotas = _ok(api.get(f"/api/v1/admin/projects/{demo_id}/quotas/"))
    assert any(q["service"] == "compute" and q["resource"] == "instances" for q in quotas["quotas"])
    usage = api.get("/api/v1/admin/usage/", {"format": "csv"})
    assert usage.status_code == 200 and usage["Content-Type"].startswith("text/csv")
    assert usage.content.decode().splitlines()[0].startswith("project_id,project_name")
    admin_client.post(f"/auth/keys/{ApiKey.objects.get(key_hash=hash_of(key)).id}/revoke/")


def test_an_admin_key_sets_a_project_quota(admin_client, admin_sdk, cleanup):
    project = admin_sdk.identity.create_project(name=unique("zt-apiq"), domain_id="default")
    cleanup.delete("project", project.id)
    cleanup.delete("quotas", project.id)
    key = make_api_key(admin_client)
    api = key_client(key)
    url = f"/api/v1/admin/projects/{project.id}/quotas/"
    body = _ok(
        api.patch(url, {"limits": {"compute-instances": 7, "volume-volumes": 3}}, content_type="application/json")
    )
    assert {(q["service"], q["resource"]): q["limit"] for q in body["quotas"]}[("compute", "instances")] == 7
    assert admin_sdk.compute.get(f"/os-quota-sets/{project.id}").json()["quota_set"]["instances"] == 7
    assert admin_sdk.block_storage.get(f"/os-quota-sets/{project.id}").json()["quota_set"]["volumes"] == 3
    bad = api.patch(url, {"limits": {"nonsense": 1}}, content_type="application/json")
    assert bad.status_code == 400 and "limits" in bad.json()["fields"]
    missing = api.get("/api/v1/admin/projects/00000000000000000000000000000000/quotas/")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    admin_client.post(f"/auth/keys/{ApiKey.objects.get(key_hash=hash_of(key)).id}/revoke/")
