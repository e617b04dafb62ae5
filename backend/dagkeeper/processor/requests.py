""" "Reparse now" requests from the UI: rows the web server inserts and the processor takes."""

from __future__ import annotations

from dagkeeper import db
from dagkeeper.models.component import take_parse_requests

POLL_INTERVAL = 1.0  # seconds between looks at the request table


def take_requested() -> list[str]:
    """The filelocs users asked to reparse (the requests are removed in the same transaction)."""
    with db.transaction() as session:
        return sorted(set(take_parse_requests(session)))
