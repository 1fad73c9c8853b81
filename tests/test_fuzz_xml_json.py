"""Issue 8: a bounded fuzz suite for the XML and JSON readers (PubMed/PMC XML, arXiv Atom, JSON).

Real fixture files are mutated the ways files break in the wild (bytes flipped, the file cut
short, closing tags or brackets deleted, chunks duplicated) and fed to the readers. Two properties:

* the contract (``check_reader_contract``): a valid frame, or a ``LitscopeError`` that names
  the file (and, for a record, its number or line); never another exception, never a hang
  (hypothesis' deadline fails an example that runs for seconds);
* nothing lost: one local mutation inside the records of a multi-record file costs at most
  the record it hits and one neighbour (a broken start tag merges two records); every other
  record still loads, and the damage is listed.

Bounded: a few hundred examples on small files, about 20 s in all.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litscope.errors import LitscopeError, RecordError
from litscope.sources.arxiv import read_arxiv
from litscope.sources.json import read_json
from litscope.sources.pubmed_xml import read_pubmed_xml

from conftest import check_reader_contract

FIXTURES = Path(__file__).parent / "fixtures"
NAME = "mutated.file"


def _seeds(*patterns: str, limit: int = 12_000) -> list[bytes]:
    return [p.read_bytes() for pattern in patterns for p in sorted(FIXTURES.glob(pattern))
            if p.name != "PROVENANCE.txt" and p.stat().st_size <= limit]


XML_SEEDS = _seeds("pubmed_xml/*.xml", "arxiv_atom/*.xml")
JSON_SEEDS = _seeds("csl_json/*.json", "google_scholar/*.json", "crossref_json/*.json", "semantic_scholar_api/*.json")

# Multi-record files for 'nothing lost': the 100-entry arXiv feed cut to 12 entries, the
# 15-record CSL-JSON export, and the fixtures' PubMed articles gathered in one set.
_ARXIV = (FIXTURES / "arxiv_atom" / "q_testing_s0_m100_cfe7536492ca.atom.xml").read_bytes()
ARXIV_12 = _ARXIV[:[m.start() for m in re.finditer(rb"<entry>", _ARXIV)][12]] + b"</feed>\n"
CSL_15 = (FIXTURES / "csl_json" / "Date_export_to_Better_CSL-JSON_360_811.csl.json").read_bytes()
_ARTICLES = [m.group(0) for p in sorted((FIXTURES / "pubmed_xml").glob("biopython_pubmed*.xml"))
             for m in re.finditer(rb"<PubmedArticle>.*?</PubmedArticle>", p.read_bytes(), re.S)]
PUBMED_SET = (b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January '
              b'2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n<PubmedArticleSet>\n'
              + b"\n".join(_ARTICLES) + b"\n</PubmedArticleSet>\n")
MULTI = [(read_arxiv, ARXIV_12, rb"<entry>", rb"</entry>"), (read_json, CSL_15, rb"\n  \{", rb"\n  \}"),
         (read_pubmed_xml, PUBMED_SET, rb"<PubmedArticle>", rb"</PubmedArticle>")]

FUZZ = settings(max_examples=60, deadline=timedelta(seconds=5),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CLOSERS = {"xml": rb"</[A-Za-z_][\w.:-]*\s*>", "json": rb'[}\],"]'}


@st.composite
def mutation(draw, data: bytes, kind: str, lo: int = 0, hi: int | None = None) -> bytes:
    """One mutation of ``data`` at an offset in ``[lo, hi)``."""
    hi = len(data) if hi is None else hi
    how = draw(st.sampled_from(["flip", "cut", "delete_closer", "duplicate"]))
    at = draw(st.integers(lo, max(lo, hi - 1)))
    if how == "flip":
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:] if data else data
    if how == "cut":
        return data[:at]
    if how == "delete_closer":
        closers = [m for m in re.finditer(CLOSERS[kind], data) if lo <= m.start() < hi]
        if not closers:
            return data
        m = draw(st.sampled_from(closers))
        return data[:m.start()] + data[m.end():]
    length = draw(st.integers(1, 400))
    to = draw(st.integers(lo, hi))
    return data[:to] + data[at:at + length] + data[to:]


@st.composite
def mutated(draw, seeds: list[bytes], kind: str) -> bytes:
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 3))):
        data = draw(mutation(data, kind))
    return data


def check_errors_name_file_and_record(reader, data: bytes) -> None:
    """With ``errors='raise'`` a bad record raises a RecordError naming file and record (or line)."""
    try:
        _read(reader, data, errors="raise")
    except RecordError as exc:
        assert exc.file == NAME and (exc.record is not None or exc.line is not None), str(exc)
    except LitscopeError as exc:
        assert getattr(exc, "file", NAME) == NAME, str(exc)


def _named(data: bytes) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = NAME
    return buf


def _read(reader, data: bytes, **options):
    return reader(_named(data), **options)


@FUZZ
@given(mutated(XML_SEEDS, "xml"))
def test_mutated_xml_files_keep_the_contract(data):
    for reader in (read_pubmed_xml, read_arxiv):
        check_reader_contract(reader, data, name=NAME)
        check_errors_name_file_and_record(reader, data)


@FUZZ
@given(mutated(JSON_SEEDS, "json"))
def test_mutated_json_files_keep_the_contract(data):
    check_reader_contract(read_json, data, name=NAME)
    check_errors_name_file_and_record(read_json, data)


@st.composite
def one_local_mutation(draw):
    """A multi-record file with one mutation (no cut) between its first record start and last record end."""
    reader, data, start, end = draw(st.sampled_from(MULTI))
    lo = re.search(start, data).start()
    hi = [m.end() for m in re.finditer(end, data)][-1]
    kind = "json" if reader is read_json else "xml"
    mutated_data = data
    while mutated_data == data or len(mutated_data) < len(data) - 500:  # a cut is not local
        mutated_data = draw(mutation(data, kind, lo, hi))
    return reader, data, mutated_data


@settings(FUZZ, max_examples=60)
@given(one_local_mutation())
def test_one_damaged_record_costs_at_most_its_neighbour(case):
    reader, original, data = case
    total = len(_read(reader, original))
    df_result = _read(reader, data)
    df = df_result.frame
    skipped = [s.as_dict() for s in df_result.skipped]
    assert len(df) >= total - 2, (len(df), total, skipped)
    assert len(df) + len(skipped) >= total - 1, (len(df), total, skipped)
    assert all(s["file"] == NAME and s["reason"] for s in skipped)
