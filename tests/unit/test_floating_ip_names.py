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


def test_what_the_names_do_not_name_keeps_its_id_for_the_names_part():
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


# --- the list's names part: what the page asks for, what the part accepts --------------------------
FIP = "11111111-1111-1111-1111-111111111111"
SRV = "22222222-2222-2222-2222-222222222222"
NET = "33333333-3333-3333-3333-333333333333"


def test_the_page_asks_for_every_rows_pool_and_its_associated_rows_instance():
    from dashboard.ui.name_parts import names_query

    bound = floating_ip_info_from(
        {"id": FIP, "floating_network_id": NET, "port_id": "p1", "port_details": {"device_id": SRV}}
    )
    free = floating_ip_info_from({"id": SRV, "floating_network_id": NET})

    def query(fips):
        fips = name_all(fips, {})
        return names_query(
            row=((f.id, f.device_id) for f in fips if f.device_id),
            pool=((f.id, f.network_id) for f in fips if f.network_id),
        )

    assert query([bound, free]) == f"?row={FIP}%3A{SRV}&pool={FIP}%3A{NET}&pool={SRV}%3A{NET}"
    assert query([floating_ip_info_from({"id": FIP})]) == ""  # nothing to name: the page loads no part


def test_the_part_takes_well_formed_pairs_once_and_at_most_a_page():
    from dashboard.ui.name_parts import asked_rows

    asked = [f"{FIP}:{SRV}", f"{FIP}:{SRV}", "x:y", f"{FIP}", f"{FIP}:{SRV}<script>", f"{SRV}:{FIP}"]
    assert asked_rows(asked, 100) == [(FIP, SRV), (SRV, FIP)]
    many = [f"{FIP[:-3]}{i:03d}:{SRV}" for i in range(300)]
    assert len(asked_rows(many, 100)) == 100
