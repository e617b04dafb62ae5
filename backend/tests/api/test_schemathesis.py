"""schemathesis over the OpenAPI document, against the real app on both databases.

Every operation is fuzzed with data that fits its schema and with data that
does not, seeded (``derandomize``) and bounded (``EXAMPLES`` per operation and
mode), through the WSGI app with the standard dataset. The checks: no 5xx,
every status documented, the documented content type, and every body valid
against its documented schema.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Half the cases aim at the dataset's DAG, so they reach past the 404 of an unknown id.
KNOWN = {"dag_id": "etl", "run_id": "scheduled__2024-01-02T00:00:00+00:00", "task_id": "load"}


def _fuzz(operation, mode: GenerationMode, path_parameters: dict | None) -> None:
    known = {k: v for k, v in (path_parameters or {}).items() if k in operation.path}

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=known or None))
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


# (mode, path parameters): positive with any ids and with the dataset's; negative with its ids.
ROUNDS = [
    (GenerationMode.POSITIVE, None),
    (GenerationMode.POSITIVE, KNOWN),
    (GenerationMode.NEGATIVE, KNOWN),
]


def _can_be_negated(operation) -> bool:
    """Only query strings and bodies here have constraints to break (path ids are any string)."""
    return bool(len(operation.query) or len(operation.body))


def test_the_api_meets_its_openapi_document(app, data):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, path_parameters in ROUNDS:
            if mode is GenerationMode.NEGATIVE and not _can_be_negated(operation):
                continue
            try:
                _fuzz(operation, mode, path_parameters)
            except Exception as exc:  # noqa: BLE001 -- collected, reported together below
                failures.append(f"{operation.label} ({mode}): {exc}"[:2000])
    assert not failures, "\n\n".join(failures)
