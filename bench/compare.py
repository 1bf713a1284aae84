"""Two versions of Zenith's pages timed side by side: every page of bench/pages.py loaded by an
older checkout and by this one in turns, load by load (old, new, new, old, ...), against the same
cloud at the same moments, so that what the cloud does meanwhile weighs on both alike.

A refactor that should not cost speed is checked with it: a page whose median is slower by more
than 10 % is reported (a difference of 3 ms or less is ignored: the cloud's own noise is larger),
and the exit status is 1 when there is one. Each version answers from a process of its own
(bench/page_server.py: Django's test client, as bench/pages.py). Run bench/populate.py first (the
pages at scale), and give the older code as a checkout of its own (`git worktree add --detach
/tmp/old <commit>`, with this checkout's .venv, node_modules and dashboard/static/vendor linked in
and its .mo files compiled). Printed beside the medians of the whole load: the request thread's CPU
time, Zenith's own work (pages whose calls run in other threads show less than all of it).

Usage: .venv/bin/python bench/compare.py --old /tmp/old [--runs 10] [--only SUBSTRING] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - this checkout's pages and their placeholders

ROOT = Path(__file__).resolve().parents[1]
SLOWER = 1.10  # a page slower than this, old to new ...
IGNORED_MS = 3.0  # ... by more than this, is reported
WARMUPS = 2


class Version:
    """One checkout's page server (bench/page_server.py run beside its code)."""

    def __init__(self, root: Path, project: str):
        server = Path(__file__).resolve().parent / "page_server.py"
        self.process = subprocess.Popen(
            [sys.executable, str(server), "--root", str(root), "--project", project],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            sys.exit(f"the page server of {root} did not start")

    def load(self, user: str, path: str) -> tuple[int, float, float]:
        self.process.stdin.write(f"{user} {path}\n")
        self.process.stdin.flush()
        status, wall, cpu = self.process.stdout.readline().split()
        return int(status), float(wall), float(cpu)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def verdict(old: float, new: float) -> str:
    if new - old > IGNORED_MS and new > old * SLOWER:
        return "SLOWER"
    if old - new > IGNORED_MS and old > new * SLOWER:
        return "faster"
    return "same"


def placeholders(project: str) -> dict[str, str]:
    """The ids bench/pages.py's paths name: an instance, the project, the demo user, a group."""
    demo, admin = pages.sdk("demo", project), pages.sdk("admin", "admin")
    group = next(iter(admin.identity.groups()), None)
    return {
        "server": pages.pick_server(demo),
        "project": demo.current_project_id,
        "user": admin.identity.find_user("demo", domain_id="default").id,
        "group": group.id if group else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", required=True, type=Path, help="a checkout of the older code")
    parser.add_argument("--project", default="demo")
    parser.add_argument("--runs", type=int, default=10, help="loads of each page by each version")
    parser.add_argument("--only", help="only the pages whose label contains this")
    parser.add_argument("--json", help="also write the table to this file")
    args = parser.parse_args()

    ids = placeholders(args.project)
    versions = {"old": Version(args.old.resolve(), args.project), "new": Version(ROOT, args.project)}
    rows = []
    print(f"{'page':34} {'old ms':>8} {'new ms':>8} {'change':>8}  {'old cpu':>8} {'new cpu':>8}  verdict")
    for page in pages.PAGES:
        if args.only and args.only not in page.label or (page.needs and not ids.get(page.needs)):
            continue
        path = page.path.format(**ids)
        wall: dict[str, list[float]] = {"old": [], "new": []}
        cpu: dict[str, list[float]] = {"old": [], "new": []}
        statuses = set()
        for n in range(WARMUPS + args.runs):
            # each version first every other round: neither always follows the other
            for name in ("old", "new") if n % 2 == 0 else ("new", "old"):
                status, spent, thread = versions[name].load(page.user, path)
                statuses.add(status)
                if n >= WARMUPS:
                    wall[name].append(spent)
                    cpu[name].append(thread)
        if statuses != {200}:
            print(f"{page.label[:34]:34} left out: HTTP {sorted(statuses)}")
            continue
        old, new = statistics.median(wall["old"]), statistics.median(wall["new"])
        row = {
            "page": page.label,
            "old_ms": old,
            "new_ms": new,
            "change": new / old - 1,
            "old_cpu_ms": statistics.median(cpu["old"]),
            "new_cpu_ms": statistics.median(cpu["new"]),
            "verdict": verdict(old, new),
        }
        rows.append(row)
        print(
            f"{page.label[:34]:34} {old:8.1f} {new:8.1f} {row['change']:+8.1%}  "
            f"{row['old_cpu_ms']:8.1f} {row['new_cpu_ms']:8.1f}  {row['verdict']}",
            flush=True,
        )
    for version in versions.values():
        version.close()
    slower = [r for r in rows if r["verdict"] == "SLOWER"]
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": args.runs, "pages": rows}, indent=2))
    print(f"medians of {args.runs} loads each, old and new in turns; cpu: the request thread's")
    if slower:
        print(f"{len(slower)} page(s) slower by more than {SLOWER - 1:.0%} and {IGNORED_MS:.0f} ms")
        return 1
    print(f"no page slower by more than {SLOWER - 1:.0%} ({IGNORED_MS:.0f} ms and less ignored)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
