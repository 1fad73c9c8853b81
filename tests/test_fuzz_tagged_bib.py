"""Issue 8 fuzz suite: mutated real exports never break, and never stall, a reader.

Each reader (RIS, MEDLINE/nbib, WoS plain text, EndNote, BibTeX, CSV, WoS tab-delimited and
recorded API cassettes) gets real fixture files damaged as files are in the wild and by a
hostile tester: bytes flipped, the file cut short, lines deleted, braces/quotes/brackets
deleted, chunks duplicated, and long whitespace runs or long unbroken tokens pasted into a
field. The contract (``check_reader_contract``): a frame that passes ``schema.validate``, or a
``LitscopeError`` naming the file (and the record, for a record error); never another
exception. "Never a hang": each example must finish within a few CPU seconds, which a
quadratic regular expression on a 64 KB run does not.

Bounded to about 20 s in all (``max_examples`` per reader) so ``make test`` runs it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litscope.errors import InputError, LitscopeError, RecordError
from litscope.sources.bibtex import read_bibtex
from litscope.sources.csv import read_csv
from litscope.sources.endnote import read_endnote
from litscope.sources.medline import read_medline
from litscope.sources.ris import read_ris
from litscope.sources.vcr import read_vcr
from litscope.sources.wos import read_wos
from litscope.sources.wos_tab import read_wos_tab

from conftest import check_reader_contract

FIXTURES = Path(__file__).parent / "fixtures"
#: Seeds are cut to this many bytes (at a line end): big exports add time, not new shapes.
SEED_BYTES = 24_000
#: CPU seconds one example may take: linear readers need well under one on these sizes.
HANG_SECONDS = 8.0


def _seeds(*patterns: str) -> list[bytes]:
    out = []
    for pattern in patterns:
        for path in sorted(FIXTURES.glob(pattern)):
            if path.name == "PROVENANCE.txt" or not path.is_file():
                continue
            data = path.read_bytes()
            if len(data) > SEED_BYTES:
                data = data[: data.rfind(b"\n", 0, SEED_BYTES) + 1]
            out.append(data)
    return out


READERS = {
    "ris": (read_ris, _seeds("ris/*/*.ris", "ris/*/*.txt"), "export.ris"),
    "medline": (read_medline, _seeds("medline_nbib/*"), "export.nbib"),
    "wos": (read_wos, _seeds("wos_plaintext/*"), "savedrecs.txt"),
    "endnote": (read_endnote, _seeds("endnote/*"), "export.enw"),
    "bibtex": (read_bibtex, _seeds("bibtex/*/*.bib"), "refs.bib"),
    "csv": (read_csv, _seeds("csv_exports/*.csv", "csv_exports/*/*.csv", "csv_exports/*/*.tsv"), "export.csv"),
    "wos_tab": (read_wos_tab, _seeds("wos_tab_delimited/*"), "savedrecs.txt"),
    "vcr": (read_vcr, _seeds("semantic_scholar_api/*.yaml", "crossref_json/*.yaml"), "cassette.yaml"),
}

#: LITSCOPE_FUZZ_EXAMPLES=500 hunts longer (by hand); 40 keeps ``make test`` at about 20 s.
FUZZ = settings(max_examples=int(os.environ.get("LITSCOPE_FUZZ_EXAMPLES", "40")), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

#: Runs pasted into a field: the shapes that made regular expressions backtrack.
_RUNS = [b" ", b"\t", b"\n", b" \t", b"\r\n", b"a", b"10.1000/", b"A. ", b"{", b"}", b"<", b"and ", b"@a(",
         b"%", b"-", b"\\'e", b"\x00", b"\xff"]
_BRACKETS = b'{}()[]"<>'


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed file with one to four kinds of damage."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "truncate", "delete_line", "delete_bracket", "duplicate", "run",
                                   "run"]))
        at = draw(st.integers(0, len(data)))
        if op == "flip" and data:
            for _ in range(draw(st.integers(1, 8))):
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "delete_line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            del data[start: len(data) if end < 0 else end + 1]
        elif op == "delete_bracket":
            spots = [i for i, b in enumerate(data) if b in _BRACKETS]
            for _ in range(min(len(spots), draw(st.integers(1, 3)))):
                i = draw(st.sampled_from(spots))
                spots.remove(i)
                data[i:i + 1] = b" "  # same length: the other spots stay valid
        elif op == "duplicate" and data:
            i = draw(st.integers(0, len(data)))
            j = min(len(data), i + draw(st.integers(1, 4000)))
            data[at:at] = data[i:j] * draw(st.integers(1, 3))
        elif op == "run":
            # into a line picked by line, not by byte (short field lines such as 'AU  - Doe' count as
            # much as abstracts), a few characters in: 'AU  - Doe<run>', 'author = {Doe<run>'
            starts = [0] + [i + 1 for i, b in enumerate(data) if b == 0x0A]
            start = draw(st.sampled_from(starts))
            end = data.find(b"\n", start)
            at = min(start + draw(st.integers(0, 16)), len(data) if end < 0 else end)
            unit = draw(st.sampled_from(_RUNS))
            data[at:at] = unit * (draw(st.sampled_from([100, 5_000, 20_000])) // len(unit))
    return bytes(data)


def check(reader, data: bytes, name: str) -> None:
    """The reader contract, the error naming the file (and record), within HANG_SECONDS."""

    def named(buf, **options):
        try:
            return reader(buf, **options)
        except LitscopeError as exc:
            assert isinstance(exc, InputError), f"{type(exc).__name__}: {exc}"
            assert exc.file == name and str(exc).startswith(name), str(exc)
            assert "\n" not in str(exc), str(exc)
            if isinstance(exc, RecordError):
                assert exc.record is not None or exc.line is not None, str(exc)
            raise

    named.__name__ = reader.__name__
    start = time.process_time()
    check_reader_contract(named, data, name=name)
    took = time.process_time() - start
    assert took < HANG_SECONDS, f"{len(data):,} bytes took {took:.1f} CPU s"


def test_every_reader_has_seeds():
    assert {name: len(seeds) > 0 for name, (_, seeds, _) in READERS.items()} == dict.fromkeys(READERS, True)


def _fuzz(fmt: str):
    reader, seeds, name = READERS[fmt]

    @FUZZ
    @given(mutated(seeds))
    def test(data):
        check(reader, data, name)

    test.__name__ = f"test_fuzz_{fmt}"
    return test


test_fuzz_ris = _fuzz("ris")
test_fuzz_medline = _fuzz("medline")
test_fuzz_wos = _fuzz("wos")
test_fuzz_endnote = _fuzz("endnote")
test_fuzz_bibtex = _fuzz("bibtex")
test_fuzz_csv = _fuzz("csv")
test_fuzz_wos_tab = _fuzz("wos_tab")
test_fuzz_vcr = _fuzz("vcr")


# A deterministic sweep: a long run pasted into each kind of field of one real file per format.
# Random positions rarely land in a short line such as 'AU  - Doe' or 'LID - 10.1/x [doi]', where
# the quadratic regular expressions were; this visits every kind once.

#: Per read in the sweep: the file is about 64 KB, which a linear reader reads in well under 0.2 s.
SWEEP_SECONDS = 2.0


def _field_spots(fmt: str, data: bytes) -> list[int]:
    """One offset a few characters into the value of each kind of field (at most 40 kinds)."""
    spots: dict[bytes, int] = {}
    lines = data.split(b"\n")
    if fmt in ("csv", "wos_tab"):  # the cells of the first record
        header, row = lines[0], lines[1] if len(lines) > 1 else b""
        base = len(header) + 1
        cut = b"\t" if b"\t" in header else b","
        offsets = [0] + [i + 1 for i, b in enumerate(row) if b == cut[0]]
        return [base + min(o + 2, len(row)) for o in offsets[:40]]
    offset = 0
    for line in lines:
        if fmt == "bibtex":
            eq = line.find(b"=")
            kind = line[:eq].strip() if eq > 0 else b""
            opener = max(line.find(b"{", eq), line.find(b'"', eq)) if eq > 0 else -1
            at = opener + 4
        else:
            kind = line.split(b" ", 1)[0] if line[:1].strip() else b""
            at = len(kind) + (6 if fmt in ("ris", "medline") else 3)
        if kind and kind not in spots and 0 < at <= len(line) and len(spots) < 40:
            spots[kind] = offset + at
        offset += len(line) + 1
    return list(spots.values())


_SWEEP_SEEDS = {"ris": "ris/asreview/asreview_proquest.ris", "medline": "medline_nbib/biopython_pubmed_result2.txt",
                "wos": "wos_plaintext/wostools_single-article.txt", "endnote": "endnote/colrev_ais_enl.txt",
                "bibtex": "bibtex/colrev_database_exports/colrev_scopus_bib.bib",
                "csv": "csv_exports/litstudy_springer.csv",
                "wos_tab": "wos_tab_delimited/scientopy_wos_tab_records4001-4071.txt"}




@pytest.mark.parametrize("fmt", sorted(_SWEEP_SEEDS))
def test_long_run_in_each_kind_of_field(fmt):
    reader, _, name = READERS[fmt]
    data = (FIXTURES / _SWEEP_SEEDS[fmt]).read_bytes()[:SEED_BYTES]
    spots = _field_spots(fmt, data)
    assert len(spots) >= 5, spots
    for at in spots:
        for run in (b" " * 40_000, b"a" * 40_000):  # a whitespace run; a token with no space
            mutated_data = data[:at] + run + data[at:]
            start = time.process_time()
            check(reader, mutated_data, name)
            took = time.process_time() - start
            context = data[max(0, at - 12):at + 12]
            assert took < SWEEP_SECONDS, f"{fmt}: a 40 KB run at {context!r} took {took:.1f} CPU s"


# Deterministic regressions the fuzzer found (kept so they stay fixed without a lucky draw).


@pytest.mark.parametrize("fmt, data", [
    ("vcr", b"interactions:\n" + b"\n" * 3000 + b"- request: {}\n  response: {}\n"),
])
def test_fuzz_findings(fmt, data):
    reader, _, name = READERS[fmt]
    check(reader, data, name)
