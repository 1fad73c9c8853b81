"""Issue 8, items 4 and 10 for recorded API cassettes: compressed bodies are capped, YAML is read fast.

Item 4: a deflate body was inflated without limit (only gzip was capped, and silently cut);
every content-encoding now stops at ``vcr.MAX_BODY_BYTES`` and refuses the file with a
one-line InputError naming the file, the interaction and its line.
Item 10: cassettes were parsed with PyYAML's pure-Python loader although libyaml was there
(18 s for 8 MB); the libyaml safe loader is used when available, and stays safe.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib

import pytest
import yaml

from litscope.errors import InputError
from litscope.sources import vcr
from litscope.sources.vcr import read_vcr

MiB = 1024 * 1024


def _cassette(body: bytes, encoding: str) -> bytes:
    doc = {"interactions": [
        {"request": {"method": "GET", "uri": "https://api.example.org/ok", "headers": {}},
         "response": {"status": {"code": 200, "message": "OK"}, "headers": {},
                      "body": {"string": json.dumps({"data": [{"paperId": "p0", "title": "Kept"}]})}}},
        {"request": {"method": "GET", "uri": "https://api.example.org/bomb", "headers": {}},
         "response": {"status": {"code": 200, "message": "OK"},
                      "headers": {"Content-Encoding": [encoding]}, "body": {"string": body}}}],
        "version": 1}
    return yaml.safe_dump(doc).encode()


def _buffer(data: bytes, name: str = "bomb.yaml") -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _padded_json(size: int) -> bytes:
    """A valid JSON page of about ``size`` bytes (whitespace padding compresses 1000:1)."""
    page = json.dumps({"data": [{"paperId": "p1", "title": "Inflated"}]}).encode()
    return page[:1] + b" " * (size - len(page)) + page[1:]


def _compress(size: int, encoding: str) -> bytes:
    """``_padded_json(size)`` compressed, built in chunks so the test never holds it inflated."""
    page = json.dumps({"data": [{"paperId": "p1", "title": "Inflated"}]}).encode()
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS, "raw-deflate": -zlib.MAX_WBITS}[encoding]
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    out = [packer.compress(page[:1])]
    left = size - len(page)
    chunk = b" " * MiB
    while left > 0:
        out.append(packer.compress(chunk[:min(left, MiB)]))
        left -= MiB
    out.append(packer.compress(page[1:]))
    out.append(packer.flush())
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["deflate", "raw-deflate", "gzip"])
def test_compressed_body_over_the_cap_is_refused_naming_file_and_interaction(monkeypatch, encoding):
    # a small cap keeps the test fast; the real 200 MiB cap is checked below
    monkeypatch.setattr(vcr, "MAX_BODY_BYTES", 1 * MiB, raising=False)
    data = _cassette(_compress(2 * MiB, encoding), encoding.replace("raw-", ""))
    with pytest.raises(InputError) as info:
        read_vcr(_buffer(data))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("bomb.yaml: line ")
    assert "interaction 2" in message and "inflates to more than 1 MiB" in message
    assert info.value.file == "bomb.yaml" and info.value.line is not None
    assert isinstance(info.value.__cause__, ValueError)


@pytest.mark.parametrize("encoding", ["deflate", "raw-deflate", "gzip"])
def test_compressed_body_under_the_cap_is_read(monkeypatch, encoding):
    monkeypatch.setattr(vcr, "MAX_BODY_BYTES", 1 * MiB, raising=False)
    df_result = read_vcr(_buffer(_cassette(_compress(MiB - 1000, encoding), encoding.replace("raw-", ""))))
    df = df_result.frame
    assert df["title"].tolist() == ["Kept", "Inflated"]


def test_deflate_bomb_is_refused_at_the_real_cap():
    # 201 MiB of spaces in about 200 KB: was inflated in full, now refused. Each 1 MiB block follows
    # a full flush, so one compressed block repeated makes the stream (its checksum is never reached).
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    head = packer.compress(b"{") + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(b" " * MiB) + packer.flush(zlib.Z_FULL_FLUSH)
    data = _cassette(head + block * 201, "deflate")
    with pytest.raises(InputError, match=r"interaction 2: the deflate response body inflates to more than 200 MiB"):
        read_vcr(_buffer(data))


def test_truncated_compressed_body_is_listed_not_fatal():
    zipped = gzip.compress(_padded_json(10_000))
    df_result = read_vcr(_buffer(_cassette(zipped[: len(zipped) // 2], "gzip")))
    df = df_result.frame
    assert df["title"].tolist() == ["Kept"]
    assert "truncated" in [s.as_dict() for s in df_result.skipped][0]["reason"]


# -- item 10: the libyaml loader


def test_cassettes_are_parsed_with_the_libyaml_safe_loader(monkeypatch):
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    used = []

    class Spy(yaml.CSafeLoader):
        def __init__(self, stream):
            used.append(type(self).__mro__[1])
            super().__init__(stream)

    monkeypatch.setattr(yaml, "CSafeLoader", Spy)
    df_result = read_vcr(_buffer(_cassette(gzip.compress(_padded_json(1000)), "gzip")))
    df = df_result.frame
    assert len(df) == 2 and used == [yaml.CSafeLoader.__mro__[1]]


def test_pure_python_loader_when_libyaml_is_missing(monkeypatch):
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    df_result = read_vcr(_buffer(_cassette(gzip.compress(_padded_json(1000)), "gzip")))
    df = df_result.frame
    assert df["title"].tolist() == ["Kept", "Inflated"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['echo hi']", "!!python/name:os.system",
                                 "!!python/object/new:subprocess.Popen [['true']]"])
def test_libyaml_loader_still_refuses_python_tags(tag):
    data = f"interactions:\n- request: {{uri: x}}\n  response: {tag}\n".encode()
    with pytest.raises(InputError, match="not valid YAML"):
        read_vcr(_buffer(data))


def test_a_large_cassette_parses_in_seconds():
    # 4.8 MB of YAML: 15-30 CPU s with the pure-Python loader, about 0.2 s with libyaml
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    import time

    doc = {"interactions": [
        {"request": {"method": "GET", "uri": f"https://api.example.org/{i}", "headers": {"Accept": ["*/*"]}},
         "response": {"status": {"code": 200, "message": "OK"}, "headers": {"Server": ["x"]},
                      "body": {"string": json.dumps({"data": [{"paperId": f"p{i}", "title": "A paper",
                                                               "abstract": "Some words. " * 3_000}]})}}}
        for i in range(120)], "version": 1}
    data = yaml.dump(doc, Dumper=yaml.CSafeDumper).encode()
    assert len(data) > 4_000_000
    start = time.process_time()  # CPU seconds: a busy machine does not count
    vcr._load(data.decode(), "big.yaml")  # the YAML parse alone: records cost the same either way
    took = time.process_time() - start
    assert took < 3.0, f"parsing a {len(data) / 1e6:.1f} MB cassette took {took:.1f} CPU s"
    assert len(read_vcr(_buffer(data))) == 120
