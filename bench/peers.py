"""``make bench-peers``: Apache Airflow 3.3.2 and dagkeeper on the same data, in one sitting.

Airflow goes into its own virtualenv under ``bench/.scratch/`` (pinned by
``bench/peer_airflow_requirements.txt``; never into our ``.venv``) and every
Airflow step runs as a subprocess of that venv's python. Both sides get the
DAG folder of :mod:`bench.generate` (1,000 small DAGs, the 2,000-task layered
DAG, the 200-task nested-group DAG; Airflow's written with ``airflow.sdk``),
a fresh SQLite database, 50 runs of the 2,000-task DAG inserted through each
side's own models, and a web server with 2 workers on 127.0.0.1. Then, one
side after the other: cold parse of the 1,002 files, the DAG list (one client's
p50, and wrk with 8 connections), the 2,000-task structure, the 2,000 x 25 grid
(Airflow's UI needs three calls for it: grid structure, runs, task-instance
summaries), web worker RSS, and no-op task throughput on a 200-task fan-out with
the local executor, parallelism 16.

Reproduce: ``make bench-peers`` (``python -m bench.peers --seconds 10``); it
adds a ``peers`` section to ``bench/results/latest.json`` and re-renders
``latest.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench import api, scheduler
from bench.generate import BIG_DAG_ID, generate
from bench.load import answers, wrk
from bench.report import markdown
from dagkeeper.testing.pg import free_port
from dagkeeper.testing.stack import Stack

HERE = Path(__file__).parent
SCRATCH = HERE / ".scratch"
VENV = SCRATCH / "airflow-venv"
REQUIREMENTS = HERE / "peer_airflow_requirements.txt"
HISTORY_SCRIPT = HERE / "peer_airflow_history.py"
RESULTS = HERE / "results"
COMMAND = "make bench-peers"
WORKERS = 2
RUNS = 50
FANOUT_WIDTH = 199  # plus the root task: 200 task instances
PARALLELISM = 16
SAMPLES = {"dag_list": 30, "structure": 15, "grid": 5}

# Airflow's scheduler marks EmptyOperator tasks successful without running them, so its
# fan-out runs a no-op Python callable: the task still goes through executor and worker.
AIRFLOW_FANOUT = """
from datetime import datetime

from airflow.providers.standard.operators.python import PythonOperator
from airflow.sdk import DAG


def noop():
    pass


with DAG("bench_fanout", schedule=None, start_date=datetime(2024, 1, 1)):
    root = PythonOperator(task_id="root", python_callable=noop)
    root >> [PythonOperator(task_id=f"noop_{i:04d}", python_callable=noop) for i in range(WIDTH)]
"""


def install_airflow() -> Path:
    """Create the Airflow venv once (pinned); its python."""
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return VENV / "bin" / "python"
    SCRATCH.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True, timeout=300)
    subprocess.run(
        [VENV / "bin" / "python", "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)],
        check=True, timeout=1200,
    )  # fmt: skip
    stamp.write_text(REQUIREMENTS.read_text())
    return VENV / "bin" / "python"


def _seconds_since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def one_client(base: str, paths: list[str], headers: dict[str, str], samples: int) -> dict:
    """One client fetching ``paths`` in turn ``samples`` times: p50 of the whole sequence.

    No ``Accept-Encoding``, as wrk sends none: both sides answer identity bodies.
    """
    times, size = [], 0
    deadline = time.monotonic() + 180
    for _ in range(samples):
        started, size = time.perf_counter(), 0
        for path in paths:
            request = urllib.request.Request(base + path, headers=headers)
            with urllib.request.urlopen(request, timeout=60) as response:
                size += len(response.read())
        times.append((time.perf_counter() - started) * 1000)
        if time.monotonic() > deadline:
            break
    return {"p50_ms": round(statistics.median(times), 1), "samples": len(times), "bytes": size}


def _rss_mb(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        sizes.append(round(int(kb) / 1024, 1))
    return sizes


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


# -- dagkeeper ---------------------------------------------------------------------------


def measure_ours(seconds: int, scratch: Path) -> dict:
    """Our side: same data, gunicorn with 2 workers, SQLite; then the scheduler leg."""
    root = scratch / "dagkeeper"
    stack = Stack(root, f"sqlite:///{root / 'dagkeeper.db'}", workers=WORKERS,
                  DAGKEEPER_PARSE_TIMEOUT="120")  # fmt: skip
    print("peers: dagkeeper, parse and history ...", flush=True)
    parse_seconds = api.prepare(stack, 1000)
    stack.start(components=("webserver",))
    try:
        for _ in range(50):
            stack.get("/api/v1/health")
        rss_idle = api.worker_rss_mb(stack)
        paths = api.endpoints(stack, "bench_small_0000")
        auth = {"Authorization": f"Bearer {stack.token}"}
        no_cache = {**auth, **api.NO_CACHE}
        result = {"parse_seconds": parse_seconds, "rss_idle_mb": rss_idle}
        for name, key in (("dag_list", "dag_list"), ("structure", "structure_2000"),
                          ("grid", "grid_2000x25")):  # fmt: skip
            result[name] = {
                "cached": one_client(stack.base_url, [paths[key]], auth, SAMPLES[name]),
                "uncached": one_client(stack.base_url, [paths[key]], no_cache, SAMPLES[name]),
            }
        for name, key in (("dag_list", "dag_list"), ("structure", "structure_2000")):
            url = stack.base_url + paths[key]
            result[name]["wrk_cached"] = wrk(url, seconds=seconds, headers=auth)
            result[name]["wrk_uncached"] = wrk(url, seconds=seconds, headers=no_cache)
        result["rss_after_mb"] = api.worker_rss_mb(stack)
    finally:
        stack.stop()
    print("peers: dagkeeper, fan-out ...", flush=True)
    environ = dict(os.environ)
    try:
        leg = scheduler.run(str(scratch / "dagkeeper-scheduler"), width=FANOUT_WIDTH,
                            parallelism=PARALLELISM, executors=("local",))["scheduler"]  # fmt: skip
    finally:
        os.environ.clear()  # the scheduler leg points this process's environment at its database
        os.environ.update(environ)
    result["fanout"] = {k: leg[k] for k in ("tasks", "tasks_per_second", "fanout_run_seconds")}
    return result


# -- Apache Airflow ----------------------------------------------------------------------


class Airflow:
    """One Airflow installation in ``home``: a SQLite file, a DAG folder, processes by PID."""

    def __init__(self, python: Path, home: Path):
        self.python, self.home = python, home
        self.dags_folder = home / "dags"
        self.dags_folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(PARALLELISM),
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            # every request is an admin's: the bench's own server on loopback, nothing else
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
            "AIRFLOW__API__BASE_URL": self.base_url,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
        }
        self.log = open(home / "processes.log", "ab")  # noqa: SIM115 (closed in stop())
        self.processes: list[subprocess.Popen] = []

    def run(self, *args: str, timeout: float = 600) -> str:
        """``airflow ARGS`` against this installation; its standard output."""
        return self.script("-m", "airflow", *args, timeout=timeout)

    def script(self, *args: str, timeout: float = 600) -> str:
        """The Airflow venv's ``python ARGS`` with this installation's environment."""
        done = subprocess.run([str(self.python), *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout, cwd=self.home)  # fmt: skip
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [str(self.python), "-m", "airflow", *args], env=self.env, cwd=self.home,
            stdout=self.log, stderr=self.log, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def start_api_server(self) -> subprocess.Popen:
        server = self.start("api-server", "-H", "127.0.0.1", "-p", str(self.port),
                            "-w", str(WORKERS))  # fmt: skip
        deadline = time.monotonic() + 180
        health = self.base_url + "/api/v2/monitor/health"
        Stack.wait_for(lambda: answers(health), 180, "Airflow's api-server answering")
        while len(self.worker_pids(server)) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.5)
        return server

    def token(self) -> str:
        with urllib.request.urlopen(self.base_url + "/auth/token", timeout=30) as response:
            return json.load(response)["access_token"]

    def get(self, path: str) -> object:
        with urllib.request.urlopen(self.base_url + path, timeout=60) as response:
            return json.load(response)

    def post(self, path: str, body: dict) -> object:
        request = urllib.request.Request(
            self.base_url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)

    @staticmethod
    def worker_pids(server: subprocess.Popen) -> list[int]:
        """uvicorn's worker processes (spawned children; not the resource tracker)."""
        return [
            pid for pid in _children(server.pid)
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]  # fmt: skip

    def parse(self) -> float:
        """Airflow's default dag-processor, one pass over the folder; wall seconds."""
        started = time.perf_counter()
        self.run("dag-processor", "--num-runs", "1", timeout=900)
        return _seconds_since(started)

    def stop(self) -> None:
        """Terminate what this object started, by PID (each leads its own process group)."""
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=30)
        self.processes.clear()
        self.log.close()


def _grid_paths(airflow: Airflow) -> list[str]:
    """The three calls Airflow's grid view makes for the newest 25 runs."""
    newest = "limit=25&order_by=-run_after"
    runs = airflow.get(f"/ui/grid/runs/{BIG_DAG_ID}?{newest}")
    run_ids = urllib.parse.urlencode([("run_ids", run["run_id"]) for run in runs])
    return [
        f"/ui/grid/structure/{BIG_DAG_ID}?{newest}",
        f"/ui/grid/runs/{BIG_DAG_ID}?{newest}",
        f"/ui/grid/ti_summaries/{BIG_DAG_ID}?{run_ids}",
    ]


def measure_airflow(python: Path, seconds: int, scratch: Path) -> dict:
    airflow = Airflow(python, scratch / "airflow")
    try:
        airflow.run("db", "migrate")
        generate(airflow.dags_folder, n_small=1000, big=True, groups=True, seed=42,
                 flavour="airflow")  # fmt: skip
        print("peers: airflow, parse and history ...", flush=True)
        result: dict = {"parse_seconds": airflow.parse()}
        history = json.loads(airflow.script(str(HISTORY_SCRIPT), BIG_DAG_ID, str(RUNS)))
        result["task_instances"] = history["task_instances"]
        server = airflow.start_api_server()
        auth = {"Authorization": f"Bearer {airflow.token()}"}
        for _ in range(50):
            airflow.get("/api/v2/monitor/health")
        result["rss_idle_mb"] = _rss_mb(airflow.worker_pids(server))
        paths = {
            "dag_list": ["/api/v2/dags?limit=50"],
            "structure": [f"/ui/structure/structure_data?dag_id={BIG_DAG_ID}"],
            "grid": _grid_paths(airflow),
        }
        for name, sequence in paths.items():
            result[name] = {"one_client": one_client(airflow.base_url, sequence, auth,
                                                     SAMPLES[name])}  # fmt: skip
            result[name]["paths"] = sequence[:2]
        for name in ("dag_list", "structure"):
            result[name]["wrk"] = wrk(airflow.base_url + paths[name][0], seconds=seconds,
                                      headers=auth)  # fmt: skip
        result["rss_after_mb"] = _rss_mb(airflow.worker_pids(server))
    finally:
        airflow.stop()
    print("peers: airflow, fan-out ...", flush=True)
    result["fanout"] = _airflow_fanout(python, scratch / "airflow-scheduler")
    return result


def _airflow_fanout(python: Path, home: Path) -> dict:
    """200 no-op tasks through scheduler, LocalExecutor and the execution API; tasks/s from
    the task instances' own times (first queued → last finished), as ``bench.scheduler``."""
    airflow = Airflow(python, home)
    try:
        airflow.run("db", "migrate")
        (airflow.dags_folder / "fanout.py").write_text(
            AIRFLOW_FANOUT.replace("WIDTH", str(FANOUT_WIDTH))
        )
        airflow.parse()
        airflow.start_api_server()
        airflow.start("scheduler")
        time.sleep(5)  # let the scheduler and its executor's workers start
        run = airflow.post("/api/v2/dags/bench_fanout/dagRuns", {"logical_date": None})
        path = f"/api/v2/dags/bench_fanout/dagRuns/{urllib.parse.quote(run['dag_run_id'])}"
        deadline = time.monotonic() + 600
        while (state := airflow.get(path)["state"]) not in ("success", "failed"):
            if time.monotonic() > deadline:
                raise TimeoutError("Airflow's fan-out run did not finish within 600 s")
            time.sleep(0.5)
        tis = []
        while len(tis) < FANOUT_WIDTH + 1:  # the API pages by 100 at most
            page = airflow.get(f"{path}/taskInstances?limit=100&offset={len(tis)}")
            tis += page["task_instances"] or []
            if not page["task_instances"]:
                break
        run = airflow.get(path)
    finally:
        airflow.stop()
    first = min(datetime.fromisoformat(ti["queued_when"]) for ti in tis)
    last = max(datetime.fromisoformat(ti["end_date"]) for ti in tis)
    queued = datetime.fromisoformat(run["queued_at"])
    return {
        "state": state,
        "tasks": len(tis),
        "tasks_per_second": round(len(tis) / (last - first).total_seconds(), 1),
        "fanout_run_seconds": round(
            (datetime.fromisoformat(run["end_date"]) - queued).total_seconds(), 2
        ),
    }


def run(seconds: int = 10) -> dict:
    """Both sides in one sitting; ``{"peers": ...}`` for ``latest.json``."""
    python = install_airflow()
    version = subprocess.run(
        [python, "-c", "import airflow; print(airflow.__version__)"],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    load_before = os.getloadavg()
    started = time.perf_counter()
    SCRATCH.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="peers-", dir=SCRATCH) as tmp:
        ours = measure_ours(seconds, Path(tmp))
        peer = measure_airflow(python, seconds, Path(tmp))
    return {
        "peers": {
            "airflow_version": version,
            "workers": WORKERS,
            "seconds": seconds,
            "load_average_before": [round(x, 1) for x in load_before],
            "load_average_after": [round(x, 1) for x in os.getloadavg()],
            "minutes": round((time.perf_counter() - started) / 60, 1),
            "dagkeeper": ours,
            "airflow": peer,
            "command": COMMAND,
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peers",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per load (10)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install -y wrk`")
    RESULTS.mkdir(exist_ok=True)
    latest = RESULTS / "latest.json"
    results = json.loads(latest.read_text()) if latest.exists() else {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }  # fmt: skip
    results.update(run(args.seconds))
    latest.write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (RESULTS / "latest.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
