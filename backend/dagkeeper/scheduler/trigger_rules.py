"""Trigger rules: what a task instance should do given its upstream states.

Pure functions, so the whole matrix is tested without a database. A decision
is made as early as the upstream states allow (``all_success`` turns into
``upstream_failed`` as soon as one upstream fails), the way Airflow does.

Skips propagate through the rules: a task whose rule cannot be met because
upstream tasks were skipped is skipped itself (``all_success`` after a branch
not taken), while ``none_failed_min_one_success``, ``one_success``,
``none_failed``, ``all_done`` and ``always`` let a join after a branch run.
Teardown tasks (``all_done_setup_success``) run once everything upstream is
done, provided at least one of their setup tasks succeeded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from dagkeeper.serialization import TriggerRule

DONE = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})


class Decision(Enum):
    WAIT = "wait"
    RUN = "run"
    SKIP = "skipped"
    UPSTREAM_FAILED = "upstream_failed"


@dataclass(frozen=True)
class Upstream:
    """Counts of upstream states that the rules read."""

    total: int
    success: int  # success or removed
    failed: int  # failed or upstream_failed
    failed_itself: int  # failed only (one_done does not count upstream_failed)
    skipped: int
    all_done: bool
    setups: tuple[str | None, ...]  # states of the direct upstream setup tasks


def decide(
    trigger_rule: str,
    upstream_states: Iterable[str | None],
    setup_states: Iterable[str | None] = (),
) -> Decision:
    """The decision for a task whose upstream task instances are in ``upstream_states``.

    ``setup_states`` are the states of those upstream tasks that are setup
    tasks (they are in ``upstream_states`` too); only
    ``all_done_setup_success`` reads them.
    """
    states = Counter(upstream_states)
    total = sum(states.values())
    if total == 0 or trigger_rule == "always":
        return Decision.RUN
    rule = _RULES.get(trigger_rule)
    if rule is None:
        raise ValueError(f"unknown trigger rule {trigger_rule!r}")
    done = sum(n for state, n in states.items() if state in DONE)
    return rule(
        Upstream(
            total=total,
            success=states["success"] + states["removed"],
            failed=states["failed"] + states["upstream_failed"],
            failed_itself=states["failed"],
            skipped=states["skipped"],
            all_done=done == total,
            setups=tuple(setup_states),
        )
    )


def _all_success(u: Upstream) -> Decision:
    if u.failed:
        return Decision.UPSTREAM_FAILED
    if u.skipped:
        return Decision.SKIP
    return Decision.RUN if u.success == u.total else Decision.WAIT


def _all_failed(u: Upstream) -> Decision:
    if u.success or u.skipped:
        return Decision.SKIP
    return Decision.RUN if u.failed == u.total else Decision.WAIT


def _all_done(u: Upstream) -> Decision:
    return Decision.RUN if u.all_done else Decision.WAIT


def _all_done_min_one_success(u: Upstream) -> Decision:
    if not u.all_done:
        return Decision.WAIT
    return Decision.RUN if u.success else Decision.SKIP


def _all_done_setup_success(u: Upstream) -> Decision:
    if not u.all_done:
        return Decision.WAIT
    if not u.setups or "success" in u.setups:
        return Decision.RUN
    return Decision.SKIP if all(s == "skipped" for s in u.setups) else Decision.UPSTREAM_FAILED


def _all_skipped(u: Upstream) -> Decision:
    if u.success or u.failed:
        return Decision.SKIP
    return Decision.RUN if u.skipped == u.total else Decision.WAIT


def _one_success(u: Upstream) -> Decision:
    if u.success:
        return Decision.RUN
    if not u.all_done:
        return Decision.WAIT
    return Decision.SKIP if u.skipped == u.total else Decision.UPSTREAM_FAILED


def _one_failed(u: Upstream) -> Decision:
    if u.failed:
        return Decision.RUN
    return Decision.SKIP if u.all_done else Decision.WAIT


def _one_done(u: Upstream) -> Decision:
    if u.success or u.failed_itself:
        return Decision.RUN
    return Decision.SKIP if u.all_done else Decision.WAIT


def _none_failed(u: Upstream) -> Decision:
    if u.failed:
        return Decision.UPSTREAM_FAILED
    return Decision.RUN if u.all_done else Decision.WAIT


def _none_failed_min_one_success(u: Upstream) -> Decision:
    if u.failed:
        return Decision.UPSTREAM_FAILED
    if not u.all_done:
        return Decision.WAIT
    return Decision.RUN if u.success else Decision.SKIP


def _none_skipped(u: Upstream) -> Decision:
    if u.skipped:
        return Decision.SKIP
    return Decision.RUN if u.all_done else Decision.WAIT


_RULES = {
    TriggerRule.ALL_SUCCESS: _all_success,
    TriggerRule.ALL_FAILED: _all_failed,
    TriggerRule.ALL_DONE: _all_done,
    TriggerRule.ALL_DONE_MIN_ONE_SUCCESS: _all_done_min_one_success,
    TriggerRule.ALL_DONE_SETUP_SUCCESS: _all_done_setup_success,
    TriggerRule.ALL_SKIPPED: _all_skipped,
    TriggerRule.ONE_SUCCESS: _one_success,
    TriggerRule.ONE_FAILED: _one_failed,
    TriggerRule.ONE_DONE: _one_done,
    TriggerRule.NONE_FAILED: _none_failed,
    TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS: _none_failed_min_one_success,
    TriggerRule.NONE_SKIPPED: _none_skipped,
}


def run_state_from_leaves(leaf_states: Iterable[str | None]) -> str:
    """A finished run failed if any leaf failed or could not run because of a failure."""
    return "failed" if any(s in ("failed", "upstream_failed") for s in leaf_states) else "success"
