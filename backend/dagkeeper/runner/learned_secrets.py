"""Secret values the task child learns reach the runner's log masking in time.

The task runs in a child process (:mod:`.task_process`) while the runner
ships its log, so a password the task reads (``Variable.get``,
``Connection.get``, a secret-named param) is remembered in the child, not in
the runner that redacts the log. The child writes each new value into a pipe
*before* handing it to the task; the runner drains the pipe before it
redacts any text. Whatever the task printed after learning a secret was
therefore written after the secret, so the runner knows it by then.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading

from dagkeeper.masking import SecretValues


class LearnedSecrets:
    """A pipe from the task child to the runner's :class:`SecretValues`."""

    def __init__(self, secrets: SecretValues):
        self.secrets = secrets
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        self._partial = b""
        self._lock = threading.Lock()

    def parent_side(self) -> None:
        """In the runner, once the child is forked: only the child sends."""
        os.close(self._write_fd)

    def send(self, value: str) -> None:
        """In the child: pass one new secret value on (blocks until it is in the pipe)."""
        data = json.dumps(value).encode() + b"\n"
        while data:
            data = data[os.write(self._write_fd, data) :]

    def redact(self, text: str) -> str:
        """``text`` with every secret value known so far, the child's included, masked."""
        with self._lock:
            with contextlib.suppress(BlockingIOError):
                while chunk := os.read(self._read_fd, 65536):
                    self._partial += chunk
            *lines, self._partial = self._partial.split(b"\n")
            for line in lines:
                self.secrets.add(json.loads(line))
            return self.secrets.redact(text)
