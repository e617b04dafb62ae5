"""Running a command whose output lines go to the task log as they arrive."""

from __future__ import annotations

import subprocess


def stream(command: list[str], env: dict[str, str] | None = None, cwd: str | None = None):
    """Run ``command``, printing each output line; returns (exit code, last line or None).

    If the runner interrupts us (a timeout, say), no process is left behind.
    """
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=env, cwd=cwd, text=True, errors="replace",
    )  # fmt: skip
    last_line = None
    try:
        assert process.stdout is not None
        for line in process.stdout:
            last_line = line.rstrip("\n")
            print(last_line, flush=True)
        code = process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    return code, last_line
