"""``make bench``: run every benchmark, write ``bench/results/latest.json`` and ``latest.md``.

``python -m bench --only api,processor --seconds 10`` runs a subset, shorter;
``python -m bench --quick`` is a smoke run of everything (a few minutes: 1,000
DAGs instead of 10,000, fewer samples, 5 s per load). A full run takes about
35 minutes on the 2-core machine. ``--only scale --scale full`` grows PostgreSQL to
100,000 DAGs and 10 million task instances (the default size is a tenth of that).
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
SUITES = (
    "processor",
    "scheduler",
    "api",
    "auth",
    "worker_model",
    "browser",
    "wire",
    "clean",
    "triggerer",
    "mapping",
    "scale",
)
QUICK = {  # the processor suite (about 2 minutes) always runs in full
    "scheduler": {"width": 199},
    "api": {"quick": True},
    "auth": {"quick": True},
    "browser": {"quick": True},
    "wire": {"quick": True},
    "clean": {"quick": True},
}


def _suite_kwargs(suite: str, quick: bool, seconds: int, scale: str) -> dict:
    """What each suite's ``run()`` takes from the command line."""
    timed = ("api", "auth", "worker_model", "mapping", "scale")
    kwargs = {"seconds": seconds} if suite in timed else {}
    if suite == "scale":
        kwargs["scale"] = scale
    if quick:
        kwargs.update(QUICK.get(suite, {}))
    return kwargs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SUITES), help="comma-separated suites")
    parser.add_argument("--seconds", type=int, help="load duration per endpoint (20; quick: 5)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: fewer DAGs, samples and seconds"
    )
    parser.add_argument(
        "--scale", choices=("default", "full"), default="default",
        help="scale suite: 10,000 DAGs / 1M task instances, or 100,000 / 10M (full)",
    )  # fmt: skip
    args = parser.parse_args()
    seconds = args.seconds or (5 if args.quick else 20)
    results = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": __import__("os").cpu_count(), "python": platform.python_version()},
    }
    for suite in args.only.split(","):
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{suite}")
        results.update(module.run(**_suite_kwargs(suite, args.quick, seconds, args.scale)))
        print(f"{suite}: done in {time.perf_counter() - started:.0f} s", flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (RESULTS / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
