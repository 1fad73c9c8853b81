"""Property tests of the paper-listing reader and of ``litscope.load`` on arbitrary bytes.

Random text and the sample listing with blocks deleted, duplicated, truncated or salted with
garbage: the reader returns a valid frame or raises a ``LitscopeError``; nothing else.
"""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import litscope
from litscope import schema
from litscope.errors import LitscopeError
from litscope.sources.listing import read_listing

from conftest import SAMPLE, check_reader_contract

BLOCKS = SAMPLE.read_text(encoding="utf-8").split("\n\n")[:40]
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _check(data: bytes) -> None:
    check_reader_contract(read_listing, data, name="generated.txt")


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
        df_corpus = litscope.load([buf])
        df = df_corpus.papers
    except LitscopeError:
        return
    schema.validate(df)
