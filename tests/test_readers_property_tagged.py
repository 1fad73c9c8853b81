"""Property tests of the tagged-text readers (RIS, MEDLINE, WoS plain text, EndNote).

Whatever bytes they get - random text, tag soup, or real fixtures with lines deleted,
duplicated, shuffled, truncated or salted with garbage - each reader either returns a
frame that passes ``schema.validate`` or raises a ``LitscopeError`` subclass; nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litscope.sources.endnote import read_endnote
from litscope.sources.medline import read_medline
from litscope.sources.ris import read_ris
from litscope.sources.wos import read_wos

from conftest import check_reader_contract

FIXTURES = Path(__file__).parent / "fixtures"
READERS = [read_ris, read_medline, read_wos, read_endnote]

# Small fixtures of the four formats keep each example fast; together they cover every flavour
# of line these readers meet (BOM, CRLF, preambles, continuations, 4-letter tags, headers).
SEED_FILES = sorted(
    p for pattern in ("ris/*/*.ris", "ris/*/*.txt", "medline_nbib/*", "wos_plaintext/*", "endnote/*")
    for p in FIXTURES.glob(pattern)
    if p.name != "PROVENANCE.txt" and p.stat().st_size <= 25_000
)
SEEDS = [p.read_bytes() for p in SEED_FILES]

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_all_readers(data: bytes) -> None:
    for reader in READERS:
        check_reader_contract(reader, data, name="generated.txt")


def test_seed_files_are_there():
    assert len(SEEDS) >= 30


@PROPERTY
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check_all_readers(data)


_TAGS = ["TY  - ", "ER  -", "ER  - ", "TI  - ", "T1  - ", "AB  - ", "N2  - ", "AU  - ", "KW  - ", "DO  - ",
         "PY  - ", "UR  - ", "AN  - ", "PMID  - ", "1.", "<2>", "PMID- ", "FAU - ", "AID - ", "DP  - ",
         "      ", "PT J", "PT ", "FN Clarivate", "VR 1.0", "AF ", "TI ", "DE ", "   ", "ER", "EF",
         "%0 ", "%T ", "%A ", "%X ", "%K ", "%R ", "%D ", "", "TY - ", "ER -"]
_VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["JOUR", "A title", "Doe, Jane", "Liu R.", "10.1000/ABC", "https://doi.org/10.1/x",
                     "https://arxiv.org/abs/2101.00001v2", "12345 [doi]", "10.1186/x [doi]", "2020///",
                     "Start date: 20170812", "<b></b>", "&amp;", "...", " . ", "null", ";;", "\t"]),
)


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from(_TAGS), _VALUES), max_size=40),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_tag_soup(lines, newline, bom):
    text = newline.join(tag + value for tag, value in lines)
    data = text.encode("utf-8", errors="surrogatepass") if text else b""
    check_all_readers((b"\xef\xbb\xbf" if bom else b"") + data)


@st.composite
def mutated_fixture(draw):
    data = draw(st.sampled_from(SEEDS))
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "garbage", "blank"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "garbage":
            junk = draw(st.binary(min_size=1, max_size=20))
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + junk + lines[i][k:]
        else:
            lines[i] = b""
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))
    out = b"\n".join(lines)
    if draw(st.booleans()):
        out = out[: draw(st.integers(0, len(out)))]
    return out


@PROPERTY
@given(mutated_fixture())
def test_mutated_fixtures(data):
    check_all_readers(data)


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name)
def test_truncated_fixture_every_few_lines(path):
    """Deterministic companion: each fixture cut at eight places (mid-line too) reads or fails cleanly."""
    data = path.read_bytes()
    for k in range(8):
        check_all_readers(data[: len(data) * k // 8 + k])
