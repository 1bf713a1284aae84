"""The directory the processes of one machine write their figures to (DASHBOARD_METRICS_DIR).

prometheus_client's multiprocess mode keeps each process's values in files named after its pid
(`counter_<pid>.db`, `histogram_<pid>.db`, `gauge_livesum_<pid>.db`); /metrics adds up every file.
Two rules follow, and this module keeps them:

- **Wiped at the start of a process group.** Files of an earlier run would be added to the new
  one's counts. Each process registers at its start (`prepare`, from the app's `ready()`, before it
  records anything): under a lock on the directory, if no process that wrote or registered there is
  alive any more, the directory is emptied first; then the process leaves its mark (`.pid-<pid>`).
  So the first process of a new group (after a stop, a crash or a reboot) wipes, and the others of
  its group, starting alongside or later, find it alive and keep what is there. A process restarted
  alone while others run keeps the directory: counters never go back while the group lives.
- **Dead processes marked.** A gauge ("livesum": in-flight requests, websockets) of a process that
  died would stay in the sum; `sweep`, at each scrape, calls `multiprocess.mark_process_dead` for
  every pid of the directory that is no longer running, however it ended: killed, or one of
  uvicorn's workers or Celery's pool children, which exit without running Python's exit handlers
  (a process that runs them does it itself, `forget`). Its counters and histograms stay: they are
  part of the totals.

Pids are the machine's: one directory per machine (or container), never shared across machines.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Callable
from pathlib import Path

MARK = ".pid-"
LOCK = ".lock"
_FILE_PID = re.compile(r"_(\d+)\.db$")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def pids_in(path: Path, live_only: bool = False) -> set[int]:
    """The pids that registered in the directory or wrote files there (`live_only`: registered or
    with live gauges, the ones `sweep` has work for)."""
    pids = set()
    for entry in os.scandir(path):
        if entry.name.startswith(MARK) and entry.name[len(MARK) :].isdigit():
            pids.add(int(entry.name[len(MARK) :]))
        elif (match := _FILE_PID.search(entry.name)) and (not live_only or entry.name.startswith("gauge_live")):
            pids.add(int(match.group(1)))
    return pids


def prepare(path: Path, pid: int, alive: Callable[[int], bool] = pid_alive) -> bool:
    """Register `pid` in the directory (made if missing), emptied first when every process that used
    it is gone. Returns whether it was emptied."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        stale = not any(alive(other) for other in pids_in(path) - {pid})
        if stale:
            for entry in os.scandir(path):
                if entry.name != LOCK and entry.is_file():
                    os.unlink(entry.path)
        (path / f"{MARK}{pid}").touch()
    return stale


def forget(path: Path, pid: int) -> None:
    """A process that ends: its live gauges and its mark go (its counters stay in the totals)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(pid, str(path))
    (path / f"{MARK}{pid}").unlink(missing_ok=True)


def sweep(path: Path, alive: Callable[[int], bool] = pid_alive) -> list[int]:
    """`forget` every process of the directory that is no longer running; returns their pids."""
    dead = sorted(pid for pid in pids_in(path, live_only=True) if not alive(pid))
    for pid in dead:
        forget(path, pid)
    return dead
