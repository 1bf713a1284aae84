"""How the instances panel reads Nova's server documents (pure logic, no cloud)."""

from django.utils import translation
from openstack.compute.v2.server import Server

from dashboard.cloud.instances import instance_from, nova_filters, task_words
from dashboard.cloud.paging import ListParams


def server(**body):
    base = {"id": "11111111-2222-3333-4444-555555555555", "name": "web", "status": "ACTIVE"}
    return Server.existing(**{**base, **body})


def test_task_states_are_put_in_words():
    assert task_words("powering-off") == "Powering off"
    assert task_words("rebooting") == "Rebooting"
    assert task_words("resize_prep") == "Preparing resize"
    assert task_words("some_new-state") == "Some new state"
    assert task_words(None) == ""


def test_embedded_flavor_gives_name_and_sizes():
    inst = instance_from(server(flavor={"original_name": "m1.tiny", "vcpus": 1, "ram": 512, "disk": 1}))
    assert (inst.flavor.name, inst.flavor.vcpus, inst.flavor.ram, inst.flavor.disk) == ("m1.tiny", 1, 512, 1)


def test_addresses_keep_networks_and_mark_floating_ips():
    inst = instance_from(
        server(
            addresses={
                "private": [
                    {"addr": "10.0.0.5", "version": 4, "OS-EXT-IPS:type": "fixed"},
                    {"addr": "172.24.4.9", "version": 4, "OS-EXT-IPS:type": "floating"},
                ]
            }
        )
    )
    assert inst.fixed_ips == ["10.0.0.5"]
    assert inst.floating_ips == ["172.24.4.9"]
    assert list(inst.networks) == ["private"]


def test_boot_from_volume_has_no_image_id():
    inst = instance_from(server(image="", attached_volumes=[{"id": "vol-1"}]))
    assert inst.boots_from_volume and inst.volume_ids == ["vol-1"]
    assert not instance_from(server(image={"id": "img-1"})).boots_from_volume


def test_busy_while_a_task_runs():
    inst = instance_from(server(**{"OS-EXT-STS:task_state": "powering-off"}))
    assert inst.busy and inst.task_words == "Powering off"
    assert not instance_from(server()).busy


def test_name_filter_is_searched_literally_not_as_a_regex():
    filters = nova_filters(ListParams(filters={"name": "web.(1)", "status": "ACTIVE"}))
    assert filters == {"name": r"web\.\(1\)", "status": "ACTIVE"}
    assert nova_filters(ListParams()) == {}


def test_the_action_log_says_its_actions_in_words_and_its_users_by_name():
    from dashboard.cloud.instance_logs import ActionEvent, name_users

    events = [ActionEvent("createImage", "2026-12-07T01:03:43.000000", "u-demo"), ActionEvent("stop", "", "u-other")]
    named = name_users(events, {"u-demo": "demo"})
    assert [e.user_name for e in named] == ["demo", ""]  # an unknown user keeps its id (the page shows it)
    with translation.override("en"):
        assert [e.action_words for e in named] == ["Create snapshot", "Stop"]
    with translation.override("fr"):
        assert named[0].action_words == "Créer un instantané"
