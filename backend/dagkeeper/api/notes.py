"""Writing a note on a run or a task instance: one helper, so both endpoints audit alike.

A note is free text a user leaves for others ("re-ran after the upstream fix");
the audit event records its old and new lengths rather than the text itself.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dagkeeper.api.auth.audit import audit
from dagkeeper.models import ChangeKind, DagRun, TaskInstance, record_change


def set_note(s: Session, row: DagRun | TaskInstance, note: str | None, target: str) -> None:
    """Store ``note`` on ``row`` (None clears it) with its change token and audit event."""
    old = row.note
    if old == note:
        return
    row.note = note
    record_change(s, [(row.dag_id, ChangeKind.RUN)])
    audit(s, "set_note", target=target,
          detail={"old_length": len(old or ""), "new_length": len(note or "")})  # fmt: skip
