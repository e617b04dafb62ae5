"""API bodies go out br- or gzip-compressed as the client asks, compressed once per cached body."""

from __future__ import annotations

import gzip

import brotli
import pytest

from dagkeeper.api import compression, spa

LIST = "/api/v1/dags"  # 1.4 KB with the standard dataset: over the 1 KB floor
SMALL = "/api/v1/dags/etl"  # under it


def _decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    return response.data


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("gzip", "gzip"),
        ("br", "br"),
        ("gzip, deflate, br", "br"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
        ("identity", None),
        ("br;q=0, gzip;q=0", None),
        ("gzip;q=0, *", "br"),
        ("*;q=0, gzip", "gzip"),
        ("", None),
    ],
)
def test_the_encoding_follows_accept_encoding_and_its_q_values(client, data, accept, encoding):
    plain = client.get(LIST)
    response = client.get(LIST, headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") == encoding
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Length"] == str(len(response.data))
    suffix = f"-{encoding}" if encoding else ""
    assert response.headers["ETag"] == plain.headers["ETag"][:-1] + suffix + '"'
    assert _decoded(response) == plain.data
    if encoding:
        assert len(response.data) < len(plain.data)


def test_bodies_under_a_kilobyte_are_sent_plain(client, data):
    response = client.get(SMALL, headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.json["dag_id"] == "etl"


@pytest.mark.parametrize("accept", ["gzip", "br", "identity"])
def test_a_revalidation_in_each_encoding_gets_a_304_with_its_etag(client, data, accept):
    first = client.get(LIST, headers={"Accept-Encoding": accept})
    etag = first.headers["ETag"]
    again = client.get(LIST, headers={"Accept-Encoding": accept, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Vary"] == "Accept-Encoding"


def test_an_etag_of_another_encoding_is_not_a_match(client, data):
    gzipped = client.get(LIST, headers={"Accept-Encoding": "gzip"})
    other = client.get(
        LIST, headers={"Accept-Encoding": "br", "If-None-Match": gzipped.headers["ETag"]}
    )
    assert other.status_code == 200
    assert other.headers["Content-Encoding"] == "br"


@pytest.mark.parametrize("accept", ["gzip", "br"])
def test_cached_and_uncached_paths_give_the_same_bytes(client, data, accept):
    uncached = client.get(LIST, headers={"Accept-Encoding": accept, "Cache-Control": "no-cache"})
    cached = client.get(LIST, headers={"Accept-Encoding": accept})
    assert cached.data == uncached.data
    assert _decoded(cached) == client.get(LIST).data


def test_a_cached_body_is_compressed_once_per_encoding(client, data, monkeypatch):
    calls: list[str] = []
    real = compression.compress

    def counting(body: bytes, encoding: str) -> bytes:
        calls.append(encoding)
        return real(body, encoding)

    monkeypatch.setattr(compression, "compress", counting)
    bodies = {client.get(LIST, headers={"Accept-Encoding": "gzip"}).data for _ in range(4)}
    bodies |= {client.get(LIST, headers={"Accept-Encoding": "br"}).data for _ in range(3)}
    assert calls == ["gzip", "br"]
    assert len(bodies) == 2


def test_a_precompressed_asset_is_served_when_accepted(anonymous, tmp_path, monkeypatch):
    assets = tmp_path / "assets"
    assets.mkdir()
    script = b"console.log('dagkeeper');\n" * 100
    (assets / "app-1a2b.js").write_bytes(script)
    (assets / "app-1a2b.js.gz").write_bytes(gzip.compress(script))
    (assets / "app-1a2b.js.br").write_bytes(brotli.compress(script))
    monkeypatch.setattr(spa, "STATIC", tmp_path)
    for accept, encoding in [("gzip, br", "br"), ("gzip", "gzip"), ("identity", None)]:
        response = anonymous.get("/assets/app-1a2b.js", headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == encoding
        assert response.headers["Content-Type"].startswith("text/javascript")
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Vary"] == "Accept-Encoding"
        assert _decoded(response) == script
        response.close()
