"""What each live topic polls, and what it tells the browsers.

One poller runs per (project, topic) however many browsers watch (dashboard.live.tasks runs it
tick by tick in Celery). Each poll function takes an openstacksdk connection scoped to the
project and returns the messages to send to the topic's channel group. The cloud calls
themselves are functions of dashboard.cloud (instances, overview, volumes, images, network);
what is here is the pollers' memory in Redis and what they send.

- instances: ``GET /servers/detail?changes-since=<last poll>`` once a second. An idle project
  answers an empty list; deleted instances come back with status DELETED, so rows can go away.
- overview: quota usage (compute, volume, network) and instance counts by status every 5 s
  (dashboard.cloud.overview, as the page shows them); sent only when something changed, and
  kept in Redis for the page's live partial (``last_overview``). The counts come from a
  {instance: status} map read once from a usage report and then followed with changes-since,
  so a tick costs 4 small calls whatever the number of instances (no listing of every server).
- diagnostics.<server id>: Nova server diagnostics (microversion 2.48) every 5 s, kept in
  Redis as a capped list (the last 10 minutes) for the charts of the instance detail page.
- metrics.<server id>: the instance's usage series from the metric service (Gnocchi: CPU, memory,
  disk, network; dashboard.cloud.telemetry) over the last minutes every 30 s, as the Usage card
  draws them; sent only when a series has a newer point than the last tick saw. Any member may
  watch it: Gnocchi answers a token only its project's resources.
- containers: the Swift account's listing (names, object counts, bytes) every 3 s, compared with
  the last one like the kinds below (Swift's own counts lag a few seconds behind writes).
- volumes, snapshots, backups, images, ports, networks, routers, floating_ips: Cinder, Glance and Neutron have no
  changes-since that reports deletions, so each tick lists the project's resources once and compares them with the last
  list (fingerprints in Redis); still one list per project per interval, whatever the viewers.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dashboard.cloud import (
    CloudError,
    backups,
    containers,
    floatingips,
    images,
    instance_logs,
    instances,
    networks,
    ports,
    routers,
    snapshots,
    telemetry,
    volumes,
)
from dashboard.cloud import overview as cloud_overview

from . import state

METRICS_LOOKBACK = 600  # seconds of points each metrics tick reads (a few of Ceilometer's polls)
DIAGNOSTICS_KEEP = 120  # samples: 10 minutes at one per 5 s
OVERVIEW_OPTIONAL_WAIT = 3  # seconds a tick waits for Cinder/Neutron before sending compute figures
FIRST_LOOKBACK = 60  # seconds of history the first tick of a chain looks at
OVERLAP = 2  # seconds: Nova's updated_at has a resolution of one second
_ID = re.compile(r"^[0-9a-fA-F-]{8,64}$")


@dataclass(frozen=True)
class Kind:
    name: str
    interval: float  # seconds between polls
    family: str  # whose token: "member" (any role in the project) or "admin"
    per_object: bool = False  # topics are "<kind>.<object id>"

    @property
    def lock_ttl(self) -> int:
        return int(self.interval * 3) + 10


KINDS = {
    "instances": Kind("instances", 1.0, "member"),
    "overview": Kind("overview", 5.0, "member"),
    "diagnostics": Kind("diagnostics", 5.0, "admin", per_object=True),
    "metrics": Kind("metrics", 30.0, "member", per_object=True),
    # services without a changes-since that reports deletions: one list per tick, diffed
    "volumes": Kind("volumes", 2.0, "member"),
    "snapshots": Kind("snapshots", 3.0, "member"),
    "backups": Kind("backups", 3.0, "member"),
    "images": Kind("images", 5.0, "member"),
    "ports": Kind("ports", 3.0, "member"),
    "networks": Kind("networks", 3.0, "member"),
    "routers": Kind("routers", 3.0, "member"),
    "floating_ips": Kind("floating_ips", 3.0, "member"),
    "containers": Kind("containers", 3.0, "member"),
}


# the kinds some page shows; the others are refused until a page uses them (a topic nobody
# needs is only a way to read a project's resources through someone else's token)
SHOWN = {
    "instances",
    "overview",
    "diagnostics",
    "metrics",
    "images",
    "volumes",
    "snapshots",
    "backups",
    "containers",
    "ports",
    "networks",
    "routers",
    "floating_ips",
}


def topic_of(kind: str, object_id: str | None = None) -> str | None:
    """The topic name for a subscription, or None if it is not one we serve."""
    spec = KINDS.get(kind)
    if spec is None or kind not in SHOWN:
        return None
    if spec.per_object:
        if not object_id or not _ID.match(object_id):
            return None
        return f"{kind}.{object_id}"
    return kind


def parse_topic(topic: str) -> tuple[Kind, str | None]:
    name, _, object_id = topic.partition(".")
    return KINDS[name], object_id or None


# --- instances ---------------------------------------------------------------------------------
def fingerprint(server: dict) -> str:
    """What a row shows: a change of any of these re-renders the row."""
    parts = [
        server.get("status", ""),
        server.get("OS-EXT-STS:task_state") or "",
        str(server.get("OS-EXT-STS:power_state", "")),
        server.get("updated", ""),
        server.get("name", ""),
        json.dumps(server.get("addresses", {}), sort_keys=True),
        json.dumps(server.get("os-extended-volumes:volumes_attached", []), sort_keys=True),
    ]
    return hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def poll_instances(conn, project_id: str, _object_id: str | None = None) -> list[dict]:
    r = state.r()
    since_key = state.key("since", project_id, "instances")
    seen_key = state.key("seen", project_id, "instances")
    now = datetime.now(UTC)
    stored_since = r.get(since_key)
    since = datetime.fromisoformat(stored_since) if stored_since else now - timedelta(seconds=FIRST_LOOKBACK)
    lookback = r.getdel(state.key("lookback", project_id, "instances"))
    forced = bool(lookback)
    if lookback:
        since = min(since, datetime.fromisoformat(lookback))

    servers, cloud_now = instances.list_changes_since(conn, since)
    state.count_request(project_id, "instances")
    # next time, ask from (the cloud's) now, with an overlap; the fingerprints drop repeats
    r.set(since_key, (cloud_now - timedelta(seconds=OVERLAP)).isoformat(), ex=3600)

    if not servers:
        return []
    known = r.hmget(seen_key, [s["id"] for s in servers])
    messages = []
    pipe = r.pipeline()
    for server, before in zip(servers, known, strict=True):
        sid = server["id"]
        if server.get("status") == "DELETED":
            if before is not None or forced or not stored_since:
                messages.append({"kind": "instances", "id": sid, "op": "delete", "status": "DELETED"})
            pipe.hdel(seen_key, sid)
            continue
        now_print = fingerprint(server)
        if forced or before != now_print:
            messages.append(
                {
                    "kind": "instances",
                    "id": sid,
                    "op": "upsert",
                    "status": server.get("status", ""),
                    "task_state": server.get("OS-EXT-STS:task_state"),
                    "v": now_print,  # a version: lets row views cache per change, not per viewer
                }
            )
            pipe.hset(seen_key, sid, now_print)
    pipe.expire(seen_key, 3600)
    pipe.execute()
    return messages


def request_lookback(project_id: str, topic: str, seconds: int = 30) -> None:
    """A new watcher may have missed changes between its page load and its subscription: the
    group's messages of that moment went to the others, and a chain's first look takes what it
    finds as what the page shows. The next tick sends again what changed in the last `seconds`
    (instances: by changes-since; the listed kinds: by their resources' updated_at)."""
    if topic == "instances" or topic in LISTINGS:
        moment = datetime.now(UTC) - timedelta(seconds=seconds)
        state.r().set(state.key("lookback", project_id, topic), moment.isoformat(), ex=60)


# --- overview ----------------------------------------------------------------------------------
GONE_STATUSES = ("DELETED", "SOFT_DELETED")


def followed_statuses(conn, project_id: str) -> dict[str, str]:
    """{instance id: status} of the project, kept in Redis: read once from a usage report, then
    followed with ``changes-since`` (an idle project answers an empty list), so no tick lists
    every server."""
    r = state.r()
    key = state.key("statuses", project_id, "overview")
    since_key = state.key("statuses-since", project_id, "overview")
    since = r.get(since_key)
    if since is None:
        asked = datetime.now(UTC)
        statuses = cloud_overview.get_server_statuses(conn, project_id)
        pipe = r.pipeline()
        pipe.delete(key)
        if statuses:
            pipe.hset(key, mapping=statuses)
        pipe.expire(key, 3600)
        pipe.set(since_key, (asked - timedelta(seconds=OVERLAP)).isoformat(), ex=3600)
        pipe.execute()
        return statuses
    servers, cloud_now = instances.list_changes_since(conn, datetime.fromisoformat(since))
    pipe = r.pipeline()
    for server in servers:
        if server.get("status") in GONE_STATUSES:
            pipe.hdel(key, server["id"])
        else:
            pipe.hset(key, server["id"], server.get("status") or "UNKNOWN")
    pipe.expire(key, 3600)
    pipe.set(since_key, (cloud_now - timedelta(seconds=OVERLAP)).isoformat(), ex=3600)
    pipe.execute()
    return r.hgetall(key)


def poll_overview(conn, project_id: str, _object_id: str | None = None) -> list[dict]:
    overview = cloud_overview.get_project_overview(
        conn,
        project_id,
        optional_wait=OVERVIEW_OPTIONAL_WAIT,
        statuses=lambda: followed_statuses(conn, project_id),
    )
    state.count_request(project_id, "overview", 4)
    last_key = state.key("last", project_id, "overview")
    last = state.r().get(last_key)
    if last and overview["missing"]:
        # a slow service keeps its last known figures rather than going blank
        known = {g["key"]: g for g in json.loads(last)["gauges"] if g["used"] is not None}
        overview["gauges"] = [known.get(g["key"], g) if g["used"] is None else g for g in overview["gauges"]]
        overview["missing"] = [
            name
            for name, gauges in cloud_overview.OPTIONAL.items()
            if name in overview["missing"] and gauges[0][0] not in known
        ]
    body = json.dumps(overview, sort_keys=True)
    if last == body:
        state.r().expire(last_key, 60)
        return []
    state.r().set(last_key, body, ex=60)
    return [{"kind": "overview", "op": "update", "overview": overview}]


def last_overview(project_id: str) -> dict | None:
    """The project's overview as its poller last saw it (at most a minute old), or None."""
    body = state.r().get(state.key("last", project_id, "overview"))
    return json.loads(body) if body else None


# --- diagnostics -------------------------------------------------------------------------------
def diagnostics_key(project_id: str, server_id: str) -> str:
    return state.key("diag", project_id, server_id)


def _totals(diag: dict) -> dict:
    cpus = diag.get("cpu_details") or []
    utilisations = [c["utilisation"] for c in cpus if c.get("utilisation") is not None]
    memory = diag.get("memory_details") or {}
    return {
        "cpu_time": sum(c.get("time") or 0 for c in cpus),
        "cpu_util": sum(utilisations) / len(utilisations) if utilisations else None,
        "num_cpus": diag.get("num_cpus") or len(cpus) or 1,
        "mem_used": memory.get("used") or 0,
        "mem_max": memory.get("maximum") or 0,
        "disk_read": sum(d.get("read_bytes") or 0 for d in diag.get("disk_details") or []),
        "disk_write": sum(d.get("write_bytes") or 0 for d in diag.get("disk_details") or []),
        "net_rx": sum(n.get("rx_octets") or 0 for n in diag.get("nic_details") or []),
        "net_tx": sum(n.get("tx_octets") or 0 for n in diag.get("nic_details") or []),
    }


def diagnostics_sample(totals: dict, previous: dict | None, moment: float) -> dict:
    """One chart point: CPU %, memory used %, and byte rates since the previous reading.

    Rates need two readings: the first point has None for them (a gap in the chart, not a 0).
    """

    def rate(name: str) -> float | None:
        if not previous or moment <= previous["t"]:
            return None
        return max(0.0, (totals[name] - previous[name]) / (moment - previous["t"]))

    def rounded(value: float | None, digits: int = 0):
        return None if value is None else round(value, digits) if digits else round(value)

    cpu = totals["cpu_util"]
    if cpu is None:
        cpu_time = rate("cpu_time")
        # cpu time is in nanoseconds, summed over the vCPUs
        cpu = None if cpu_time is None else 100 * cpu_time / 1e9 / totals["num_cpus"]
    return {
        "t": moment,
        "cpu": rounded(cpu, 1),
        # a share of the maximum: the unit Nova documents (MiB) is not what every driver reports
        "mem_pct": round(100 * totals["mem_used"] / totals["mem_max"], 1) if totals["mem_max"] else None,
        "mem_used": totals["mem_used"],
        "mem_max": totals["mem_max"],
        "disk_read": rounded(rate("disk_read")),
        "disk_write": rounded(rate("disk_write")),
        "net_rx": rounded(rate("net_rx")),
        "net_tx": rounded(rate("net_tx")),
    }


def poll_diagnostics(conn, project_id: str, server_id: str | None) -> list[dict]:
    r = state.r()
    raw_key = diagnostics_key(project_id, server_id) + ":raw"
    try:
        diag = instance_logs.get_diagnostics(conn, server_id)
    except CloudError as err:
        state.count_request(project_id, f"diagnostics.{server_id}")
        # e.g. 409 while the instance is not running: the page says so instead of a chart point
        return [{"kind": "diagnostics", "id": server_id, "op": "unavailable", "message": err.message}]
    state.count_request(project_id, f"diagnostics.{server_id}")
    moment = time.time()
    totals = _totals(diag)
    previous = r.get(raw_key)
    sample = diagnostics_sample(totals, json.loads(previous) if previous else None, moment)
    history = diagnostics_key(project_id, server_id)
    pipe = r.pipeline()
    pipe.set(raw_key, json.dumps({**totals, "t": moment}), ex=600)
    pipe.rpush(history, json.dumps(sample))
    pipe.ltrim(history, -DIAGNOSTICS_KEEP, -1)
    pipe.expire(history, 600)
    pipe.execute()
    return [{"kind": "diagnostics", "id": server_id, "op": "sample", "sample": sample}]


def diagnostics_history(project_id: str, server_id: str) -> list[dict]:
    return [json.loads(s) for s in state.r().lrange(diagnostics_key(project_id, server_id), 0, -1)]


# --- metrics (Gnocchi) ---------------------------------------------------------------------------
def poll_metrics(conn, project_id: str, server_id: str | None) -> list[dict]:
    """The instance's series over the last minutes (6 Gnocchi requests and Nova's read of the
    instance, at once); a message only when some series has a point the last tick did not."""
    message = {"kind": "metrics", "id": server_id}
    if not telemetry.offered(conn):
        return [{**message, "op": "unavailable", "message": telemetry.unavailable_message()}]
    _start, stop, preferred = telemetry.period("hour")
    start = stop - timedelta(seconds=METRICS_LOOKBACK)
    names = list(telemetry.SERIES)
    try:
        found = telemetry.read_series(
            conn,
            server_id,
            names,
            start,
            stop,
            preferred=preferred,
            vcpus=lambda answers: answers["server"].flavor.vcpus or 1,
            extra={"server": lambda: instances.get_instance(conn, server_id, names=False)},
        )
    except CloudError as err:
        return [{**message, "op": "unavailable", "message": err.message}]
    finally:
        state.count_request(project_id, f"metrics.{server_id}", len(names) + 1)
    drawn = {name: m for name, m in found.items() if isinstance(m, telemetry.Measures)}
    latest = json.dumps({name: m.points[-1][0] for name, m in drawn.items() if m.points}, sort_keys=True)
    last_key = state.key("metrics", project_id, server_id or "")
    r = state.r()
    if r.get(last_key) == latest:
        return []
    r.set(last_key, latest, ex=3600)
    granularity = max((m.granularity for m in drawn.values() if m.points), default=preferred)
    series = {name: m.points for name, m in drawn.items() if m.granularity == granularity}
    return [{**message, "op": "points", "granularity": granularity, "series": series}]


# --- other tables: list and compare -------------------------------------------------------------
# kind -> the project's resources as plain dicts (each with its "id")
LISTINGS = {
    "volumes": lambda conn, project_id: volumes.list_volume_bodies(conn),
    "snapshots": lambda conn, project_id: snapshots.list_snapshot_bodies(conn),
    "backups": lambda conn, project_id: backups.list_backup_bodies(conn),
    "images": lambda conn, project_id: images.list_image_bodies(conn, project_id),
    "ports": lambda conn, project_id: ports.list_port_bodies(conn, project_id),
    "networks": lambda conn, project_id: networks.list_network_bodies(conn, project_id),
    "routers": lambda conn, project_id: routers.list_router_bodies(conn, project_id),
    "floating_ips": lambda conn, project_id: floatingips.list_floating_ip_bodies(conn, project_id),
    "containers": lambda conn, project_id: containers.list_container_bodies(conn),
}


def changed_at(body: dict) -> datetime | None:
    """When a listed resource last changed (its updated_at: Cinder's naive UTC, Glance's and
    Neutron's with a Z), or None when its service does not say (Swift's containers)."""
    value = body.get("updated_at")
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def poll_listing(kind: str):
    """A poller for a table whose service has no changes-since with deletions (Cinder, Glance,
    Neutron): one list per tick for the whole project, compared with the last one in Redis."""
    list_fn = LISTINGS[kind]

    def poll(conn, project_id: str, _object_id: str | None = None) -> list[dict]:
        resources = list_fn(conn, project_id)
        state.count_request(project_id, kind)
        r = state.r()
        seen_key = state.key("seen", project_id, kind)
        primed_key = state.key("primed", project_id, kind)
        lookback = r.getdel(state.key("lookback", project_id, kind))
        since = datetime.fromisoformat(lookback) if lookback else None
        before = r.hgetall(seen_key)
        now = {}
        statuses = {}
        recent = set()  # changed since a new watcher's page may have been rendered
        for body in resources:
            now[body["id"]] = hashlib.sha1(
                json.dumps(body, sort_keys=True, default=str).encode(), usedforsecurity=False
            ).hexdigest()[:16]
            statuses[body["id"]] = body.get("status") or ""
            moment = changed_at(body) if since else None
            if moment and moment >= since:
                recent.add(body["id"])
        pipe = r.pipeline()
        if now:
            pipe.hset(seen_key, mapping=now)
        gone = [rid for rid in before if rid not in now]
        if gone:
            pipe.hdel(seen_key, *gone)
        pipe.expire(seen_key, 3600)
        pipe.set(primed_key, "1", ex=3600)
        primed = r.get(primed_key)
        pipe.execute()
        messages = [
            {"kind": kind, "id": rid, "op": "upsert", "status": statuses[rid], "v": fp}
            for rid, fp in now.items()
            # a first look takes the rest as what the page already shows
            if rid in recent or (primed and before.get(rid) != fp)
        ]
        if not primed:
            return messages
        messages += [{"kind": kind, "id": rid, "op": "delete", "status": "DELETED"} for rid in gone]
        return messages

    return poll


POLLERS = {
    "instances": poll_instances,
    "overview": poll_overview,
    "diagnostics": poll_diagnostics,
    "metrics": poll_metrics,
    **{kind: poll_listing(kind) for kind in LISTINGS},
}
