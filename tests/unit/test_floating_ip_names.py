"""The floating IPs list names each row's instance from the port details Neutron sends with it
(no listing of the project's ports)."""

from dashboard.cloud.floatingips import floating_ip_info_from, name_all

NETWORKS, SERVERS = {"ext": "public"}, {"srv-1": "web-1"}


def test_the_instance_comes_from_the_floating_ips_port_details():
    bound = floating_ip_info_from(
        {
            "id": "f1",
            "floating_ip_address": "172.24.4.10",
            "floating_network_id": "ext",
            "port_id": "p1",
            "port_details": {"device_id": "srv-1", "device_owner": "compute:nova"},
        }
    )
    free = floating_ip_info_from({"id": "f2", "floating_ip_address": "172.24.4.11", "port_details": None})
    named = name_all([bound, free], NETWORKS, SERVERS)
    assert [(f.device_id, f.device_name, f.network_name) for f in named] == [("srv-1", "web-1", "public"), ("", "", "")]


def test_what_the_names_do_not_name_keeps_its_id():
    bound = floating_ip_info_from(
        {"id": "f1", "floating_network_id": "gone", "port_id": "p1", "port_details": {"device_id": "srv-1"}}
    )
    (named,) = name_all([bound], NETWORKS)
    assert (named.device_id, named.device_name, named.network_id, named.network_name) == ("srv-1", "", "gone", "")


def test_a_port_gone_from_the_floating_ip_drops_the_instance():
    # Neutron may still send port details while the floating IP has no port: no instance then
    stale = floating_ip_info_from({"id": "f3", "port_id": None, "port_details": {"device_id": "srv-1"}})
    (named,) = name_all([stale], NETWORKS, SERVERS)
    assert (named.device_id, named.device_name) == ("", "")


def test_a_failed_names_listing_leaves_the_ids():
    # list_page hands a failed call's result as None, concurrently's optional calls as the CloudError
    from dashboard.cloud import CloudError

    bound = floating_ip_info_from(
        {"id": "f1", "floating_network_id": "ext", "port_id": "p1", "port_details": {"device_id": "srv-1"}}
    )
    (named,) = name_all([bound], None, CloudError("unavailable", "Neutron is down"))
    assert (named.network_id, named.network_name, named.device_id, named.device_name) == ("ext", "", "srv-1", "")
