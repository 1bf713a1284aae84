"""The floating IPs list names each row's instance from the port details Neutron sends with it
(no listing of the project's ports)."""

from dashboard.cloud.floatingips import floating_ip_info_from, name_all

NAMES = {"server": {"srv-1": "web-1"}, "network": {"ext": "public"}}


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
    named = name_all([bound, free], NAMES)
    assert [(f.device_id, f.device_name, f.network_name) for f in named] == [("srv-1", "web-1", "public"), ("", "", "")]
