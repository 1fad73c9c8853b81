"""Property tests of the paper-listing reader and of ``litscope.load`` on arbitrary bytes.

Random text and the sample listing with blocks deleted, duplicated, truncated or salted with
garbage: the reader returns a valid frame or raises a ``LitscopeError``; nothing else.
"""

from __future__ import annotations

import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litscope
from litscope import schema
from litscope.errors import LitscopeError
from litscope.sources.listing import read_listing

from conftest import SAMPLE

BLOCKS = SAMPLE.read_text(encoding="utf-8").split("\n\n")[:40]
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(data: bytes) -> None:
    buf = io.BytesIO(data)
    buf.name = "generated.txt"
    try:
        df = read_listing(buf)
    except LitscopeError:
        return
    assert isinstance(df, pd.DataFrame)
    schema.validate(df)
    # nothing dropped silently: every block after the first title is a record, skipped, or chrome
    for item in df.attrs["skipped"]:
        assert item["line"] >= 1 and item["reason"]


@PROPERTY
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    _check(data)


@PROPERTY
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=3000))
def test_random_text(text):
    _check(text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(st.lists(st.sampled_from(range(len(BLOCKS))), max_size=60),
       st.integers(min_value=0, max_value=4000), st.binary(max_size=50))
def test_mutated_sample(order, cut, garbage):
    text = "\n\n".join(BLOCKS[i] for i in order).encode("utf-8")
    _check(text[:cut] + garbage + text[cut:])


@PROPERTY
@given(st.binary(max_size=2000))
def test_load_never_raises_anything_else(data):
    buf = io.BytesIO(data)
    buf.name = "random.bin"
    try:
        df = litscope.load([buf])
    except LitscopeError:
        return
    schema.validate(df)
