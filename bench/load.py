"""Load from a separate process on loopback with ``wrk`` (Debian package), bounded in time.

``wrk`` is a maintained HTTP benchmarking tool whose latency distribution
(``--latency``) gives the median and p99 directly.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import urllib.request

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str | None) -> float | None:
    if text is None:
        return None
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return round(float(value) * _UNITS[unit], 3)


def wrk(
    url: str,
    seconds: int = 20,
    connections: int = 8,
    threads: int = 2,
    headers: dict[str, str] | None = None,
) -> dict:
    """Hammer one URL; returns p50/p99 latency in ms, requests/s and non-2xx/3xx count."""
    if not url.startswith(("http://127.", "http://localhost")):
        raise ValueError("load is only ever sent to loopback")
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: `apt-get install -y wrk` (make bench does)")
    header_args = [
        arg for key, value in (headers or {}).items() for arg in ("-H", f"{key}: {value}")
    ]
    args = [f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *header_args]
    out = subprocess.run(
        ["wrk", *args, "--timeout", "10s", url],
        capture_output=True, text=True, check=True, timeout=seconds + 30,
    ).stdout  # fmt: skip
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))  # "2.50s "
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    if requests == 0:  # nothing finished inside the window: no distribution to read
        latency = {"50": None, "99": None}
    return {
        "p50_ms": _ms(latency["50"]),
        "p99_ms": _ms(latency["99"]),
        "rps": round(rps, 1),
        "requests": requests,
        "errors": int(bad.group(1)) if bad else 0,
        "socket_errors": sum(map(int, socket.groups())) if socket else 0,
        "command": " ".join(["wrk", *map(shlex.quote, args), url]),
    }


def answers(url: str) -> bool:
    """Whether a server at ``url`` is up: it answers with a 2xx or 3xx."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:  # refused, reset, timed out, or an HTTP error status
        return False
