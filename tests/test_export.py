"""Tests for litscope.export: escaping, citation keys, and round trips through litscope.load."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

import litscope
from litscope.dedupe import deduplicate
from litscope.errors import SchemaError
from litscope.export import bibtex_escape, citation_keys, write_bibtex, write_csv, write_ris
from litscope.schema import to_frame

RECORDS = [
    {"title": "Heat & mass transfer: 100% {robust} methods for C# with $x_i$ ~ y, 2^10 and back\\slashes",
     "authors": ["Müller, Jürgen", "O'Brien, Seán", "van der Berg, Jan"], "year": 2020,
     "venue": "Journal of Heat & Mass", "doi": "10.1000/heat_mass.2020", "pmid": "31415926",
     "abstract": 'We study "quotes", commas, semicolons; and 50% of {braces} & ampersands. Ünïcödé: 数据, αβγ.',
     "keywords": ["heat transfer", "learning, machine", "C++", "naïve Bayes"]},
    {"title": "Über die Größe: naïve café studies", "authors": ["Doe, Jane"], "year": 1999,
     "abstract": "", "keywords": ["learning, machine"], "arxiv_id": "2101.00001"},
    {"title": "A record with no year and no authors", "abstract": "Only an abstract.", "keywords": []},
    {"title": "Deep nets", "authors": ["Doe, J."], "year": 2020, "doi": "10.1000/dn", "keywords": ["x"]},
]

WRITERS = {"bib": write_bibtex, "ris": write_ris, "csv": write_csv}
READERS = {"bib": "litscope.sources.bibtex", "ris": "litscope.sources.ris", "csv": "litscope.sources.csv"}


@pytest.fixture
def corpus() -> pd.DataFrame:
    return to_frame(RECORDS, source_format="test", source_file="in.ris")


def _fields(df: pd.DataFrame) -> list[tuple]:
    return [(r.title, list(r.authors), None if pd.isna(r.year) else int(r.year), r.doi, r.abstract,
             list(r.keywords)) for r in df.itertuples()]


@pytest.mark.parametrize("ext", ["bib", "ris", "csv"])
def test_round_trip_through_load(corpus, tmp_path, ext):
    pytest.importorskip(READERS[ext])
    path = tmp_path / f"out.{ext}"
    WRITERS[ext](corpus, path)
    back = litscope.load(path).papers
    assert back["source_format"].iloc[0] == {"bib": "bibtex", "ris": "ris", "csv": "csv"}[ext]
    assert _fields(back) == _fields(corpus)
    if ext in ("bib", "ris"):
        assert back["pmid"].tolist() == corpus["pmid"].tolist()
        assert back["arxiv_id"].tolist() == corpus["arxiv_id"].tolist()
        assert back["venue"].tolist() == corpus["venue"].tolist()


@pytest.mark.parametrize("ext", ["bib", "ris", "csv"])
def test_merged_corpus_round_trip(corpus, tmp_path, ext):
    pytest.importorskip(READERS[ext])
    dup = to_frame([{**RECORDS[3], "title": "DEEP NETS", "abstract": "Longer abstract."}],
                   source_format="test", source_file="other.ris")
    merged = deduplicate(pd.concat([corpus, dup], ignore_index=True))
    assert len(merged) == 4
    path = tmp_path / f"merged.{ext}"
    WRITERS[ext](merged, path)  # a corpus: its papers are written
    back = litscope.load(path).papers
    assert _fields(back) == _fields(merged.papers)


def test_bibtex_escaping_and_keys(corpus):
    buf = io.StringIO()
    write_bibtex(corpus, buf)
    text = buf.getvalue()
    assert r"Heat \& mass transfer: 100\% \{robust\} methods for C\# with \$x\_i\$ " \
           r"\textasciitilde{} y, 2\textasciicircum{}10 and back\textbackslash{}slashes" in text
    assert "author = {Müller, Jürgen and O'Brien, Seán and van der Berg, Jan}" in text
    assert text.count("@article{") == 1 and text.count("@misc{") == 3  # @article only with a venue
    assert "eprint = {2101.00001}" in text and "archiveprefix = {arXiv}" in text
    # braces balance in every entry, so no field can swallow the next one
    for entry in text.split("\n@"):
        body = entry.replace(r"\{", "").replace(r"\}", "")
        assert body.count("{") == body.count("}")
    keys = citation_keys(corpus)
    assert keys == ["muller2020heat", "doe1999uber", "anonrecord", "doe2020deep"]
    assert len(set(keys)) == len(keys)


def test_citation_keys_unique_on_collisions():
    df = to_frame([{"title": "Deep nets", "authors": ["Doe, J"], "year": 2020}] * 3 + [{"title": "", "abstract": "x"}],
                  source_format="t", source_file="x")
    assert citation_keys(df) == ["doe2020deep", "doe2020deepa", "doe2020deepb", "anon"]


def test_bibtex_escape_all_specials():
    assert bibtex_escape("a{b}c\\d&e%f$g#h_i~j^k") == (
        r"a\{b\}c\textbackslash{}d\&e\%f\$g\#h\_i\textasciitilde{}j\textasciicircum{}k")


def test_ris_one_line_per_field(corpus):
    buf = io.StringIO()
    write_ris(corpus.assign(abstract=["line one\nline two", "", "x\r\ny", ""]), buf)
    lines = buf.getvalue().splitlines()
    assert "AB  - line one line two" in lines
    assert all(line == "" or line[2:6] == "  - " for line in lines)
    assert lines.count("ER  - ") == 4
    assert [line for line in lines if line.startswith("AU")][:3] == [
        "AU  - Müller, Jürgen", "AU  - O'Brien, Seán", "AU  - van der Berg, Jan"]
    assert "UR  - https://pubmed.ncbi.nlm.nih.gov/31415926/" in lines


def test_csv_lists_joined_and_utf8(corpus, tmp_path):
    path = write_csv(corpus, tmp_path / "out.csv")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "Über".encode("utf-8") in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0]["authors"] == "Müller, Jürgen; O'Brien, Seán; van der Berg, Jan"
    assert rows[0]["keywords"] == "heat transfer; learning, machine; C++; naïve Bayes"
    assert rows[1]["keywords"] == "learning, machine;"  # kept whole by readers splitting on ','
    assert rows[2]["year"] == "" and rows[3]["year"] == "2020"


def test_writers_do_not_mutate_and_reject_non_frames(corpus, tmp_path):
    before = corpus.copy(deep=True)
    for name, writer in WRITERS.items():
        writer(corpus, tmp_path / f"x.{name}")
    pd.testing.assert_frame_equal(corpus, before)
    with pytest.raises(SchemaError):
        write_csv([{"title": "x"}], tmp_path / "bad.csv")
    with pytest.raises(SchemaError):
        write_ris(corpus.drop(columns=["title"]), tmp_path / "bad.ris")
