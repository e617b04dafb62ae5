"""``make bench``: run every benchmark, write ``bench/results/latest.json`` and ``latest.md``.

``python -m bench --only api,processor --seconds 10`` runs a subset, shorter.
Each suite module has ``run(...) -> dict``; the Markdown table compares the
medians with the targets of issue 8 and with Airflow 3.3.2 on the same machine
kind (``../shared/PEERS.md``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.report import markdown

RESULTS = Path(__file__).parent / "results"
SUITES = ("processor", "scheduler", "api", "browser")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SUITES), help="comma-separated suites")
    parser.add_argument("--seconds", type=int, default=20, help="load duration per endpoint")
    args = parser.parse_args()
    results = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
    }
    for suite in args.only.split(","):
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{suite}")
        kwargs = {"seconds": args.seconds} if suite == "api" else {}
        results.update(module.run(**kwargs))
        print(f"{suite}: done in {time.perf_counter() - started:.0f} s", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (RESULTS / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
