"""A triggerer holding 1,000 deferred sensors: claim time, then RSS and CPU while idle.

Two loads, each on a fresh SQLite database: 1,000 time waits (``datetime``
triggers an hour away: what deferred ``TimeDeltaSensor``/``DateTimeSensor``
tasks leave) and 1,000 file waits (``file`` triggers on paths that never
appear, looked at every 5 s). ``dagkeeper triggerer`` runs as its own
process; RSS and CPU time are read from ``/proc`` once it holds them all.

Reproduce: ``.venv/bin/python -m bench --only triggerer``
(or ``.venv/bin/python -m bench.triggerer`` for this table alone).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from sqlalchemy import func, insert, select

from dagkeeper import db
from dagkeeper.migrate import migrate
from dagkeeper.models import Trigger, utcnow

COUNT = 1000
IDLE_SECONDS = 20.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _args(kind: str, index: int, folder: str) -> str:
    if kind == "datetime":
        return json.dumps({"moment": (utcnow() + timedelta(hours=1)).isoformat()})
    return json.dumps({"filepath": f"{folder}/never_{index}", "poke_interval": 5.0})


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _held() -> int:
    with db.read_session() as session:
        return session.scalar(
            select(func.count()).select_from(Trigger).where(Trigger.triggerer_id.is_not(None))
        )


def measure(kind: str, count: int = COUNT, idle: float = IDLE_SECONDS) -> dict:
    with tempfile.TemporaryDirectory(prefix="dk-bench-triggerer-") as tmp:
        url = f"sqlite:///{tmp}/dagkeeper.db"
        migrate(url)
        db.configure(url)
        with db.transaction() as session:
            session.execute(
                insert(Trigger),
                [{"kind": kind, "args": _args(kind, i, tmp), "created_at": utcnow()}
                 for i in range(count)],
            )  # fmt: skip
        env = {**os.environ, "DAGKEEPER_DB_URL": url, "DAGKEEPER_HOME": tmp}
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "dagkeeper", "triggerer", "--capacity", str(count)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while _held() < count:
                if process.poll() is not None:
                    raise RuntimeError(f"the triggerer exited with {process.returncode}")
                time.sleep(0.05)
            claimed = time.perf_counter() - started
            time.sleep(2.0)  # let the waits settle into their sleeps
            cpu_before, wall_before = _cpu_seconds(process.pid), time.perf_counter()
            time.sleep(idle)
            cpu = _cpu_seconds(process.pid) - cpu_before
            wall = time.perf_counter() - wall_before
            rss = _rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=30)
        db.engine().dispose()
    return {
        "kind": kind,
        "triggers": count,
        "claimed_all_s": round(claimed, 2),
        "rss_mb": round(rss, 1),
        "idle_cpu_percent": round(100 * cpu / wall, 2),
        "idle_seconds": round(wall, 1),
    }


def run(**_: object) -> dict:
    return {"triggerer": [measure("datetime"), measure("file")]}


def table(results: list[dict]) -> str:
    lines = [
        "| waits | triggers | all claimed | RSS | CPU while idle |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['kind']} | {r['triggers']:,} | {r['claimed_all_s']} s | {r['rss_mb']} MB "
            f"| {r['idle_cpu_percent']} % over {r['idle_seconds']} s |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(table(run()["triggerer"]))
