from django.shortcuts import render

from dashboard.cloud import concurrently, connection


def instance_list(request):
    conn = connection(request)
    data = concurrently(
        {
            "servers": lambda: conn.compute.servers(details=True),
            "flavors": lambda: conn.compute.flavors(details=True),
        },
        services={"servers": "compute", "flavors": "compute"},
    )
    flavors = {f.id: f for f in data["flavors"]}
    rows = [{"server": s, "flavor": flavors.get(s.flavor.get("id")) if s.flavor else None} for s in data["servers"]]
    return render(request, "instances/list.html", {"rows": rows})
