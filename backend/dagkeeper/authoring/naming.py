"""Identifier rules for DAGs, tasks and task groups.

Ids travel into URLs, file-system paths of logs and database keys, so they are
kept to a small safe alphabet. Dots in task and group ids are reserved for the
prefixes that task groups add, so a dotted id always means nesting.
"""

import re

from dagkeeper.authoring.exceptions import DagDefinitionError

MAX_ID_LENGTH = 250
_DAG_ID = re.compile(r"[A-Za-z0-9_.-]+")
_LABEL = re.compile(r"[A-Za-z0-9_-]+")


def check_dag_id(dag_id: object) -> str:
    if not isinstance(dag_id, str) or not _DAG_ID.fullmatch(dag_id):
        raise DagDefinitionError(
            f"Invalid dag_id {dag_id!r}: use only letters, digits, '_', '-' and '.'"
        )
    if len(dag_id) > MAX_ID_LENGTH:
        raise DagDefinitionError(f"Invalid dag_id {dag_id!r}: longer than {MAX_ID_LENGTH}")
    return dag_id


def check_label(kind: str, label: object) -> str:
    """Check a task id or group id as the author wrote it, before any group prefix."""
    if not isinstance(label, str) or not _LABEL.fullmatch(label):
        raise DagDefinitionError(
            f"Invalid {kind} {label!r}: use only letters, digits, '_' and '-' "
            "(dots are added by task groups)"
        )
    return label


def check_full_id(kind: str, full_id: str) -> str:
    if len(full_id) > MAX_ID_LENGTH:
        raise DagDefinitionError(f"Invalid {kind} {full_id!r}: longer than {MAX_ID_LENGTH}")
    return full_id
