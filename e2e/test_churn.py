"""Scenario 5: DAG files churn while the browser and eight API readers keep reading.

Every DAG id is used by one file only and never re-created after deletion, so
"seen, then missing, while its file had not been deleted" is a flap, whatever
the timing. Each structure read must equal one of the versions the churn wrote.
"""

from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass, field

from playwright.sync_api import Page

from dagfiles import broken_dag, chain_dag

SECONDS = float(os.environ.get("E2E_CHURN_SECONDS", "60"))
OPS_PER_SECOND = 4
READERS = 8


@dataclass
class Truth:
    """What the churn wrote, with wall-clock times."""

    written: dict[str, set[int]] = field(default_factory=dict)  # dag_id -> task counts
    deleted_at: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Observations:
    lists: list[tuple[float, float, frozenset[str]]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    workers: set[int] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)
    structure_reads: int = 0
    browser_reads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def churn(stack, truth: Truth, stop: threading.Event) -> int:
    rng = random.Random(5)
    live: dict[str, int] = {}  # file stem -> current task count
    broken: set[str] = set()
    serial = ops = 0
    while not stop.is_set():
        op = rng.choice(["add", "add", "edit", "edit", "break", "fix", "delete"]) if live else "add"
        if op == "add" or not live:
            serial += 1
            name, count = f"churn_{serial}", rng.randint(1, 4)
            with truth.lock:
                truth.written[name] = {count}
            stack.write_dag(f"{name}.py", chain_dag(name, count))
            live[name] = count
        else:
            name = rng.choice(sorted(live))
            if op == "edit":
                live[name] = max(1, live[name] + rng.choice([-1, 1]))
                with truth.lock:
                    truth.written[name].add(live[name])
                stack.write_dag(f"{name}.py", chain_dag(name, live[name]))
                broken.discard(name)
            elif op == "break":
                stack.write_dag(f"{name}.py", broken_dag(name))
                broken.add(name)
            elif op == "fix" and name in broken:
                stack.write_dag(f"{name}.py", chain_dag(name, live[name]))
                broken.discard(name)
            elif op == "delete":
                stack.delete_dag(f"{name}.py")
                with truth.lock:
                    truth.deleted_at[name] = time.monotonic()
                del live[name]
        ops += 1
        time.sleep(1 / OPS_PER_SECOND)
    return ops


def check_structure(name: str, body: dict, truth: Truth, obs: Observations) -> None:
    structure = body["structure"]
    nodes = [n["id"] for n in structure["nodes"]]
    node_set = set(nodes)
    for up, down in structure["edges"]:
        if up not in node_set or down not in node_set:
            obs.violations.append(f"{name}: edge {up}->{down} names a missing task")
    count = len(nodes)
    with truth.lock:
        valid = count in truth.written.get(name, set())
    expected_edges = [[f"t{i}", f"t{i + 1}"] for i in range(count - 1)]
    if (
        not valid
        or nodes != [f"t{i}" for i in range(count)]
        or structure["edges"] != expected_edges
    ):
        obs.violations.append(f"{name}: structure {nodes} {structure['edges']} was never written")


def reader(stack, truth: Truth, obs: Observations, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        start = time.monotonic()
        reply = stack.get("/api/v1/dags?tags=e2e&limit=1000&search=churn_")
        end = time.monotonic()
        with obs.lock:
            obs.statuses.append(reply.status)
            obs.workers.add(reply.worker)
            if reply.status == 200:
                ids = frozenset(d["dag_id"] for d in reply.body["dags"])
                obs.lists.append((start, end, ids))
        with truth.lock:
            names = sorted(truth.written)
        if not names:
            continue
        read_structure(stack, rng.choice(names), truth, obs)


def read_structure(stack, name: str, truth: Truth, obs: Observations) -> None:
    """Read one DAG's structure; it must be a version the writers wrote, whole."""
    reply = stack.get(f"/ui/structure/{name}")
    with obs.lock:
        obs.statuses.append(reply.status)
        obs.workers.add(reply.worker)
        if reply.status == 200:
            obs.structure_reads += 1
            check_structure(name, reply.body, truth, obs)


def find_flaps(truth: Truth, obs: Observations) -> list[str]:
    """A DAG seen present, then absent from a later read, while its file still existed."""
    flaps = []
    first_seen: dict[str, float] = {}
    for _start, end, ids in sorted(obs.lists, key=lambda o: o[1]):
        for name in ids:
            first_seen.setdefault(name, end)
    for start, end, ids in obs.lists:
        for name, seen_end in first_seen.items():
            deleted = truth.deleted_at.get(name)
            if name not in ids and start > seen_end and (deleted is None or deleted > end):
                flaps.append(f"{name} vanished from a read at {start:.2f} while its file existed")
    return flaps


def test_churn_never_flaps_and_every_read_is_a_committed_state(stack, page: Page):
    truth, obs, stop = Truth(), Observations(), threading.Event()
    threads = [
        threading.Thread(target=reader, args=(stack, truth, obs, stop, i), daemon=True)
        for i in range(READERS)
    ]
    for thread in threads:
        thread.start()
    result: dict[str, int] = {}
    writer = threading.Thread(target=lambda: result.update(ops=churn(stack, truth, stop)))
    writer.start()
    page.goto(f"{stack.base_url}/?search=churn_")
    deadline = time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        page.wait_for_selector('[data-testid="dag-list"], [data-testid="error-panel"]')
        if page.locator('[data-testid="error-panel"]').count():
            obs.violations.append(f"the browser showed an error: {page.inner_text('body')[:200]}")
        obs.browser_reads += 1
        page.reload()
    stop.set()
    writer.join()
    for thread in threads:
        thread.join()
    verdict("churn", truth, obs, result["ops"])


def verdict(name: str, truth: Truth, obs: Observations, ops: int) -> None:
    """Print what was read and assert: no 5xx, at least three workers, no violation."""
    obs.violations.extend(find_flaps(truth, obs))
    server_errors = [s for s in obs.statuses if s >= 500 or s == 0]
    print(
        f"\n{name}: {ops} file operations, {len(obs.statuses)} API reads "
        f"({len(obs.lists)} lists, {obs.structure_reads} structures), {obs.browser_reads} "
        f"browser reads, {len(obs.workers)} workers seen, {len(server_errors)} 5xx, "
        f"{len(obs.violations)} violations"
    )
    assert not server_errors
    assert len(obs.workers) >= 3
    assert not obs.violations, obs.violations[:10]
