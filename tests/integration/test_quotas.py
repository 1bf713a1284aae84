"""Per-project quotas through the admin's form, enforced by the real Nova for a user of that project."""

import re

import pytest
from django.test import Client
from openstack import exceptions as sdk_exc

from dashboard.cloud import CloudError, call, translate
from dashboard.cloud import quotas as q
from tests.helpers import boot, login, unique, user_sdk, wait_for_status

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

PASSWORD = "Quota-pass-123"


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def quota_project(admin_sdk, cleanup):
    project = admin_sdk.identity.create_project(name=unique("zt-qp"), domain_id="default")
    cleanup.delete("project", project.id, conn=admin_sdk)
    cleanup.delete("quotas", project.id, conn=admin_sdk)  # the services keep them after Keystone forgets it
    return project


def _quota_form(client, project_id) -> dict:
    """The quota form's current values, as a browser would submit them."""
    page = _text(client.get(f"/identity/projects/{project_id}/quotas/"))
    return dict(
        re.findall(r'name="((?:compute|volume|network)-\w+)" id="[^"]*" min="-1" step="1"\s+value="(-?\d*)"', page)
    )


def _in_use(page: str, key: str) -> str:
    match = re.search(rf'data-testid="in-use-{key}">(\d+)', page)
    assert match, key
    return match.group(1)


def _field_error(page: str, key: str) -> str:
    match = re.search(rf'id="id_{key}-error">(.*?)</div>', page, re.S)
    return match.group(1) if match else ""


def test_quota_form_shows_usage_beside_each_limit(admin_client, admin_sdk, quota_project, cleanup):
    network = admin_sdk.network.create_network(name=unique("zt-qnet"), project_id=quota_project.id)
    cleanup.delete("network", network.id, conn=admin_sdk)
    response = admin_client.get(f"/identity/projects/{quota_project.id}/quotas/")
    assert response.status_code == 200
    page = _text(response)
    for title in ("Compute (Nova)", "Block Storage (Cinder)", "Network (Neutron)"):
        assert title in page
    assert _in_use(page, "network-network") == "1"
    assert _in_use(page, "compute-instances") == "0"
    form = _quota_form(admin_client, quota_project.id)
    nova = admin_sdk.compute.get_quota_set(quota_project.id)
    neutron = admin_sdk.network.get_quota(quota_project.id)
    assert form["compute-instances"] == str(nova.instances)
    assert form["compute-cores"] == str(nova.cores)
    assert form["network-port"] == str(neutron.ports)
    assert {"volume-volumes", "volume-gigabytes", "volume-snapshots"} <= set(form)


def test_all_three_services_take_new_limits_and_minus_one_is_unlimited(admin_client, admin_sdk, quota_project):
    form = _quota_form(admin_client, quota_project.id)
    form.update({"compute-ram": "-1", "volume-volumes": "7", "volume-gigabytes": "70", "network-router": "3"})
    response = admin_client.post(f"/identity/projects/{quota_project.id}/quotas/", form)
    assert response.status_code == 302, _text(response)[:3000]
    assert admin_sdk.compute.get_quota_set(quota_project.id).ram == -1
    cinder = admin_sdk.block_storage.get_quota_set(quota_project.id)
    assert (cinder.volumes, cinder.gigabytes) == (7, 70)
    assert admin_sdk.network.get_quota(quota_project.id).routers == 3
    page = _text(admin_client.get(f"/identity/projects/{quota_project.id}/quotas/"))
    assert "Quotas of" in page and "saved (Compute (Nova), Block Storage (Cinder), Network (Neutron))" in page


def test_limit_below_minus_one_is_refused_by_the_form(admin_client, admin_sdk, quota_project):
    before = admin_sdk.compute.get_quota_set(quota_project.id).cores
    response = admin_client.post(f"/identity/projects/{quota_project.id}/quotas/", {"compute-cores": "-5"})
    assert response.status_code == 400
    assert "Use -1 for unlimited" in _field_error(_text(response), "compute-cores")
    assert admin_sdk.compute.get_quota_set(quota_project.id).cores == before


def test_network_limit_below_usage_is_refused_with_usage_shown(admin_client, admin_sdk, quota_project, cleanup):
    for _ in range(2):
        net = admin_sdk.network.create_network(name=unique("zt-qnet"), project_id=quota_project.id)
        cleanup.delete("network", net.id, conn=admin_sdk)
    response = admin_client.post(f"/identity/projects/{quota_project.id}/quotas/", {"network-network": "1"})
    assert response.status_code == 400
    error = _field_error(_text(response), "network-network")
    assert "2 already in use" in error
    assert 'value="1"' in _text(response)  # the input is kept
    assert admin_sdk.network.get_quota(quota_project.id).networks != 1


def test_services_themselves_refuse_limits_below_usage(admin_sdk, quota_project, cleanup):
    """Past Zenith's own check (usage can grow between reading and saving): the services' reasons."""
    net = admin_sdk.network.create_network(name=unique("zt-qnet"), project_id=quota_project.id)
    cleanup.delete("network", net.id, conn=admin_sdk)
    with pytest.raises(CloudError) as refused:
        call(lambda: q.update_network_quotas(admin_sdk, quota_project.id, {"network": 0}), service="network")
    assert q.field_of_refusal(refused.value.detail, ["subnet", "network"]) == "network"
    assert admin_sdk.network.get_quota(quota_project.id).networks != 0


def test_admin_sets_quotas_for_a_new_user_and_nova_enforces_them(admin_client, admin_sdk, cleanup, monkeypatch):
    # 1. a project and a user, through the pages
    project_name, user_name = unique("zt-qp"), unique("zt-qu")
    response = admin_client.post(
        "/identity/projects/create/", {"name": project_name, "description": "quota test", "enabled": "on"}
    )
    project = next(iter(admin_sdk.identity.projects(name=project_name)))
    cleanup.delete("project", project.id, conn=admin_sdk)
    cleanup.delete("quotas", project.id, conn=admin_sdk)
    assert response.status_code == 302
    member = next(r.id for r in admin_sdk.identity.roles() if r.name == "member")
    response = admin_client.post(
        "/identity/users/create/",
        {"name": user_name, "email": "", "password": PASSWORD, "confirm": PASSWORD},
    )
    user = next(iter(admin_sdk.identity.users(name=user_name)))
    cleanup.delete("user", user.id, conn=admin_sdk)
    assert response.status_code == 302

    # 2. the member role on the project, on the project's page
    response = admin_client.post(
        f"/identity/projects/{project.id}/members/add/", {"actor": f"user:{user.id}", "role": member}
    )
    assert response.status_code == 302
    roles = {
        a.role["name"]
        for a in admin_sdk.identity.role_assignments(scope_project_id=project.id, user_id=user.id, include_names=True)
    }
    assert roles == {"member"}

    # 3. quotas instances=1, cores=1 through the form; Nova holds them
    form = _quota_form(admin_client, project.id)
    form.update({"compute-instances": "1", "compute-cores": "1"})
    response = admin_client.post(f"/identity/projects/{project.id}/quotas/", form)
    assert response.status_code == 302, _text(response)[:3000]
    nova = admin_sdk.compute.get_quota_set(project.id)
    assert (nova.instances, nova.cores) == (1, 1)

    # 4. the user logs into Zenith with the new credentials and lands in the project
    user_client = Client()
    response = login(user_client, user_name, password=PASSWORD)
    assert response.status_code == 302
    assert user_client.session["keystone"]["project_id"] == project.id
    assert user_client.get("/identity/projects/").status_code == 403

    # 5. as that user: a network, one instance (fits the quota) ...
    conn = user_sdk(user_name, PASSWORD, project.id)
    network = conn.network.create_network(name=unique("zt-qnet"))
    cleanup.delete("network", network.id)
    subnet = conn.network.create_subnet(
        network_id=network.id, ip_version=4, cidr="10.77.0.0/24", name=unique("zt-qsub")
    )
    cleanup.delete("subnet", subnet.id)
    first = boot(conn, unique("zt-qvm"), network=network.id, wait=False, cleanup=cleanup)
    first = wait_for_status(conn, first.id, "ACTIVE", timeout=120)
    assert first.status == "ACTIVE"

    # ... and the second is refused by Nova for the quota, which Zenith words as "Quota exceeded"
    with pytest.raises(sdk_exc.HttpException) as refused:
        boot(conn, unique("zt-qvm"), network=network.id, wait=False, cleanup=cleanup)
    assert refused.value.status_code == 403
    assert "quota" in str(refused.value).lower()
    message = translate(refused.value, service="compute")
    assert isinstance(message, CloudError) and message.kind == "quota"
    assert message.message.startswith("Quota exceeded")
    assert len(list(conn.compute.servers())) == 1

    # 6. the quota page shows the usage; a limit below it is refused, with the input kept
    page = _text(admin_client.get(f"/identity/projects/{project.id}/quotas/"))
    assert _in_use(page, "compute-instances") == "1"
    assert _in_use(page, "compute-cores") == "1"
    form = _quota_form(admin_client, project.id)
    form["compute-instances"] = "0"
    response = admin_client.post(f"/identity/projects/{project.id}/quotas/", form)
    assert response.status_code == 400
    page = _text(response)
    assert "Instances: 1 already in use" in _field_error(page, "compute-instances")
    assert re.search(r'name="compute-instances" id="id_compute-instances" min="-1" step="1"\s+value="0"', page)
    assert admin_sdk.compute.get_quota_set(project.id).instances == 1

    # 7. Nova's own refusal (what the form shows if usage grew after Zenith's check)
    with pytest.raises(CloudError) as nova_refused:
        call(lambda: q.update_compute_quotas(admin_sdk, project.id, {"instances": 0}), service="compute")
    reason = nova_refused.value.detail
    assert "must be greater than or equal to already used and reserved 1" in reason
    assert q.field_of_refusal(reason, ["cores", "instances"]) == "instances"
    assert admin_sdk.compute.get_quota_set(project.id).instances == 1

    # 8. ... and on the form: with Zenith's own check out of the way, Nova's reason sits beside the field
    monkeypatch.setattr("dashboard.panels.identity.forms.below_usage", lambda item, value: False)
    form = _quota_form(admin_client, project.id)
    form.update({"compute-instances": "0", "network-router": "4"})
    response = admin_client.post(f"/identity/projects/{project.id}/quotas/", form)
    assert response.status_code == 400
    page = _text(response)
    error = _field_error(page, "compute-instances")
    assert "Compute (Nova) refused:" in error and "already used and reserved 1" in error
    assert re.search(r'name="compute-instances" id="id_compute-instances" min="-1" step="1"\s+value="0"', page)
    # the service that accepted its limits says so; Nova kept its limit
    assert "Saved: Network (Neutron)." in page
    assert admin_sdk.network.get_quota(project.id).routers == 4
    assert admin_sdk.compute.get_quota_set(project.id).instances == 1


def test_refusals_are_tied_to_the_resource_they_name():
    nova = "Quota limit 0 for instances must be greater than or equal to already used and reserved 1."
    cinder = "Quota volumes limit must be equal or greater than existing resources. Current volumes quota usage is 2."
    assert q.field_of_refusal(nova, ["cores", "instances", "ram"]) == "instances"
    assert q.field_of_refusal(cinder, ["gigabytes", "volumes"]) == "volumes"
    # a resource whose name is part of another's is not mistaken for it
    rule = "Quota limit 1 for security_group_rule must be greater than or equal to already used and reserved 4."
    assert q.field_of_refusal(rule, ["security_group", "security_group_rule"]) == "security_group_rule"
    assert q.field_of_refusal("Something else went wrong.", ["instances"]) is None


def test_an_empty_quota_post_changes_nothing_and_says_so(admin_client, admin_sdk, quota_project):
    before = admin_sdk.compute.get_quota_set(quota_project.id).instances
    response = admin_client.post(f"/identity/projects/{quota_project.id}/quotas/", {}, follow=True)
    assert "No limit changed." in _text(response)
    assert admin_sdk.compute.get_quota_set(quota_project.id).instances == before


def test_a_limit_that_is_not_a_number_is_explained_not_a_500(admin_client, quota_project):
    response = admin_client.post(f"/identity/projects/{quota_project.id}/quotas/", {"volume-volumes": "ten"})
    assert response.status_code == 400
    assert "Enter a whole number." in _field_error(_text(response), "volume-volumes")
    assert 'value="ten"' in _text(response)
