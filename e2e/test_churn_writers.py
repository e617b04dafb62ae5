"""Scenario 5, harder: DAG files written the way real tools write them (issue 11).

The stack's DAG folder is a symlink to a revision folder, as a git-sync
side-car leaves it. While eight API readers and Chromium keep reading,
writers save files in place in chunks with pauses, move DAGs between files,
swap the link to whole new revisions, and check out 1,000 files at once. Every
read must be a state that was committed on disk: no DAG missing while a file
defines it (a flap), no structure of a half-written file, no mix of two
revisions, no 5xx.
"""

from __future__ import annotations

import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import database_for, log_in
from dagfiles import chain_dag
from dagkeeper.testing.stack import Stack
from dagkeeper.testing.writers import swap_symlink, write_in_place
from test_churn import Observations, Truth, read_structure, verdict

SECONDS = float(os.environ.get("E2E_WRITERS_SECONDS", "20"))
READERS = 8
CHECKOUT_FILES = 1000


@dataclass
class Synced:
    """A running stack whose DAG folder is a symlink to one revision folder."""

    stack: Stack
    link: Path
    revisions: Path

    def path(self, name: str) -> Path:
        return self.link / name


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def synced(request, tmp_path_factory, pg_cluster):
    db_url = database_for(request.param, tmp_path_factory, pg_cluster)
    root = tmp_path_factory.mktemp(f"synced-{request.param}")
    revisions = root / "revisions"
    (revisions / "rev-0").mkdir(parents=True)
    link = root / "sync" / "dags"
    link.parent.mkdir()
    link.symlink_to(revisions / "rev-0")
    stack = Stack(root, db_url, workers=4, DAGKEEPER_DAGS_FOLDER=str(link))
    try:
        stack.start(components=("processor", "webserver"))
        yield Synced(stack, link, revisions)
    finally:
        stack.stop()


@pytest.fixture
def context(browser, browser_context_args, synced):
    """Pages of this module start logged in to the synced stack (not the suite's shared one)."""
    own = browser.new_context(**browser_context_args)
    yield log_in(own, synced.stack)
    own.close()


def read_lists(
    stack: Stack,
    query: str,
    obs: Observations,
    stop: threading.Event,
    check: Callable[[list[dict]], None] | None = None,
) -> None:
    """Read one DAG list again and again, recording every answer."""
    while not stop.is_set():
        start = time.monotonic()
        reply = stack.get(f"/api/v1/dags?{query}")
        end = time.monotonic()
        with obs.lock:
            obs.statuses.append(reply.status)
            obs.workers.add(reply.worker)
            if reply.status == 200:
                obs.lists.append((start, end, frozenset(d["dag_id"] for d in reply.body["dags"])))
                if check is not None:
                    check(reply.body["dags"])


def read_structures(stack: Stack, truth: Truth, obs: Observations, stop: threading.Event) -> None:
    rng = random.Random(threading.get_ident())
    while not stop.is_set():
        with truth.lock:
            names = sorted(truth.written)
        if not names:
            time.sleep(0.05)
            continue
        read_structure(stack, rng.choice(names), truth, obs)


def run_readers(
    synced: Synced,
    truth: Truth,
    obs: Observations,
    lists: Callable[[threading.Event], None],
    work: Callable[[], None],
    *,
    structures: bool = True,
) -> None:
    """Run the readers while ``work`` runs: half run ``lists``, half read structures
    (all run ``lists`` without ``structures``); stop and join them after it."""
    targets = [lists] * (READERS // 2 if structures else READERS)
    if structures:
        targets += [lambda stop: read_structures(synced.stack, truth, obs, stop)] * (READERS // 2)
    stop = threading.Event()
    threads = [threading.Thread(target=t, args=(stop,), daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    try:
        work()
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def browse(page: Page, search: str, rows: int, obs: Observations, base_url: str) -> None:
    """Reload the DAG list searched for ``search`` for SECONDS; every rendering must list
    exactly ``rows`` DAGs, and no error."""
    page.goto(f"{base_url}/?search={search}")
    until = time.monotonic() + SECONDS
    while time.monotonic() < until:
        page.wait_for_selector('[data-testid="dag-list"], [data-testid="error-panel"]')
        if page.locator('[data-testid="error-panel"]').count():
            obs.violations.append(f"the browser showed an error: {page.inner_text('body')[:200]}")
        listed = page.locator(f'[data-dag-id^="{search}"]').count()
        if listed != rows:
            obs.violations.append(f"the browser listed {listed} DAGs, not {rows}")
        obs.browser_reads += 1
        page.reload()


def wait_listed(stack: Stack, search: str, count: int, timeout: float = 60) -> None:
    def listed():
        reply = stack.get(f"/api/v1/dags?limit=1&search={search}")
        return reply.status == 200 and reply.body["total_entries"] == count

    stack.wait_for(listed, timeout, f"{count} DAGs matching {search!r}")


def test_in_place_writers_with_pauses_never_flap_or_show_half_a_file(synced, page: Page):
    files = 10
    truth, obs = Truth(), Observations()
    for i in range(files):
        truth.written[f"inplace_{i}"] = {5}
        synced.path(f"inplace_{i}.py").write_text(chain_dag(f"inplace_{i}", 5))
    wait_listed(synced.stack, "inplace_", files)
    ops = 0

    def no_errors(dags: list[dict]) -> None:
        obs.violations += [f"{d['dag_id']} shown broken" for d in dags if d["has_import_errors"]]

    def writer(seed: int) -> None:
        nonlocal ops
        rng = random.Random(seed)
        until = time.monotonic() + SECONDS
        while time.monotonic() < until:
            name = f"inplace_{rng.randrange(seed, files, 2)}"  # two writers never share a file
            count = rng.randint(3, 10)
            with truth.lock:
                truth.written[name].add(count)
            pauses = [rng.uniform(0.05, 0.4) for _ in range(rng.randint(1, 3))]
            write_in_place(synced.path(f"{name}.py"), chain_dag(name, count), pauses)
            ops += 1

    def work() -> None:
        writers = [threading.Thread(target=writer, args=(seed,)) for seed in range(2)]
        for thread in writers:
            thread.start()

        browse(page, "inplace_", files, obs, synced.stack.base_url)
        for thread in writers:
            thread.join()

    query = "limit=1000&search=inplace_"
    lists = lambda stop: read_lists(synced.stack, query, obs, stop, no_errors)  # noqa: E731
    run_readers(synced, truth, obs, lists, work)
    verdict("in-place writers", truth, obs, ops)


def test_dags_moving_between_files_never_disappear_and_keep_pause_and_history(synced):
    movers = 4
    truth, obs = Truth(), Observations()
    home = {}
    for i in range(movers):
        truth.written[f"mover_{i}"] = {3}
        synced.path(f"mover_{i}_a.py").write_text(chain_dag(f"mover_{i}", 3))
        home[i] = "a"
    wait_listed(synced.stack, "mover_", movers)
    paused = synced.stack.request("PATCH", "/api/v1/dags/mover_0", {"is_paused": True})
    assert paused.status == 200, paused.body
    ops = 0

    def mover() -> None:
        """Each move: the new file gains the DAG, then the old one loses it (deleted or
        emptied in place), within milliseconds (one commit) or seconds (two saves)."""
        nonlocal ops
        rng = random.Random(11)
        until = time.monotonic() + SECONDS
        while time.monotonic() < until:
            i = rng.randrange(movers)
            old, new = home[i], "b" if home[i] == "a" else "a"
            source = synced.path(f"mover_{i}_{old}.py")
            write_in_place(synced.path(f"mover_{i}_{new}.py"), chain_dag(f"mover_{i}", 3), [0.1])
            time.sleep(rng.choice([0.0, 0.0, 0.5, 2.0]))
            if rng.random() < 0.5:
                source.unlink()
            else:
                source.write_text("# moved elsewhere\n")
            home[i] = new
            ops += 1
            time.sleep(0.3)

    lists = lambda stop: read_lists(synced.stack, "limit=1000&search=mover_", obs, stop)  # noqa: E731
    run_readers(synced, truth, obs, lists, mover, structures=False)
    verdict("moving DAGs", truth, obs, ops)
    settled = f"mover_0_{home[0]}.py"
    synced.stack.wait_for(
        lambda: synced.stack.get("/api/v1/dags/mover_0").body["fileloc"] == settled, 10, "moved"
    )
    mover_0 = synced.stack.get("/api/v1/dags/mover_0").body
    assert mover_0["is_paused"] is True
    assert mover_0["version_number"] == 1  # the same structure: no new version, history kept


def test_symlink_swaps_show_exactly_one_revision(synced, page: Page):
    shared = 100
    revision_sets: list[frozenset[str]] = []
    truth, obs = Truth(), Observations()  # truth: only swapped DAG ids, never deleted

    def make_revision(number: int) -> Path:
        """A copy of the current revision where 10 files differ and one DAG is its own."""
        folder = synced.revisions / f"rev-{number}"
        shutil.copytree(os.path.realpath(synced.link), folder, symlinks=True)
        for old in folder.glob("swap_only_*.py"):
            old.unlink()
        for i in range(shared) if number == 1 else random.Random(number).sample(range(shared), 10):
            (folder / f"swap_{i}.py").write_text(chain_dag(f"swap_{i}", 1 + number % 5))
            with truth.lock:
                truth.written.setdefault(f"swap_{i}", set()).add(1 + number % 5)
        (folder / f"swap_only_{number}.py").write_text(chain_dag(f"swap_only_{number}", 1))
        ids = {f"swap_{i}" for i in range(shared)} | {f"swap_only_{number}"}
        revision_sets.append(frozenset(ids))
        return folder

    swap_symlink(synced.link, make_revision(1))
    wait_listed(synced.stack, "swap_only_1", 1)
    wait_listed(synced.stack, "swap_", shared + 1)
    ops = 0

    def one_revision(dags: list[dict]) -> None:
        ids = frozenset(d["dag_id"] for d in dags)
        if ids not in revision_sets:
            only = sorted(i for i in ids if i.startswith("swap_only_"))
            obs.violations.append(f"a read of {len(ids)} DAGs matched no revision ({only})")

    def swapper() -> None:
        nonlocal ops
        until = time.monotonic() + SECONDS
        number = 1
        while time.monotonic() < until:
            number += 1
            folder = make_revision(number)
            with truth.lock:
                truth.deleted_at[f"swap_only_{number - 1}"] = time.monotonic()
            swap_symlink(synced.link, folder)
            if number > 3:  # git-sync removes revisions it swapped away from
                shutil.rmtree(synced.revisions / f"rev-{number - 2}")
            ops += 1
            time.sleep(1.5)

    def work() -> None:
        thread = threading.Thread(target=swapper)
        thread.start()

        browse(page, "swap_only_", 1, obs, synced.stack.base_url)
        thread.join()

    query = "limit=1000&search=swap_"
    lists = lambda stop: read_lists(synced.stack, query, obs, stop, one_revision)  # noqa: E731
    run_readers(synced, truth, obs, lists, work)
    verdict("symlink swaps", truth, obs, ops)
    page.goto(f"{synced.stack.base_url}/dags/swap_0/versions")
    expect(page.get_by_test_id("version-revision").first).to_contain_text("rev-")


def test_checkout_of_a_thousand_files_never_flaps(synced):
    folder = synced.path("checkout")
    folder.mkdir()
    truth, obs = Truth(), Observations()
    names = [f"checkout_{i}" for i in range(CHECKOUT_FILES)]
    for name in names:
        truth.written[name] = {2, 3}
        (folder / f"{name}.py").write_text(chain_dag(name, 2))
    wait_listed(synced.stack, "checkout_", CHECKOUT_FILES, timeout=300)

    def counted(stop: threading.Event) -> None:
        while not stop.is_set():
            reply = synced.stack.get("/api/v1/dags?limit=1&search=checkout_")
            with obs.lock:
                obs.statuses.append(reply.status)
                obs.workers.add(reply.worker)
                if reply.status == 200 and reply.body["total_entries"] != CHECKOUT_FILES:
                    obs.violations.append(f"{reply.body['total_entries']} DAGs listed")

    def checkout() -> None:
        for name in names:  # as git does: unlink, create, write
            path = folder / f"{name}.py"
            path.unlink()
            path.write_text(chain_dag(name, 3))

        def all_new() -> bool:
            reply = synced.stack.get("/api/v1/dags?limit=1000&search=checkout_")
            return all(d["version_number"] == 2 for d in reply.body["dags"])

        synced.stack.wait_for(all_new, 300, "the checkout published")

    run_readers(synced, truth, obs, counted, checkout)
    verdict("1,000-file checkout", truth, obs, CHECKOUT_FILES)
