"""The trigger-rule matrix: each rule against each meaningful mix of upstream states."""

import pytest

from dagkeeper.scheduler.trigger_rules import Decision, decide, run_state_from_leaves

RUN, WAIT, SKIP, UF = Decision.RUN, Decision.WAIT, Decision.SKIP, Decision.UPSTREAM_FAILED

# upstream states:  all ok | one running | one failed | one upstream_failed | one skipped |
#                   all skipped | all failed | failed+running | success+running | failed+skipped
CASES = {
    "all_ok": ["success", "success"],
    "running": ["success", "running"],
    "failed": ["success", "failed"],
    "upstream_failed": ["success", "upstream_failed"],
    "skipped": ["success", "skipped"],
    "all_skipped": ["skipped", "skipped"],
    "all_failed": ["failed", "upstream_failed"],
    "failed_running": ["failed", None],
    "success_running": ["success", "queued"],
    "failed_skipped": ["failed", "skipped"],
}

MATRIX = {
    #                 all_ok running failed uf   skipped all_sk all_f f_run s_run f_sk
    "all_success":   [RUN,   WAIT,   UF,    UF,  SKIP,   SKIP,  UF,   UF,   WAIT, UF],
    "all_failed":    [SKIP,  SKIP,   SKIP,  SKIP, SKIP,  SKIP,  RUN,  WAIT, SKIP, SKIP],
    "all_done":      [RUN,   WAIT,   RUN,   RUN, RUN,    RUN,   RUN,  WAIT, WAIT, RUN],
    "one_success":   [RUN,   RUN,    RUN,   RUN, RUN,    SKIP,  UF,   WAIT, RUN,  UF],
    "one_failed":    [SKIP,  WAIT,   RUN,   RUN, SKIP,   SKIP,  RUN,  RUN,  WAIT, RUN],
    "none_failed":   [RUN,   WAIT,   UF,    UF,  RUN,    RUN,   UF,   UF,   WAIT, UF],
    "none_skipped":  [RUN,   WAIT,   RUN,   RUN, SKIP,   SKIP,  RUN,  WAIT, WAIT, SKIP],
    "always":        [RUN,   RUN,    RUN,   RUN, RUN,    RUN,   RUN,  RUN,  RUN,  RUN],
    "all_done_min_one_success":
                     [RUN,   WAIT,   RUN,   RUN, RUN,    SKIP,  SKIP, WAIT, WAIT, SKIP],
    "all_skipped":   [SKIP,  SKIP,   SKIP,  SKIP, SKIP,  RUN,   SKIP, SKIP, SKIP, SKIP],
    "one_done":      [RUN,   RUN,    RUN,   RUN, RUN,    SKIP,  RUN,  RUN,  RUN,  RUN],
    "none_failed_min_one_success":
                     [RUN,   WAIT,   UF,    UF,  RUN,    SKIP,  UF,   UF,   WAIT, UF],
    # without setup tasks upstream, a teardown's rule is all_done
    "all_done_setup_success":
                     [RUN,   WAIT,   RUN,   RUN, RUN,    RUN,   RUN,  WAIT, WAIT, RUN],
}  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "case", "expected"),
    [
        (rule, case, expected)
        for rule, row in MATRIX.items()
        for case, expected in zip(CASES, row, strict=True)
    ],
)
def test_trigger_rule_decides_from_upstream_states(rule, case, expected):
    assert decide(rule, CASES[case]) is expected


@pytest.mark.parametrize("rule", list(MATRIX))
def test_a_task_without_upstream_runs_whatever_its_rule(rule):
    assert decide(rule, []) is RUN


def test_every_trigger_rule_of_the_enum_is_in_the_matrix():
    from dagkeeper.serialization import TriggerRule

    assert {rule.value for rule in TriggerRule} == set(MATRIX)


@pytest.mark.parametrize(
    ("upstream", "setups", "expected"),
    [
        (["success", "failed"], ["success"], RUN),  # the work failed: clean up anyway
        (["success", None], ["success"], WAIT),
        (["failed", "upstream_failed"], ["failed"], UF),  # the setup failed: nothing to clean
        (["skipped", "skipped"], ["skipped"], SKIP),
        (["success", "failed", "success"], ["failed", "success"], RUN),  # one setup is enough
    ],
)
def test_a_teardown_runs_when_everything_is_done_and_one_of_its_setups_succeeded(
    upstream, setups, expected
):
    assert decide("all_done_setup_success", upstream, setups) is expected


def test_an_unknown_trigger_rule_is_an_error():
    with pytest.raises(ValueError, match="unknown trigger rule"):
        decide("sometimes", ["success"])


@pytest.mark.parametrize(
    ("leaves", "state"),
    [
        (["success", "skipped"], "success"),
        (["success", "failed"], "failed"),
        (["success", "upstream_failed"], "failed"),
        (["skipped"], "success"),
    ],
)
def test_run_state_comes_from_the_leaves(leaves, state):
    assert run_state_from_leaves(leaves) == state
