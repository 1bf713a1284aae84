"""How a list page asks Nova for exactly one page, through the shared marker pager (pure logic,
with a stand-in for the SDK)."""

from types import SimpleNamespace

from openstack.compute.v2.server import Server

from dashboard.cloud.instances import _server_page
from dashboard.cloud.paging import ListParams


class FakeCompute:
    """Records the query and answers like Nova would for `total` instances named s00, s01, ..."""

    def __init__(self, total: int):
        self.ids = [f"{i:08d}-0000-0000-0000-000000000000" for i in range(total)]
        self.queries = []

    def servers(self, details=True, **query):
        self.queries.append(query)
        ids = self.ids if query["sort_dir"] == "asc" else self.ids[::-1]
        if "marker" in query:
            ids = ids[ids.index(query["marker"]) + 1 :]
        return [Server.existing(id=i, name=f"s{i[:8]}", status="ACTIVE") for i in ids[: query["limit"]]]


def conn_with(total):
    return SimpleNamespace(compute=FakeCompute(total))


def _one_page(conn, params):
    page = _server_page(conn, params)
    return page.items, bool(page.next_marker if not params.before else page.prev_before)


def test_asks_one_unpaginated_page_with_one_extra_row():
    conn = conn_with(1000)
    servers, more = _one_page(conn, ListParams(limit=20, sort="name", direction="asc"))
    assert len(servers) == 20 and more
    (query,) = conn.compute.queries
    assert query["limit"] == 21 and query["paginated"] is False
    assert query["sort_key"] == "display_name" and query["sort_dir"] == "asc"


def test_last_page_has_no_more():
    conn = conn_with(3)
    servers, more = _one_page(conn, ListParams(limit=2, sort="created", direction="asc", marker=conn.compute.ids[1]))
    assert [s.id for s in servers] == [conn.compute.ids[2]] and not more


def test_previous_page_reverses_the_sort_and_the_rows():
    conn = conn_with(5)
    ids = conn.compute.ids
    servers, more = _one_page(conn, ListParams(limit=2, sort="created", direction="asc", before=ids[3]))
    assert conn.compute.queries[0]["sort_dir"] == "desc" and conn.compute.queries[0]["marker"] == ids[3]
    assert [s.id for s in servers] == [ids[1], ids[2]]
    assert more  # ids[0] is still before


def test_filters_are_passed_to_nova():
    conn = conn_with(0)
    _one_page(conn, ListParams(filters={"name": "web", "status": "SHUTOFF"}, sort="created"))
    query = conn.compute.queries[0]
    assert query["name"] == "web" and query["status"] == "SHUTOFF"
    assert query["sort_key"] == "created_at" and query["sort_dir"] == "desc"


def test_pager_links_point_both_ways_from_a_middle_page():
    conn = conn_with(6)
    ids = conn.compute.ids
    page = _server_page(conn, ListParams(limit=2, sort="created", direction="asc", marker=ids[1]))
    assert [s.id for s in page.items] == [ids[2], ids[3]]
    assert page.next_marker == ids[3] and page.prev_before == ids[2]
