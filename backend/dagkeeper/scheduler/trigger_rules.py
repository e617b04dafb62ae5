"""Trigger rules: what a task instance should do given its upstream states.

Pure functions, so the whole matrix is tested without a database. A decision
is made as early as the upstream states allow (``all_success`` turns into
``upstream_failed`` as soon as one upstream fails), the way Airflow does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import Enum

DONE = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})


class Decision(Enum):
    WAIT = "wait"
    RUN = "run"
    SKIP = "skipped"
    UPSTREAM_FAILED = "upstream_failed"


def decide(trigger_rule: str, upstream_states: Iterable[str | None]) -> Decision:
    """The decision for a task whose upstream task instances are in ``upstream_states``."""
    states = Counter(upstream_states)
    total = sum(states.values())
    if total == 0 or trigger_rule == "always":
        return Decision.RUN
    success = states["success"] + states["removed"]
    failed = states["failed"] + states["upstream_failed"]
    skipped = states["skipped"]
    done = sum(n for state, n in states.items() if state in DONE)
    all_done = done == total
    rule = _RULES.get(trigger_rule)
    if rule is None:
        raise ValueError(f"unknown trigger rule {trigger_rule!r}")
    return rule(total, success, failed, skipped, all_done)


def _all_success(total, success, failed, skipped, all_done):
    if failed:
        return Decision.UPSTREAM_FAILED
    if skipped:
        return Decision.SKIP
    return Decision.RUN if success == total else Decision.WAIT


def _all_failed(total, success, failed, skipped, all_done):
    if success or skipped:
        return Decision.SKIP
    return Decision.RUN if failed == total else Decision.WAIT


def _all_done(total, success, failed, skipped, all_done):
    return Decision.RUN if all_done else Decision.WAIT


def _one_success(total, success, failed, skipped, all_done):
    if success:
        return Decision.RUN
    if not all_done:
        return Decision.WAIT
    return Decision.SKIP if skipped == total else Decision.UPSTREAM_FAILED


def _one_failed(total, success, failed, skipped, all_done):
    if failed:
        return Decision.RUN
    return Decision.SKIP if all_done else Decision.WAIT


def _none_failed(total, success, failed, skipped, all_done):
    if failed:
        return Decision.UPSTREAM_FAILED
    return Decision.RUN if all_done else Decision.WAIT


def _none_skipped(total, success, failed, skipped, all_done):
    if skipped:
        return Decision.SKIP
    return Decision.RUN if all_done else Decision.WAIT


_RULES = {
    "all_success": _all_success,
    "all_failed": _all_failed,
    "all_done": _all_done,
    "one_success": _one_success,
    "one_failed": _one_failed,
    "none_failed": _none_failed,
    "none_skipped": _none_skipped,
}


def run_state_from_leaves(leaf_states: Iterable[str | None]) -> str:
    """A finished run failed if any leaf failed or could not run because of a failure."""
    return "failed" if any(s in ("failed", "upstream_failed") for s in leaf_states) else "success"
