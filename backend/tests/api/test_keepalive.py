"""Real gunicorn keeps an HTTP/1.1 connection open between requests, and compresses on it.

Over a 50 ms link a new connection per request costs a round trip (and a TLS
handshake behind a proxy) before any byte of the answer.
"""

from __future__ import annotations

import gzip
import http.client

from .factories import standard_dataset
from .live_server import webserver


def test_two_requests_on_one_connection_are_both_answered_on_that_socket(db):
    standard_dataset()
    with webserver(workers=1) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
        headers = {"Authorization": f"Bearer {server.token}", "Accept-Encoding": "gzip"}
        try:
            conn.request("GET", "/api/v1/dags", headers=headers)
            first = conn.getresponse()
            first_body = gzip.decompress(first.read())
            socket_used = conn.sock
            local_port = socket_used.getsockname()[1]
            conn.request("GET", "/api/v1/dags/etl", headers=headers)
            second = conn.getresponse()
            second_body = second.read()
            assert conn.sock is socket_used
            assert conn.sock.getsockname()[1] == local_port
        finally:
            conn.close()
    assert (first.status, second.status) == (200, 200)
    assert first.getheader("Connection") != "close"
    assert first.getheader("Content-Encoding") == "gzip"
    assert b'"dag_id":"etl"' in first_body.replace(b" ", b"")
    assert b'"dag_id":"etl"' in second_body.replace(b" ", b"")
    assert first.getheader("X-Dagkeeper-Worker") == second.getheader("X-Dagkeeper-Worker")
