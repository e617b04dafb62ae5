"""The gunicorn worker: gthread, but a connection gets a thread only once it has sent data.

A sync worker is held by one idle connection for its whole timeout, so two
idle sockets made a 2-worker server unavailable. gunicorn's gthread worker
hands a new connection straight to a thread, which waits up to 5 s for its
first bytes: a handful of idle sockets still stall every thread. Here a new
connection waits in the worker's poller, like a kept-alive one, and reaches
a thread only when it becomes readable; idle ones are closed after
``keepalive`` seconds without costing a thread.

Each client socket also gets kernel send and receive timeouts, so a client
that stops reading a response, or stalls in the middle of its request, frees
its thread after ``CLIENT_IO_TIMEOUT`` seconds. A client that trickles a byte
every few seconds is a reverse proxy's job (see README, "Production").
"""

from __future__ import annotations

import errno
import selectors
import socket
import struct
import time
from functools import partial

from gunicorn.workers import gthread

CLIENT_IO_TIMEOUT = 10  # seconds one recv or send of a client socket may block


def _io_timeouts(sock: socket.socket, seconds: int) -> None:
    value = struct.pack("ll", seconds, 0)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)


class ThreadWorker(gthread.ThreadWorker):
    def accept(self, listener) -> None:
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        _io_timeouts(client, CLIENT_IO_TIMEOUT)
        conn = gthread.TConn(self.cfg, client, address, listener.getsockname())
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(
            client, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn)
        )
