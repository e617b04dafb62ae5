"""Several hosts on one machine: a scheduler, Celery workers in their own namespaces, Redis.

Each worker runs under ``unshare --uts --net --pid``: its own host name, no
network at all (it reaches PostgreSQL and Redis over unix sockets, as a
remote host reaches them over TCP), and its own process tree, so a SIGKILL
of it takes down everything that "host" ran, like a machine that is gone.
Everything here is a child of the test, stopped by PID.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import dagkeeper.db
from dagkeeper.supervisor import Child, Supervisor

pytestmark = pytest.mark.distributed

SETTINGS = {
    "DAGKEEPER_EXECUTOR": "celery",
    "DAGKEEPER_HEARTBEAT_TIMEOUT": "6",  # runners beat every second, stop their task after 3 s
    "DAGKEEPER_QUEUED_RESEND_AFTER": "3",
    "DAGKEEPER_WORKER_HEARTBEAT": "1",
    "DAGKEEPER_PARALLELISM": "32",
    "DAGKEEPER_PARSE_TIMEOUT": "20",
}


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "separate hosts need root (unshare)"
    for tool in ("unshare", "redis-server"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


@pytest.fixture(scope="session", autouse=True)
def _can_run():
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


class Redis:
    """A throwaway redis-server on a unix socket, without persistence (a restart loses all)."""

    def __init__(self, folder: Path):
        self.socket = folder / "redis.sock"
        self.log = folder / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis+socket://{self.socket}"

    def start(self) -> Redis:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                ["redis-server", "--port", "0", "--unixsocket", str(self.socket),
                 "--unixsocketperm", "777", "--save", "", "--appendonly", "no"],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if time.monotonic() > deadline:
                raise TimeoutError("redis-server did not start")
            time.sleep(0.02)
        return self

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
        self.socket.unlink(missing_ok=True)


class Hosts:
    """The processes of one test: scheduler and workers, each with its own log file."""

    def __init__(self, root: Path, db_url: str, redis: Redis, **env: str):
        self.root = root
        self.dags_folder = root / "dags"
        self.dags_folder.mkdir(parents=True)
        self.db_url = db_url
        self.redis = redis
        self.env = {
            "DAGKEEPER_HOME": str(root),
            "DAGKEEPER_DB_URL": db_url,
            "DAGKEEPER_DAGS_FOLDER": str(self.dags_folder),
            "DAGKEEPER_CELERY_BROKER_URL": redis.url,
            **SETTINGS,
            **env,
        }
        self.supervisor = Supervisor(self.env, root / "logs")
        self._started: dict[str, int] = {}

    def dagkeeper(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "dagkeeper", *args]

    def parse(self) -> None:
        subprocess.run(self.dagkeeper("dags", "parse"), env=self.supervisor.env, check=True,
                       capture_output=True)  # fmt: skip

    def _start(self, name: str, argv: list[str]) -> Child:
        self._started[name] = self._started.get(name, 0) + 1
        return self.supervisor.start(f"{name}-{self._started[name]}", argv)

    def scheduler(self) -> Child:
        return self._start("scheduler", self.dagkeeper("scheduler"))

    def worker(self, hostname: str, concurrency: int = 2, queues: str = "default") -> Child:
        """A worker on a host of its own: own host name, no network, own process tree."""
        command = " ".join(
            self.dagkeeper("worker", "--hostname", hostname, "--concurrency", str(concurrency),
                           "--queues", queues)
        )  # fmt: skip
        argv = ["unshare", "--uts", "--net", "--pid", "--fork", "--kill-child", "--",
                "sh", "-c", f"hostname {hostname} && exec {command}"]  # fmt: skip
        return self._start(hostname, argv)

    @staticmethod
    def kill(child: Child) -> None:
        """SIGKILL a process group: for a worker, its whole "host" goes with it."""
        os.killpg(child.process.pid, signal.SIGKILL)
        child.process.wait()

    def logs(self) -> str:
        return "\n".join(
            f"===== {p.name}\n{p.read_text(errors='replace')[-6000:]}"
            for p in sorted((self.root / "logs").glob("*.log"))
        )

    def stop(self) -> None:
        self.supervisor.stop(timeout=20)


@pytest.fixture
def redis(tmp_path):
    server = Redis(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def database(pg_cluster, pg_template, monkeypatch):
    """A fresh PostgreSQL database, reached over the cluster's unix socket."""
    tcp_url = pg_cluster.create_database(template=pg_template)
    name = tcp_url.rsplit("/", 1)[1]
    url = f"postgresql+psycopg://postgres@/{name}?host={pg_cluster.dir}&port={pg_cluster.port}"
    monkeypatch.setenv("DAGKEEPER_DB_URL", url)
    dagkeeper.db.configure(url)
    yield url
    dagkeeper.db.dispose()
    pg_cluster.drop_database(tcp_url)


@pytest.fixture
def hosts(request, tmp_path, database, redis, monkeypatch):
    env = getattr(request, "param", {})
    for name, value in {**SETTINGS, **env}.items():  # the test's own reads (the API) agree
        monkeypatch.setenv(name, value)
    made = Hosts(tmp_path / "hosts", database, redis, **env)
    yield made
    made.stop()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(made.logs())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
