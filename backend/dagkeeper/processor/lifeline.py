"""Children die with their parent: a killed processor leaves no forkserver or parse child.

Linux sends the ``PR_SET_PDEATHSIG`` signal to a process when its parent
exits, however it exits (SIGKILL included): the forkserver arms it against the
processor, a pass's zygote against the forkserver, and every parse child against
the zygote. A parent that died
before the signal was armed is caught by comparing ``getppid()``. Elsewhere
this is a no-op; the forkserver still exits when its parent's pipe closes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """SIGKILL this process when ``parent`` (its parent now) exits."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return
    if os.getppid() != parent:
        os._exit(1)
