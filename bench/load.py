"""Load and scale-out: many logged-in users and open websockets against Zenith run as a site runs it.

Zenith is started here on 127.0.0.1 with its own Redis prefix (zenith-load-<layout>) and its own
SQLite file in var/load/ (or --database-url), in one or both layouts:

    one   one ASGI process (uvicorn, tools/serve.sh) and one Celery worker, the users talking to it
          directly
    two   two ASGI processes and two Celery workers behind HAProxy (round robin, no sticky
          sessions; its config is generated into var/load/haproxy.cfg); halfway through, one
          ASGI process is killed (SIGKILL) and its clients must carry on through the other

How the two ASGI processes are run (--workers-by):
    uvicorn   one `uvicorn --workers 2` (tools/serve.sh, DASHBOARD_WORKERS=2) on one port, the one
              HAProxy server; the process killed is one of its workers, which uvicorn's supervisor
              replaces (the documented way: docs/deployment.md)
    gunicorn  one `gunicorn -k uvicorn_worker.UvicornWorker -w 2` on one port, likewise (gunicorn and
              uvicorn-worker are not in requirements.txt: install them to compare)
    ports     two `uvicorn --workers 1` on two ports, two HAProxy servers (what the balancer does over
              several machines); the process killed is one of them, and stays down

Each run: the users log in through the real login form (CSRF token from the form; demo/demo,
switched to project demo), each page is timed on the idle server ("alone": median of 3), then for the
run's duration every user loads the panels' pages one after the other (no think time unless
--think) while the websockets (spread over the users' sessions) are subscribed to demo's live
topics. Meanwhile a real instance of demo is stopped and started again (openstacksdk as demo) and
every websocket must get both status changes, whichever process holds it.

Printed per run: pages/s, p50/p95 per page and overall, errors (target 0; in the two-process run
the requests in flight at the kill and in the seconds after it are counted apart, target 0 after),
which process served each user's pages, the websockets' drops and reconnections, the status
frames each process's sockets got, peak RSS of each Zenith and worker process, CPU use by role
(where the time goes: Zenith's processes, the workers, this load client, the rest of the machine
i.e. the cloud), and the cloud requests the live pollers made per second (their own counter and
nova-api's log of the instances poller's changes-since lists, bench/live_latency.py's helper).
Under the page load those rates follow the saturated cloud's answer times; so after the load comes
a quiet phase (--quiet, 40 s): the sockets stay open, no page is asked, and nova-api's requests for
the project (all of them the pollers') are counted: one poller per project and kind, so the same
rate with two workers as with one (target within 10%). Throughout, the poller locks
(dashboard.live.state's lock:<project>:<topic>) are read every second: per topic, the chains seen,
the handovers, and the most chains alive at one moment (target 1).

Usage: .venv/bin/python bench/load.py [--layout one|two|both] [--duration 120] [--users 50]
       [--sockets 200] [--think 0] [--workers-by uvicorn|gunicorn|ports] [--quiet 40]
       [--database-url URL] [--project demo] [--instance ID] [--json FILE]
A quick try: --duration 20 --users 10 --sockets 20. Ports 8100-8199 (--port).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "load"
BIN = Path(sys.executable).parent
SECRET_KEY = "zenith-bench-only-key-not-secret-0123456789-abcdefghijklmnop"

PAGES = {
    "overview": "/project/",
    "instances": "/project/instances/",
    "volumes": "/project/volumes/",
    "images": "/project/images/",
    "networks": "/project/networks/",
    "routers": "/project/routers/",
    "floating IPs": "/project/floating-ips/",
    "containers": "/project/containers/",
}
# every socket watches instances (the status frames checked) and one more kind of the project
EXTRA_KINDS = ["overview", "volumes", "images", "networks", "containers", "routers", "floating_ips", "ports"]
SERVER_HEADER = "X-Zenith-Server"  # set by HAProxy: which Zenith process answered
KILL_AT = 0.5  # of the run, in the two-process layout
AFTER_KILL = 5.0  # seconds after the kill counted apart from the rest of the run
GRACE = 30.0  # seconds the sockets stay open after the load for the last status change's frame
QUIET = 40.0  # seconds of the quiet phase: no page traffic, the sockets still open (--quiet)


# --- pure parts (tests/unit/test_bench_load.py) ---------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest rank: the smallest value with at least q% of the values at or below it."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil
    return ordered[int(rank) - 1]


@dataclass
class Sample:
    page: str
    started: float  # seconds since the run's start
    ended: float
    error: str = ""  # empty: a 200
    server: str = ""  # the process that answered (behind HAProxy)
    user: int = 0


def summarize(samples: list[Sample], seconds: float) -> dict:
    """Count, rate, p50/p95 of the successful loads, errors: one row of the table."""
    ok = [s.ended - s.started for s in samples if not s.error]
    return {
        "pages": len(samples),
        "per_second": len(samples) / seconds if seconds > 0 else 0.0,
        "p50": percentile(ok, 50),
        "p95": percentile(ok, 95),
        "errors": sum(1 for s in samples if s.error),
    }


def errors_around(samples: list[Sample], kill: float, after: float = AFTER_KILL) -> dict:
    """Errors before the kill, of the requests in flight at it, of those started in `after` s, and later."""
    counts = {"before": 0, "in_flight": 0, "just_after": 0, "later": 0}
    in_flight, kinds = 0, {where: Counter() for where in counts}
    for s in samples:
        if s.started < kill <= s.ended:
            in_flight += 1
            where = "in_flight"
        elif s.ended < kill:
            where = "before"
        elif s.started < kill + after:
            where = "just_after"
        else:
            where = "later"
        counts[where] += bool(s.error)
        if s.error:
            kinds[where][s.error] += 1
    counts["requests_in_flight"] = in_flight
    # by kind: a 503 is Zenith's own answer (the cloud failed or timed out), not the kill's doing
    counts["kinds"] = {where: dict(kinds[where]) for where in kinds if kinds[where]}
    return counts


def haproxy_config(port: int, servers: list[tuple[str, int]], stats_socket: Path) -> str:
    """HAProxy in front of Zenith's ASGI processes: round robin per request, no stickiness.

    Websockets are upgraded through (`timeout tunnel` keeps an idle one open); a process that stops
    answering /healthz is out within two seconds. A GET (or HEAD) whose connection is refused, or
    that a process closed without answering (it was killed mid-request), is sent again to another
    process (L7 retries, redispatched on every retry): a page read has no effect to repeat. Other
    methods are never replayed (a POST may have done its work before the process died), and neither
    is a slow answer (no response-timeout: replaying an expensive page doubles the load) nor a 503
    (Zenith's own page saying the cloud failed).
    """
    lines = [
        "# generated by bench/load.py: HAProxy in front of Zenith's ASGI processes",
        "global",
        "    maxconn 4096",
        f"    stats socket {stats_socket} mode 600 level admin",
        "",
        "defaults",
        "    mode http",
        "    option forwardfor          # Zenith: DASHBOARD_TRUSTED_PROXIES=1",
        "    option redispatch 1        # every retry goes to another process",
        "    retries 3",
        "    retry-on conn-failure empty-response  # refused, or closed with no answer (a killed process)",
        "    timeout connect 5s",
        "    timeout client 120s",
        "    timeout server 120s",
        "    timeout http-request 10s   # the request's headers (no http-buffer-request: bodies stream)",
        "    timeout tunnel 1h          # an upgraded websocket, idle between frames",
        "",
        "frontend zenith",
        f"    bind 127.0.0.1:{port}",
        "    default_backend zenith",
        "",
        "backend zenith",
        "    balance roundrobin         # no sticky sessions: sessions and live state are shared",
        "    option httpchk GET /healthz",
        "    http-check expect status 200",
        "    http-request disable-l7-retry unless METH_GET  # only GET/HEAD are replayed, never a POST",
        f"    http-response set-header {SERVER_HEADER} %s",
    ]
    lines += [f"    server {name} 127.0.0.1:{p} check inter 1s fall 2 rise 2" for name, p in servers]
    return "\n".join(lines) + "\n"


def frames_by_server(sockets: list[dict], server_id: str, status: str, since: float) -> dict[str, tuple[int, int]]:
    """Per Zenith process: (sockets that got the status frame of server_id after `since`, sockets)."""
    got: dict[str, int] = Counter()
    total: dict[str, int] = Counter()
    for sock in sockets:
        hits = [f for f in sock["frames"] if f[1] == server_id and f[2] == status and f[0] >= since]
        where = hits[0][3] if hits else sock["server_at"](since)
        total[where] += 1
        got[where] += bool(hits)
    return {name: (got[name], total[name]) for name in sorted(total)}


NOVA_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) .*requestlog .* time: ([0-9.]+)")


def nova_request_times(lines: list[str], project_id: str, since: datetime, until: datetime) -> list[float]:
    """Seconds nova-api took for each request of the project logged between since and until."""
    times = []
    for line in lines:
        match = NOVA_LINE.match(line)
        if match and project_id in line and since <= datetime.fromisoformat(match.group(1)) <= until:
            times.append(float(match.group(2)))
    return times


def poller_chains(samples: list[tuple[float, dict[str, str]]]) -> dict[str, dict]:
    """Per topic, from the poller locks sampled every second ((moment, {topic: chain id}), see
    dashboard.live.state): the chains seen, the handovers (a chain found in place of another: the
    lock lapsed or was released and a new chain started), and the most chains alive at one moment,
    a chain being alive from the first to the last sample that found its id (target 1)."""
    lives: dict[str, dict[str, list[float]]] = defaultdict(dict)
    handovers: Counter = Counter()
    previous: dict[str, str] = {}
    for moment, locks in sorted(samples, key=lambda sample: sample[0]):
        for topic, chain in locks.items():
            life = lives[topic].setdefault(chain, [moment, moment])
            life[1] = moment
            if previous.get(topic) not in (None, chain):
                handovers[topic] += 1
        previous = {**previous, **locks}
    result = {}
    for topic, chains in sorted(lives.items()):
        spans = list(chains.values())
        at_once = max(sum(1 for first, last in spans if first <= moment <= last) for moment, _ in spans)
        result[topic] = {"chains": len(spans), "handovers": handovers[topic], "at_once": at_once}
    return result


def read_nova_logs() -> list[str]:
    from live_latency import NOVA_LOGS

    return [line for path in NOVA_LOGS for line in path.read_text(errors="replace").splitlines()]


# --- Zenith's processes ----------------------------------------------------------------------------
def port_open(port: int) -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Site:
    """The processes of one run: the ASGI server(s) (uvicorn), Celery worker(s), HAProxy for two."""

    def __init__(self, layout: str, base_port: int, args):
        self.layout, self.args = layout, args
        self.asgi_count = 1 if layout == "one" else 2  # ASGI processes serving requests
        self.way = "ports" if layout == "one" else args.workers_by
        self.prefix = f"zenith-load-{layout}"
        self.front = base_port if layout == "one" else base_port + 10
        # one port per server HAProxy balances over: a process each, or one for the workers of a supervisor
        servers = self.asgi_count if self.way == "ports" else 1
        self.asgi_ports = [self.front] if layout == "one" else [self.front + 1 + i for i in range(servers)]
        self.names = [f"zenith-{i + 1}" for i in range(servers)] if servers > 1 or layout == "one" else ["zenith"]
        self.asgi: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.haproxy: subprocess.Popen | None = None
        self.stats_socket = VAR / f"haproxy-{layout}.sock"
        database = args.database_url or f"sqlite:///{VAR / f'{layout}.sqlite3'}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "dashboard.settings",
            "DASHBOARD_SECRET_KEY": SECRET_KEY,
            "DASHBOARD_REDIS_PREFIX": self.prefix,
            "DASHBOARD_DATABASE_URL": database,
            "DASHBOARD_TRUSTED_PROXIES": "1" if layout == "two" else "0",
            "DASHBOARD_ALLOWED_HOSTS": "127.0.0.1",
            "DASHBOARD_HOST": "127.0.0.1",
            "DASHBOARD_SHUTDOWN_SECONDS": "10",
            "ZENITH_PYTHON": str(BIN / "python"),
        }

    def log(self, name: str):
        return (VAR / f"{self.layout}-{name}.log").open("w")

    def start(self):
        VAR.mkdir(parents=True, exist_ok=True)
        if not self.args.database_url:
            (VAR / f"{self.layout}.sqlite3").unlink(missing_ok=True)
        busy = [p for p in [self.front, *self.asgi_ports] if port_open(p)]
        if busy:
            sys.exit(f"ports {busy} are in use: another run? (--port)")
        self._clear_redis()
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "-v", "0", "--noinput"], cwd=ROOT, env=self.env, check=True
        )
        workers = 1 if self.way == "ports" else self.asgi_count
        for name, port in zip(self.names, self.asgi_ports, strict=True):
            env = {**self.env, "DASHBOARD_PORT": str(port), "DASHBOARD_WORKERS": str(workers)}
            # no access log in any way measured: gunicorn writes none unless told to
            cmd = [str(ROOT / "tools" / "serve.sh"), "--no-access-log"]
            if self.way == "gunicorn":
                cmd = [
                    str(BIN / "python"),
                    "-m",
                    "gunicorn",
                    "dashboard.asgi:application",
                    "-k",
                    "uvicorn_worker.UvicornWorker",
                    "-w",
                    str(workers),
                    "-b",
                    f"127.0.0.1:{port}",
                    "--graceful-timeout",
                    "10",
                ]
            self.asgi.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log(name), stderr=subprocess.STDOUT))
        for i in range(self.asgi_count):
            cmd = [
                str(BIN / "celery"),
                "-A",
                "dashboard",
                "worker",
                "-l",
                "warning",
                "-c",
                "2",
                "-n",
                f"load{i + 1}@%h",
            ]
            self.workers.append(
                subprocess.Popen(
                    cmd, cwd=ROOT, env=self.env, stdout=self.log(f"worker-{i + 1}"), stderr=subprocess.STDOUT
                )
            )
        if self.layout == "two":
            config = VAR / "haproxy.cfg"
            config.write_text(
                haproxy_config(self.front, list(zip(self.names, self.asgi_ports, strict=True)), self.stats_socket)
            )
            haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
            if not Path(haproxy).exists():
                sys.exit("haproxy is not installed: make system-deps")
            checked = subprocess.run([haproxy, "-c", "-q", "-f", str(config)], capture_output=True, text=True)
            if checked.returncode != 0:
                sys.exit(f"HAProxy refuses {config}: {checked.stdout}{checked.stderr}")
            self.haproxy = subprocess.Popen(
                [haproxy, "-db", "-f", str(config)], stdout=self.log("haproxy"), stderr=subprocess.STDOUT
            )
        self._wait_up()

    def _wait_up(self):
        import httpx

        deadline = time.monotonic() + 90
        for port in [*self.asgi_ports, self.front]:
            while True:
                for proc in [*self.asgi, *self.workers] + ([self.haproxy] if self.haproxy else []):
                    if proc.poll() is not None:
                        sys.exit(f"{' '.join(map(str, proc.args[:3]))} exited at start-up: see {VAR}")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    sys.exit(f"Zenith did not answer on :{port} within 90 s: see {VAR}")
                time.sleep(0.5)
        time.sleep(3)  # the workers print nothing at -l warning: their start-up time

    @functools.cached_property
    def redis(self):
        """One client for the benchmark's own reads of Zenith's keys (the Redis Zenith is given)."""
        import redis

        return redis.Redis.from_url(os.environ.get("DASHBOARD_REDIS_URL", "redis://127.0.0.1:6379/0"))

    def _clear_redis(self):
        client = self.redis
        keys = list(client.scan_iter(f"{self.prefix}:*", count=1000))
        for i in range(0, len(keys), 500):
            client.delete(*keys[i : i + 500])

    def poller_requests(self, project_id: str) -> dict[str, int]:
        """The pollers' own counters (dashboard.live.state.count_request), per kind."""
        client = self.redis
        prefix = f"{self.prefix}:live:requests:{project_id}:"
        return {k.decode()[len(prefix) :]: int(client.get(k) or 0) for k in client.scan_iter(prefix + "*")}

    def poller_locks(self, project_id: str) -> dict[str, str]:
        """The project's poller locks now: topic -> the id of the chain holding it."""
        client = self.redis
        prefix = f"{self.prefix}:live:lock:{project_id}:"
        keys = list(client.scan_iter(prefix + "*", count=1000))
        values = client.mget(keys) if keys else []
        return {k.decode()[len(prefix) :]: v.decode() for k, v in zip(keys, values, strict=True) if v}

    def haproxy_stats(self) -> dict[str, dict]:
        """Per server: retries and redispatches HAProxy made (its stats socket)."""
        import socket

        if not self.haproxy:
            return {}
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.settimeout(2)
                s.connect(str(self.stats_socket))
                s.sendall(b"show stat\n")
                data = b""
                while chunk := s.recv(65536):
                    data += chunk
        except OSError:
            return {}
        rows = data.decode().splitlines()
        head = rows[0].lstrip("# ").split(",")
        stats = {}
        for row in rows[1:]:
            values = dict(zip(head, row.split(","), strict=False))
            if values.get("pxname") == "zenith" and values.get("svname") in (*self.names, "BACKEND"):
                stats[values["svname"]] = {k: values.get(k) for k in ("stot", "wretr", "wredis", "hrsp_5xx", "status")}
        return stats

    def asgi_workers(self) -> list[int]:
        """The pids of the processes serving requests: the servers' own, or their supervisor's workers."""
        import psutil

        if self.way == "ports":
            return [proc.pid for proc in self.asgi if proc.poll() is None]
        # uvicorn's supervisor also runs multiprocessing's resource tracker: not a worker
        children = psutil.Process(self.asgi[0].pid).children()
        return sorted(c.pid for c in children if "resource_tracker" not in " ".join(c.cmdline()))

    def kill_one(self) -> str:
        if self.way == "ports":
            self.asgi[0].send_signal(signal.SIGKILL)
            self.asgi[0].wait()
            return self.names[0]
        pid = self.asgi_workers()[0]
        os.kill(pid, signal.SIGKILL)
        return f"worker {pid} of {self.names[0]} ({self.way}: {self.asgi_count} workers)"

    def stop(self):
        import psutil

        children = []  # a supervisor's workers: killed too if it has to be
        for proc in self.asgi:
            try:
                children += psutil.Process(proc.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                pass
        for proc in [*self.asgi, *self.workers] + ([self.haproxy] if self.haproxy else []):
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.asgi, *self.workers] + ([self.haproxy] if self.haproxy else []):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for child in children:
            if child.is_running():
                child.kill()
        self.stats_socket.unlink(missing_ok=True)
        self._clear_redis()


class Meter:
    """Peak RSS per process (with its children: Celery's pool) and CPU seconds per role."""

    def __init__(self, site: Site):
        import psutil

        self.psutil = psutil
        self.roles = {name: proc.pid for name, proc in zip(site.names, site.asgi, strict=True)}
        self.roles |= {f"worker-{i + 1}": proc.pid for i, proc in enumerate(site.workers)}
        self.peak: dict[str, int] = defaultdict(int)
        self.cpu: dict[str, float] = {}  # the last reading of each role's CPU seconds (they can die)
        self.cpu_start: dict[str, float] = {}
        self.machine_start = psutil.cpu_times()
        self.started = self.last = time.monotonic()
        self.me = psutil.Process()

    def _tree(self, pid: int):
        try:
            proc = self.psutil.Process(pid)
            return [proc, *proc.children(recursive=True)]
        except self.psutil.NoSuchProcess:
            return []

    def sample(self):
        for role, pid in self.roles.items():
            rss, cpu = 0, 0.0
            for proc in self._tree(pid):
                try:
                    rss += proc.memory_info().rss
                    times = proc.cpu_times()
                    cpu += times.user + times.system + times.children_user + times.children_system
                except self.psutil.NoSuchProcess:
                    continue
            if rss:
                self.peak[role] = max(self.peak[role], rss)
                self.cpu[role] = cpu
                self.cpu_start.setdefault(role, cpu)
        self.last, self.machine_last = time.monotonic(), self.psutil.cpu_times()
        times = self.me.cpu_times()
        self.cpu["load client"] = times.user + times.system
        self.cpu_start.setdefault("load client", self.cpu["load client"])

    def cpu_percent(self) -> dict[str, float]:
        """Average % of one core per role from the first sample to the last; "rest of machine" is
        everything else (the cloud, other users of the machine)."""
        seconds = max(self.last - self.started, 0.001)
        used = {role: (self.cpu[role] - self.cpu_start[role]) / seconds * 100 for role in self.cpu}
        end = self.machine_last
        busy = sum(
            getattr(end, f) - getattr(self.machine_start, f) for f in ("user", "system", "nice", "irq", "softirq")
        )
        used["rest of machine"] = max(0.0, busy / seconds * 100 - sum(used.values()))
        used["machine capacity"] = self.psutil.cpu_count() * 100
        return used


# --- the clients ----------------------------------------------------------------------------------
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def log_in(front: int, project_id: str):
    """An httpx client logged in as demo through the real login form, working in project demo."""
    import httpx

    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{front}", timeout=120, follow_redirects=False)
    form = await client.get("/auth/login/")
    token = CSRF.search(form.text).group(1)
    answer = await client.post(
        "/auth/login/",
        data={"csrfmiddlewaretoken": token, "username": "demo", "password": "demo", "next": "/project/"},
    )
    if answer.status_code != 302:
        raise RuntimeError(f"login refused: HTTP {answer.status_code}")
    page = await client.get("/project/")
    token = CSRF.search(page.text).group(1)
    switched = await client.post(
        "/auth/switch/", data={"csrfmiddlewaretoken": token, "project_id": project_id, "next": "/project/"}
    )
    if switched.status_code != 302:
        raise RuntimeError(f"switching to project demo refused: HTTP {switched.status_code}")
    await client.get("/project/")  # shows (and so clears) the "now working in" message
    return client


async def browse(
    index: int, client, t0: float, end: float, think: float, samples: list[Sample], limit: int, balanced: bool = False
):
    import httpx

    names = list(PAGES)
    for n in range(limit):
        if time.monotonic() >= end:
            return
        name = names[(index + n) % len(names)]
        started = time.monotonic()
        error, server = "", ""
        try:
            response = await client.get(PAGES[name])
            server = response.headers.get(SERVER_HEADER, "")
            if response.status_code != 200:
                where = response.headers.get("location", "")
                error = f"HTTP {response.status_code}" + (" to the login page" if "/auth/login" in where else "")
                if balanced and not server:  # HAProxy's own answer: no Zenith process was up to take it
                    error += " from HAProxy (no Zenith process up)"
        except httpx.HTTPError as exc:
            error = type(exc).__name__
        samples.append(Sample(name, started - t0, time.monotonic() - t0, error, server, index))
        if think:
            await asyncio.sleep(think)


class Socket:
    """One websocket: subscribes, records the status frames, reconnects (bounded) when dropped."""

    def __init__(self, index: int, front: int, session: str, t0: float):
        self.index, self.front, self.session, self.t0 = index, front, session, t0
        self.kinds = ["instances", EXTRA_KINDS[index % len(EXTRA_KINDS)]]
        self.frames: list[tuple[float, str, str, str]] = []  # (time, instance id, status, process)
        self.servers: list[tuple[float, str]] = []  # (since, process) per connection
        self.subscribed = 0
        self.refused: list[str] = []
        self.drops: list[float] = []
        self.reconnect_delays: list[float] = []
        self.failures: list[str] = []
        self.ready = asyncio.Event()

    def server_at(self, moment: float) -> str:
        current = self.servers[0][1] if self.servers else "?"
        for since, name in self.servers:
            if since <= moment:
                current = name
        return current

    async def run(self, ends: dict, attempts: int = 20):
        """Until ends["end"] (moved from far away to the end of the load when the load starts)."""
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed, InvalidStatus

        for _ in range(attempts):
            if time.monotonic() >= ends["end"]:
                return
            try:
                async with connect(
                    f"ws://127.0.0.1:{self.front}/ws/live/",
                    origin=f"http://127.0.0.1:{self.front}",
                    additional_headers={"Cookie": f"zenith_session={self.session}"},
                    open_timeout=30,
                ) as ws:
                    now = time.monotonic() - self.t0
                    server = ws.response.headers.get(SERVER_HEADER, "zenith-1")
                    if self.drops:
                        self.reconnect_delays.append(now - self.drops[-1])
                    self.servers.append((now, server))
                    for kind in self.kinds:
                        await ws.send(json.dumps({"type": "subscribe", "kind": kind}))
                    while True:
                        left = min(ends["end"] - time.monotonic(), 5)
                        if left <= 0:
                            return
                        try:
                            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=left))
                        except TimeoutError:
                            continue
                        self._take(frame, server)
            except ConnectionClosed:
                self.drops.append(time.monotonic() - self.t0)
            except (InvalidStatus, OSError, TimeoutError) as exc:
                self.failures.append(type(exc).__name__)
                if not self.drops:
                    self.drops.append(time.monotonic() - self.t0)
            self.ready.set()
            await asyncio.sleep(0.5)

    def _take(self, frame: dict, server: str):
        kind = frame.get("type")
        if kind == "subscribed":
            self.subscribed += 1
            if self.subscribed >= len(self.kinds):
                self.ready.set()
        elif kind == "error":
            self.refused.append(frame.get("message", ""))
            self.ready.set()
        elif kind == "change" and frame.get("kind") == "instances":
            self.frames.append((time.monotonic() - self.t0, frame.get("id", ""), frame.get("status", ""), server))

    def got(self, server_id: str, status: str, since: float) -> bool:
        return any(f[1] == server_id and f[2] == status and f[0] >= since for f in self.frames)

    def report(self) -> dict:
        return {"frames": self.frames, "server_at": self.server_at}


# --- one run ---------------------------------------------------------------------------------------
def pick_instance(conn) -> str | None:
    """An ACTIVE instance bench/populate.py made in demo (stopped and started again by the run)."""
    for server in conn.compute.servers(status="ACTIVE", limit=100):
        if (server.name or "").startswith("bench-vm-"):
            return server.id
    for server in conn.compute.servers(status="ACTIVE", limit=1):
        return server.id
    return None


def set_power(conn, server_id: str, wanted: str, timeout: float = 120) -> float:
    """Stop or start the instance; the monotonic time Nova was asked. Waits until it is `wanted`."""
    asked = time.monotonic()
    deadline = asked + timeout
    for attempt in range(3):  # a busy nova-api may drop the connection: ask again
        try:
            (conn.compute.stop_server if wanted == "SHUTOFF" else conn.compute.start_server)(server_id)
            break
        except Exception:  # noqa: BLE001 - asked again, or the status below says it was done
            if attempt == 2:
                raise
            time.sleep(2)
            if conn.compute.get_server(server_id).status == wanted:
                break
    while time.monotonic() < deadline:
        if conn.compute.get_server(server_id).status == wanted:
            return asked
        time.sleep(1)
    raise RuntimeError(f"instance {server_id} did not reach {wanted} within {timeout:.0f} s")


async def measure(site: Site, args, conn, project_id: str) -> dict:
    from live_latency import nova_list_lines

    # sessions: made through the front (HAProxy spreads the logins over both processes)
    gate = asyncio.Semaphore(5)

    async def one_login():
        async with gate:
            return await log_in(site.front, project_id)

    clients = await asyncio.gather(*(one_login() for _ in range(args.users)))
    print(f"  {args.users} users logged in", flush=True)

    alone = {}
    for name, path in PAGES.items():
        took = []
        for _ in range(3):
            started = time.monotonic()
            response = await clients[0].get(path)
            if response.status_code == 200:
                took.append(time.monotonic() - started)
        alone[name] = percentile(took, 50) if took else float("nan")

    t0 = time.monotonic()
    sockets = [
        Socket(i, site.front, clients[i % len(clients)].cookies.get("zenith_session"), t0) for i in range(args.sockets)
    ]
    end_holder = {"end": t0 + 3600}  # until the load starts: then its end

    async def socket_task(s: Socket):
        await s.run(end_holder)

    opening = []
    for i in range(0, len(sockets), 20):  # 20 at a time, as a page full of users would
        batch = sockets[i : i + 20]
        opening += [asyncio.ensure_future(socket_task(s)) for s in batch]
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in batch)), timeout=60)
    print(f"  {args.sockets} websockets open and subscribed", flush=True)
    # the poller locks, every second until the sockets close: one chain per topic at any moment
    lock_samples: list[tuple[float, dict[str, str]]] = []
    sampling = asyncio.Event()

    async def lock_sampler():
        while not sampling.is_set():
            lock_samples.append((time.monotonic() - t0, await asyncio.to_thread(site.poller_locks, project_id)))
            try:
                await asyncio.wait_for(sampling.wait(), timeout=1)
            except TimeoutError:
                pass

    lock_task = asyncio.ensure_future(lock_sampler())
    await asyncio.sleep(3)  # the pollers are up and past their first tick

    meter = Meter(site)
    meter.sample()
    requests_before, lines_before = site.poller_requests(project_id), nova_list_lines(project_id)
    start, wall_start = time.monotonic(), datetime.now()
    end = start + args.duration
    rel = start - t0  # the run's window on the samples' clock
    samples: list[Sample] = []
    balanced = site.layout == "two"
    users = [
        asyncio.ensure_future(browse(i, c, t0, end, args.think, samples, 100000, balanced))
        for i, c in enumerate(clients)
    ]

    async def sampler():
        while time.monotonic() < end:
            meter.sample()
            await asyncio.sleep(1)

    events: list[dict] = []

    async def script():
        """Stop and start the instance (twice in the two-process run, around the kill)."""
        server_id = args.instance or await asyncio.to_thread(pick_instance, conn)
        plan = [(0.15, "SHUTOFF"), (0.3, "ACTIVE")]
        if site.layout == "two":
            plan += [(KILL_AT + 0.1, "SHUTOFF"), (0.8, "ACTIVE")]  # after the kill: to the survivors
        touched = False
        try:
            for at, what in plan:
                await asyncio.sleep(max(0.0, start + at * args.duration - time.monotonic()))
                if time.monotonic() >= end - 5 or server_id is None:
                    break
                touched = True
                asked = await asyncio.to_thread(set_power, conn, server_id, what)
                events.append({"what": what, "at": asked - t0, "server": server_id})
        finally:
            # leave demo as it was, also when a step failed (Nova may have done what it was asked)
            if touched and (await asyncio.to_thread(conn.compute.get_server, server_id)).status != "ACTIVE":
                await asyncio.to_thread(set_power, conn, server_id, "ACTIVE")

    async def kill():
        await asyncio.sleep(max(0.0, start + KILL_AT * args.duration - time.monotonic()))
        name = site.kill_one()
        events.append({"what": "kill", "at": time.monotonic() - t0, "process": name})

    meter_task = asyncio.ensure_future(sampler())
    script_task = asyncio.ensure_future(script())
    killer = asyncio.ensure_future(kill()) if site.layout == "two" else None
    await asyncio.gather(*users)
    seconds, wall_end = time.monotonic() - start, datetime.now()
    meter.sample()
    requests_after, lines_after = site.poller_requests(project_id), nova_list_lines(project_id)
    await meter_task
    if killer:
        await killer
    try:
        await asyncio.wait_for(script_task, timeout=180)
    except Exception as exc:  # noqa: BLE001 - the instance steps: their failure is reported, the run counted
        events.append({"what": "error", "detail": f"{type(exc).__name__}: {exc}"})
    # the last status change reaches the sockets a poller tick or two after Nova made it: wait for
    # every socket to have every change, GRACE seconds at most, then close them
    steps = [(e["server"], e["what"], e["at"]) for e in events if e["what"] in ("SHUTOFF", "ACTIVE")]
    grace_end = time.monotonic() + GRACE
    while time.monotonic() < grace_end and not all(s.got(*step) for s in sockets for step in steps):
        await asyncio.sleep(0.5)
    # the quiet phase: no page traffic, every socket still open: the pollers' own rate, which the
    # page traffic's load on the cloud does not slow (the comparison of one worker with two)
    quiet = {}
    if args.quiet:
        print(f"  quiet phase: {args.quiet:.0f} s with the sockets open and no page traffic", flush=True)
        q_requests, q_lines, q_wall = site.poller_requests(project_id), nova_list_lines(project_id), datetime.now()
        q_start = time.monotonic()
        await asyncio.sleep(args.quiet)
        q_seconds, q_wall_end = time.monotonic() - q_start, datetime.now()
        q_after, q_lines_after = site.poller_requests(project_id), nova_list_lines(project_id)
        quiet = {
            "seconds": q_seconds,
            "poller_requests_per_s": {
                k: (q_after.get(k, 0) - q_requests.get(k, 0)) / q_seconds for k in sorted(q_after)
            },
            "nova_changes_since_per_s": (q_lines_after - q_lines) / q_seconds,
            # nothing else asks nova-api for the project now: every request of it is a poller's
            "nova_requests_per_s": len(nova_request_times(read_nova_logs(), project_id, q_wall, q_wall_end))
            / q_seconds,
        }
    sampling.set()
    await lock_task
    end_holder["end"] = time.monotonic()
    await asyncio.wait_for(asyncio.gather(*opening, return_exceptions=True), timeout=30)
    stats = site.haproxy_stats()
    for c in clients:
        await c.aclose()

    kill = next((e["at"] for e in events if e["what"] == "kill"), None)
    per_page = {name: summarize([s for s in samples if s.page == name], seconds) for name in PAGES}
    result = {
        "layout": site.layout,
        "users": args.users,
        "sockets": args.sockets,
        "seconds": seconds,
        "way": site.way,
        "alone": alone,
        "pages": per_page,
        "all": summarize(samples, seconds),
        "error_kinds": dict(Counter(s.error for s in samples if s.error)),
        "rss_mib": {role: b / 2**20 for role, b in meter.peak.items()},
        "cpu_percent": meter.cpu_percent(),
        "poller_requests_per_s": {
            k: (requests_after.get(k, 0) - requests_before.get(k, 0)) / seconds for k in sorted(requests_after)
        },
        "nova_changes_since_per_s": (lines_after - lines_before) / seconds,
        "nova_request_seconds": nova_request_times(read_nova_logs(), project_id, wall_start, wall_end),
        "events": events,
        "haproxy": stats,
        "quiet": quiet,
        "lock_samples": len(lock_samples),
        "poller_chains": poller_chains(lock_samples),
    }
    # which process served each user's pages (two: both, with no sticky sessions)
    served = defaultdict(set)
    for s in samples:
        if not s.error and s.server:
            served[s.user].add(s.server)
    result["users_served_by"] = dict(Counter(len(v) for v in served.values()))
    if kill is not None:
        result["kill"] = {"at": kill - rel, **errors_around(samples, kill)}
    views = [s.report() for s in sockets]
    result["live"] = {
        "subscribed": sum(s.subscribed for s in sockets),
        "refused": sum(len(s.refused) for s in sockets),
        "drops": sum(len(s.drops) for s in sockets),
        "reconnected": sum(len(s.reconnect_delays) for s in sockets),
        "reconnect_p50": percentile([d for s in sockets for d in s.reconnect_delays], 50),
        "connect_failures": dict(Counter(f for s in sockets for f in s.failures)),
        "status_frames": [
            {**e, "at": e["at"] - rel, "by_process": frames_by_server(views, e["server"], e["what"], e["at"])}
            for e in events
            if e["what"] in ("SHUTOFF", "ACTIVE")
        ],
    }
    return result


def print_run(r: dict):
    title = {
        "one": "one uvicorn process + one Celery worker",
        "two": {
            "uvicorn": "uvicorn --workers 2 + two Celery workers behind HAProxy",
            "gunicorn": "gunicorn -w 2 (uvicorn workers) + two Celery workers behind HAProxy",
            "ports": "two uvicorn processes on two ports + two Celery workers behind HAProxy",
        }.get(r["way"]),
    }
    print(f"\n== {title[r['layout']]}: {r['users']} users, {r['sockets']} websockets, {r['seconds']:.0f} s")
    print(f"  {'page':14} {'alone':>7} {'loads':>6} {'per s':>6} {'p50':>7} {'p95':>7} {'errors':>6}")
    for name, row in [*r["pages"].items(), ("all pages", r["all"])]:
        alone = r["alone"].get(name)
        print(
            f"  {name:14} {(f'{alone:.2f} s' if alone is not None else ''):>7} {row['pages']:6} "
            f"{row['per_second']:6.1f} {row['p50']:6.2f}s {row['p95']:6.2f}s {row['errors']:6}"
        )
    if r["error_kinds"]:
        print(f"  errors by kind: {r['error_kinds']}")
    if "kill" in r:
        k = r["kill"]
        print(
            f"  killed {next(e['process'] for e in r['events'] if e['what'] == 'kill')} at {k['at']:.0f} s: "
            f"{k['requests_in_flight']} requests in flight, {k['in_flight']} of them failed "
            f"{k['kinds'].get('in_flight', '')}; "
            f"errors in the {AFTER_KILL:.0f} s after: {k['just_after']}; later: {k['later']} (target 0); "
            f"before: {k['before']}"
        )
        print(f"  errors by kind around the kill: {k['kinds']}")
    if r["users_served_by"] and len(r["haproxy"]) > 2:  # a server per process: HAProxy names it
        print(f"  users by number of processes that served them: {r['users_served_by']}")
    if r["haproxy"]:
        print(
            "  HAProxy: "
            + "; ".join(
                f"{name}: {v['stot']} requests, {v['hrsp_5xx']} 5xx, {v['wretr']} retries, {v['wredis']} redispatched"
                f" ({v['status']})"
                for name, v in r["haproxy"].items()
            )
        )
    live = r["live"]
    print(
        f"  websockets: {live['subscribed']} subscriptions ({live['refused']} refused), {live['drops']} drops, "
        f"{live['reconnected']} reconnections (median {live['reconnect_p50']:.1f} s), "
        f"connect failures {live['connect_failures'] or 0}"
    )
    for step in live["status_frames"]:
        got = ", ".join(f"{name} {n}/{total}" for name, (n, total) in step["by_process"].items())
        print(f"  {step['what']:7} at {step['at']:5.0f} s: sockets that got the frame: {got}")
    for e in r["events"]:
        if e["what"] == "error":
            print(f"  instance steps failed: {e['detail']}")
    print("  peak RSS: " + ", ".join(f"{role} {mib:.0f} MiB" for role, mib in r["rss_mib"].items()))
    cpu = dict(r["cpu_percent"])
    capacity = cpu.pop("machine capacity")
    print(
        "  CPU, % of one core over the run: "
        + ", ".join(f"{role} {pct:.0f}%" for role, pct in cpu.items())
        + f" (machine: {capacity:.0f}%)"
    )
    polled = r["poller_requests_per_s"]
    print(
        f"  live pollers' cloud requests/s: {sum(polled.values()):.2f} "
        f"({', '.join(f'{k} {v:.2f}' for k, v in polled.items())}); "
        f"nova-api changes-since lists/s (instances poller): {r['nova_changes_since_per_s']:.2f}"
    )
    quiet = r["quiet"]
    if quiet:
        polled = quiet["poller_requests_per_s"]
        print(
            f"  quiet {quiet['seconds']:.0f} s (sockets open, no pages): nova-api requests/s of the project "
            f"(all the pollers'): {quiet['nova_requests_per_s']:.2f}, changes-since lists/s "
            f"{quiet['nova_changes_since_per_s']:.2f}; pollers' cloud requests/s {sum(polled.values()):.2f} "
            f"({', '.join(f'{k} {v:.2f}' for k, v in polled.items())})"
        )
    chains = r["poller_chains"]
    print(
        f"  poller locks ({r['lock_samples']} samples, 1/s): most chains alive at once per topic "
        f"{max((c['at_once'] for c in chains.values()), default=0)}; "
        + ", ".join(f"{topic} {c['chains']} chain(s), {c['handovers']} handover(s)" for topic, c in chains.items())
    )


def where_the_time_goes(runs: list[dict]) -> list[str]:
    """Where requests queue: CPU by role, and nova-api's own time per request beside the pages'."""
    lines = []
    for r in runs:
        nova = r["nova_request_seconds"]
        rate = len(nova) / r["seconds"]
        lines.append(
            f"  {r['layout']}: nova-api answered {len(nova)} requests of the project ({rate:.1f}/s), a median "
            f"{percentile(nova, 50):.2f} s, p95 {percentile(nova, 95):.2f} s each (its log's time, not its queue)"
        )
        cpu = r["cpu_percent"]
        zenith = sum(v for k, v in cpu.items() if k.startswith("zenith"))
        per_process = zenith / (1 if r["layout"] == "one" else 2)
        busy = sum(v for k, v in cpu.items() if k != "machine capacity")
        lines.append(
            f"  {r['layout']}: Zenith's ASGI processes {zenith:.0f}% ({per_process:.0f}% each; one process runs "
            f"Python on one core at most), the cloud and the rest {cpu['rest of machine']:.0f}%, machine "
            f"{busy:.0f}% of {cpu['machine capacity']:.0f}%; p50 {r['all']['p50']:.2f} s vs "
            f"{statistics_median(r['alone'].values()):.2f} s alone"
        )
    return lines


def statistics_median(values) -> float:
    return percentile([v for v in values if v == v], 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layout", choices=["one", "two", "both"], default="both")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load per run")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--think", type=float, default=0, help="seconds each user waits between pages")
    parser.add_argument(
        "--workers-by",
        choices=["uvicorn", "gunicorn", "ports"],
        default="uvicorn",
        help="how the two-process layout runs its ASGI processes (see above)",
    )
    parser.add_argument(
        "--quiet", type=float, default=QUIET, help="seconds of sockets open without page traffic (0: none)"
    )
    parser.add_argument("--port", type=int, default=8100, help="first port (one: PORT; two: PORT+10..12)")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file per run in var/load/")
    parser.add_argument("--project", default="demo", help="the project user demo works and watches in")
    parser.add_argument("--instance", default="", help="the instance to stop and start (default: one populate made)")
    parser.add_argument("--json", help="save the results here too")
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 0 <= args.sockets <= 2000 or not 5 <= args.duration <= 1800:
        parser.error("users 1-500, sockets 0-2000, duration 5-1800 s")
    if not 0 <= args.quiet <= 120:
        parser.error("quiet 0-120 s")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from tests.helpers import sdk

    conn = sdk("demo", args.project)
    project_id = conn.current_project_id
    runs = []
    for layout in ["one", "two"] if args.layout == "both" else [args.layout]:
        site = Site(layout, args.port, args)
        print(
            f"\n== starting {layout}: Zenith on 127.0.0.1:{site.front} (logs in {VAR.relative_to(ROOT)}/)", flush=True
        )
        site.start()
        try:
            runs.append(asyncio.run(measure(site, args, conn, project_id)))
        finally:
            site.stop()
        print_run(runs[-1])

    print("\n== where requests wait (CPU use during the load)")
    print("\n".join(where_the_time_goes(runs)))
    verdicts = []
    for r in runs:
        kinds = Counter(r["error_kinds"])
        cloud = kinds.pop("HTTP 503", 0)  # Zenith's page saying the cloud failed or timed out
        if "kill" in r:
            by_kind = r["kill"]["kinds"]
            not_cloud = sum(n for w in ("before", "later") for k, n in by_kind.get(w, {}).items() if k != "HTTP 503")
            verdicts.append((f"two: after the kill's {AFTER_KILL:.0f} s, no error but the cloud's 503", not_cloud == 0))
            cut = sum(n for k, n in by_kind.get("in_flight", {}).items() if k != "HTTP 503")
            verdicts.append(
                ("two: of the requests in flight at the kill, none cut (HAProxy sends them again)", cut == 0)
            )
        errors = r["kill"]["later"] + r["kill"]["before"] if "kill" in r else r["all"]["errors"]
        if cloud:
            print(f"  {r['layout']}: {cloud} pages answered 503: the cloud failed or timed out (logs: var/load/)")
        lost = sum(total - n for step in r["live"]["status_frames"] for n, total in step["by_process"].values())
        verdicts.append((f"{r['layout']}: errors (outside the kill) 0", errors == 0))
        verdicts.append(
            (f"{r['layout']}: every socket got every status change", lost == 0 and r["live"]["status_frames"])
        )
        chains = r["poller_chains"]
        if r["sockets"]:
            verdicts.append(
                (
                    f"{r['layout']}: one poller per project and topic at any moment (the locks sampled every second)",
                    bool(chains) and all(c["at_once"] == 1 for c in chains.values()),
                )
            )
    if len(runs) == 2 and all(r["quiet"] for r in runs):
        # one poller per project and kind: the same rate with two workers as with one. nova-api's own
        # log is the measure; it counts whoever else uses the project meanwhile (a shared
        # devcloud), the pollers' counters count only them (a duplicate poller doubles its kind's)
        for what, (one, two) in (
            ("nova-api requests/s of the project", [r["quiet"]["nova_requests_per_s"] for r in runs]),
            ("pollers' own cloud requests/s", [sum(r["quiet"]["poller_requests_per_s"].values()) for r in runs]),
        ):
            verdicts.append(
                (
                    f"no duplicate pollers: {what} in the quiet phase, two workers {two:.2f} within 10% of "
                    f"one's {one:.2f}",
                    one > 0 and abs(two - one) <= 0.1 * one,
                )
            )
    print("\n== targets")
    for text, ok in verdicts:
        print(f"  {text}: {'met' if ok else 'MISSED'}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(runs, indent=2, default=str))
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
