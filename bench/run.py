"""`make bench`: every benchmark, numbers printed; exit status 1 when a target is missed."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = ["live_latency.py", "pages.py"]

if __name__ == "__main__":
    failed = 0
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        failed |= subprocess.call([sys.executable, str(BENCH / name)], cwd=BENCH.parent) != 0
    sys.exit(1 if failed else 0)
