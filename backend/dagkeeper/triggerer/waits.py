"""How the triggerer waits for each trigger kind: one coroutine per trigger, cheap while idle.

A wait returns the event the resumed task receives (JSON); the kinds and
their arguments are those of :mod:`dagkeeper.serialization.triggers`.
"""

from __future__ import annotations

import asyncio
import glob
import os
from datetime import UTC, datetime
from typing import Any

from dagkeeper.serialization.triggers import TriggerSpec

LONGEST_SLEEP = 60.0  # re-read the clock at least this often (it may be adjusted)


async def wait_until(moment: datetime, timeout_at: datetime | None = None) -> dict[str, Any]:
    """``{"moment": ...}``, or ``{"timeout": True}`` if ``timeout_at`` comes first (the sensor
    decides what a timeout means)."""
    timed_out = timeout_at is not None and timeout_at < moment
    until = timeout_at if timeout_at is not None and timed_out else moment
    while (left := (until - datetime.now(UTC)).total_seconds()) > 0:
        await asyncio.sleep(min(left, LONGEST_SLEEP))
    return {"timeout": True} if timed_out else {"moment": moment.isoformat()}


async def wait_for_file(
    filepath: str, recursive: bool, poke_interval: float, timeout_at: datetime | None
) -> dict[str, Any]:
    """``{"path": found}``, or ``{"timeout": True}`` once ``timeout_at`` passed (the sensor decides)."""
    while True:
        for path in glob.glob(filepath, recursive=recursive):
            if os.path.isfile(path) or (os.path.isdir(path) and os.listdir(path)):
                return {"path": path}
        if timeout_at is not None and datetime.now(UTC) >= timeout_at:
            return {"timeout": True}
        await asyncio.sleep(poke_interval)


async def wait(spec: TriggerSpec) -> dict[str, Any]:
    if spec.kind == "datetime":
        return await wait_until(**spec.args)
    if spec.kind == "file":
        return await wait_for_file(**spec.args)
    raise ValueError(f"no wait for trigger kind {spec.kind!r}")  # serialization knows more kinds
