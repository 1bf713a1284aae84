"""Per-project quotas through the admin's form, enforced by the real Nova for a user of that project."""

import re
from types import SimpleNamespace

import pytest
from django.test import Client
from openstack import exceptions as sdk_exc

from dashboard.cloud import CloudError, call, translate
from dashboard.cloud import quotas as q
from tests.helpers import boot, logged_in, login, unique, user_sdk, wait_for_status

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


def _quota_page(client, project_id) -> str:
    """The quota page, one response: every service's section in it (Nova's, Cinder's, Neutron's),
    nothing loaded after it."""
    response = client.get(f"/identity/projects/{project_id}/quotas/")
    assert response.status_code == 200
    page = _text(response)
    assert 'hx-trigger="load"' not in page
    for field in ("compute-instances", "volume-volumes", "network-network"):
        assert f'name="{field}"' in page, field
    return page


def _quota_form(client, project_id) -> dict:
    """The quota form's current values, as a browser would submit them."""
    page = _quota_page(client, project_id)
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
    page = _quota_page(admin_client, quota_project.id)
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


# --- a new user's project: its quotas set by the admin on the pages, enforced by Nova -----------------
#
# The scenario's steps are module-scoped fixtures, each done once and only when a test needs it: the
# admin makes a project and a user on the identity pages, gives the user the member role on the project
# page and sets instances=1, cores=1 on the quota form; the user makes a network and launches once.
# Each test checks one step; a test needs only the fixtures it names, whatever ran before it.


@pytest.fixture(scope="module")
def admin_pages(devcloud, django_db_setup, django_db_blocker):
    """The admin's Django client for the steps below (module-scoped, so outside any one test's database)."""
    with django_db_blocker.unblock():
        yield logged_in(Client(), "admin")


@pytest.fixture(scope="module")
def newcomer(admin_pages, admin_sdk, module_cleanup):
    """A project and a user, made by the admin on the identity pages, with the pages' answers."""
    project_name, user_name = unique("zt-qp"), unique("zt-qu")
    project_response = admin_pages.post(
        "/identity/projects/create/", {"name": project_name, "description": "quota test", "enabled": "on"}
    )
    project = next(iter(admin_sdk.identity.projects(name=project_name)))
    module_cleanup.delete("project", project.id, conn=admin_sdk)
    module_cleanup.delete("quotas", project.id, conn=admin_sdk)
    user_response = admin_pages.post(
        "/identity/users/create/",
        {"name": user_name, "email": "", "password": PASSWORD, "confirm": PASSWORD},
    )
    user = next(iter(admin_sdk.identity.users(name=user_name)))
    module_cleanup.delete("user", user.id, conn=admin_sdk)
    return SimpleNamespace(project=project, user=user, project_response=project_response, user_response=user_response)


@pytest.fixture(scope="module")
def membership(admin_pages, admin_sdk, newcomer):
    """The member role for the user, given on the project's page; returns the page's answer."""
    member = next(r.id for r in admin_sdk.identity.roles() if r.name == "member")
    return admin_pages.post(
        f"/identity/projects/{newcomer.project.id}/members/add/", {"actor": f"user:{newcomer.user.id}", "role": member}
    )


@pytest.fixture(scope="module")
def one_instance_quota(admin_pages, newcomer):
    """instances=1 and cores=1, saved through the project's quota form; returns the form's answer."""
    form = _quota_form(admin_pages, newcomer.project.id)
    form.update({"compute-instances": "1", "compute-cores": "1"})
    return admin_pages.post(f"/identity/projects/{newcomer.project.id}/quotas/", form)


@pytest.fixture(scope="module")
def newcomer_sdk(newcomer, membership):
    """openstacksdk as the new user, in the new project (where the member role lets them in)."""
    return user_sdk(newcomer.user.name, PASSWORD, newcomer.project.id)


@pytest.fixture(scope="module")
def newcomer_network(newcomer_sdk, module_cleanup):
    """A network with a subnet, made by the user in the project."""
    network = newcomer_sdk.network.create_network(name=unique("zt-qnet"))
    module_cleanup.delete("network", network.id)
    subnet = newcomer_sdk.network.create_subnet(
        network_id=network.id, ip_version=4, cidr="10.77.0.0/24", name=unique("zt-qsub")
    )
    module_cleanup.delete("subnet", subnet.id)
    return network


@pytest.fixture(scope="module")
def first_launch(newcomer_sdk, newcomer_network, one_instance_quota, module_cleanup):
    """The user's first instance, launched once the quotas are set: as Nova accepted it."""
    return boot(newcomer_sdk, unique("zt-qvm"), network=newcomer_network.id, wait=False, cleanup=module_cleanup)


@pytest.fixture(scope="module")
def first_active(newcomer_sdk, first_launch):
    """The first instance once ACTIVE: it takes the project's whole quota."""
    return wait_for_status(newcomer_sdk, first_launch.id, "ACTIVE", timeout=120)


def test_admin_makes_the_project_and_the_user_on_the_pages(newcomer):
    assert newcomer.project_response.status_code == 302
    assert newcomer.user_response.status_code == 302


def test_admin_gives_the_member_role_on_the_project_page(admin_sdk, newcomer, membership):
    assert membership.status_code == 302
    roles = {
        a.role["name"]
        for a in admin_sdk.identity.role_assignments(
            scope_project_id=newcomer.project.id, user_id=newcomer.user.id, include_names=True
        )
    }
    assert roles == {"member"}


def test_admin_sets_one_instance_and_one_core_on_the_quota_form_and_nova_holds_them(
    admin_sdk, newcomer, one_instance_quota
):
    assert one_instance_quota.status_code == 302, _text(one_instance_quota)[:3000]
    nova = admin_sdk.compute.get_quota_set(newcomer.project.id)
    assert (nova.instances, nova.cores) == (1, 1)


def test_new_user_logs_into_zenith_and_lands_in_the_project(newcomer, membership):
    user_client = Client()
    response = login(user_client, newcomer.user.name, password=PASSWORD)
    assert response.status_code == 302
    assert user_client.session["keystone"]["project_id"] == newcomer.project.id
    assert user_client.get("/identity/projects/").status_code == 403


def test_first_launch_fits_the_quota_and_goes_active(newcomer_sdk, first_launch):
    first = wait_for_status(newcomer_sdk, first_launch.id, "ACTIVE", timeout=120)
    assert first.status == "ACTIVE"


def test_second_launch_is_refused_by_nova_and_worded_quota_exceeded(
    newcomer_sdk, newcomer_network, first_active, cleanup
):
    with pytest.raises(sdk_exc.HttpException) as refused:
        boot(newcomer_sdk, unique("zt-qvm"), network=newcomer_network.id, wait=False, cleanup=cleanup)
    assert refused.value.status_code == 403
    assert "quota" in str(refused.value).lower()
    message = translate(refused.value, service="compute")
    assert isinstance(message, CloudError) and message.kind == "quota"
    assert message.message.startswith("Quota exceeded")
    assert len(list(newcomer_sdk.compute.servers())) == 1


def test_quota_page_shows_the_usage_and_refuses_a_limit_below_it(admin_client, admin_sdk, newcomer, first_active):
    project = newcomer.project
    page = _quota_page(admin_client, project.id)
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


def test_nova_itself_refuses_a_limit_below_the_usage(admin_sdk, newcomer, first_active):
    """What the form shows if usage grew after Zenith's own check."""
    project = newcomer.project
    with pytest.raises(CloudError) as nova_refused:
        call(lambda: q.update_compute_quotas(admin_sdk, project.id, {"instances": 0}), service="compute")
    reason = nova_refused.value.detail
    assert "must be greater than or equal to already used and reserved 1" in reason
    assert q.field_of_refusal(reason, ["cores", "instances"]) == "instances"
    assert admin_sdk.compute.get_quota_set(project.id).instances == 1


def test_novas_refusal_sits_beside_the_field_and_the_other_services_still_save(
    admin_client, admin_sdk, newcomer, first_active, monkeypatch
):
    project = newcomer.project
    # with Zenith's own check out of the way, Nova's reason sits beside the field
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
