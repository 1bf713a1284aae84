"""Registers Gnocchi and Ceilometer in Keystone and gives Gnocchi its archive policy.

Run by `devcloud up` (devcloud_telemetry.sh) with Debian's /usr/bin/python3, like seed.py:

    seed_telemetry.py identity   users gnocchi and ceilometer (admin in project service), the
                                 `metric` service (Gnocchi) and its endpoints
    seed_telemetry.py gnocchi    the archive policy `devcloud` and the rule that gives it to every
                                 new metric (Gnocchi's API must answer)

Every step looks up before it creates, so running either phase again changes nothing.
"""

import sys

from seed import REGION, SERVICE_PASSWORD, connect, ensure_member, ensure_project, ensure_role, ensure_user, say

GNOCCHI_URL = "http://127.0.0.1:8041"

# CPU % is the rate:mean of the cumulative `cpu` meter (ns of CPU time) over a granularity
ARCHIVE_POLICY = {
    "name": "devcloud",
    "back_window": 0,
    "aggregation_methods": ["mean", "rate:mean", "max", "min"],
    "definition": [
        {"granularity": "1 minute", "timespan": "1 day"},
        {"granularity": "1 hour", "timespan": "30 days"},
        {"granularity": "1 day", "timespan": "365 days"},
    ],
}
ARCHIVE_POLICY_RULE = {"name": "default", "metric_pattern": "*", "archive_policy_name": "devcloud"}


def seed_identity(admin):
    idc = admin.identity
    service_project = ensure_project(idc, "service", "devcloud service users")
    admin_role = ensure_role(idc, "admin")
    for name in ("gnocchi", "ceilometer"):
        ensure_member(idc, service_project, ensure_user(idc, name, SERVICE_PASSWORD), admin_role)
    service = next(iter(idc.services(type="metric")), None)
    if service is None:
        service = idc.create_service(name="gnocchi", type="metric", is_enabled=True)
        say("  service metric")
    have = {e.interface for e in idc.endpoints(service_id=service.id)}
    for interface in ("public", "internal", "admin"):
        if interface not in have:
            idc.create_endpoint(service_id=service.id, interface=interface, url=GNOCCHI_URL, region_id=REGION)


def seed_gnocchi(admin):
    session = admin.session
    metric = {"service_type": "metric", "interface": "public", "region_name": REGION}

    def find(path):
        return session.get(path, endpoint_filter=metric, raise_exc=False)

    if find(f"/v1/archive_policy/{ARCHIVE_POLICY['name']}").status_code == 404:
        session.post("/v1/archive_policy", json=ARCHIVE_POLICY, endpoint_filter=metric)
        say(f"  archive policy {ARCHIVE_POLICY['name']}")
    if find(f"/v1/archive_policy_rule/{ARCHIVE_POLICY_RULE['name']}").status_code == 404:
        session.post("/v1/archive_policy_rule", json=ARCHIVE_POLICY_RULE, endpoint_filter=metric)
        say(f"  archive policy rule {ARCHIVE_POLICY_RULE['name']}")


def main(argv):
    if len(argv) != 2 or argv[1] not in ("identity", "gnocchi"):
        print(__doc__, file=sys.stderr)
        return 2
    admin = connect("admin", "admin", "admin")
    if argv[1] == "identity":
        seed_identity(admin)
    else:
        seed_gnocchi(admin)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
