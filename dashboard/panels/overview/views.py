from django.shortcuts import render

from dashboard.cloud import concurrently, connection


def overview(request):
    conn = connection(request)
    pid = request.keystone.project_id
    data = concurrently(
        {
            "compute": lambda: conn.compute.get_limits(),
            "volume": lambda: conn.block_storage.get_limits(),
            "network": lambda: conn.network.get_quota(pid, details=True),
        },
        services={"compute": "compute", "volume": "volume", "network": "network"},
        optional=("volume", "network"),
    )
    gauges = quota_gauges(data)
    return render(request, "overview/overview.html", {"gauges": gauges})


def _gauge(label, used, limit, unit=""):
    limit = None if limit is None or limit < 0 else limit
    percent = 0 if not limit else min(100, round(100 * used / limit))
    return {"label": label, "used": used, "limit": limit, "unit": unit, "percent": percent}


def quota_gauges(data):
    gauges = []
    c = data["compute"].absolute
    gauges += [
        _gauge("Instances", c.instances_used, c.instances),
        _gauge("vCPUs", c.total_cores_used, c.total_cores),
        _gauge("RAM", c.total_ram_used, c.total_ram, "MB"),
    ]
    v = data.get("volume")
    if v is not None and not isinstance(v, Exception):
        a = v.absolute
        gauges += [
            _gauge("Volumes", a.total_volumes_used, a.max_total_volumes),
            _gauge("Volume storage", a.total_gigabytes_used, a.max_total_volume_gigabytes, "GB"),
        ]
    n = data.get("network")
    if n is not None and not isinstance(n, Exception):
        for label, key in (
            ("Floating IPs", "floating_ips"),
            ("Networks", "networks"),
            ("Security groups", "security_groups"),
        ):
            q = getattr(n, key, None) or {}
            gauges.append(_gauge(label, q.get("used", 0), q.get("limit")))
    return gauges
