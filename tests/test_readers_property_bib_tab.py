"""Property tests: the BibTeX and tabular readers return a valid frame or raise a LitscopeError.

Inputs are random bytes and real-looking files mutated the way files get damaged: lines
deleted or duplicated, the file truncated, stray braces/quotes/delimiters or garbage bytes
inserted.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litscope.sources.bibtex import read_bibtex
from litscope.sources.csv import read_csv
from litscope.sources.parquet import read_parquet
from litscope.sources.wos_tab import read_wos_tab
from litscope.sources.xlsx import read_xlsx

from conftest import check_reader_contract

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BIB = """@string{j = "Nice " # "Journal"}
% a comment line with @article{fake,
@article{Doe2020,
  author = {Doe, Jane and C{\\'e}sar, Jean AND {ACME Inc.}},
  title = {{A} study of $\\alpha$ and \\textit{things}},
  journal = j, year = 2020, month = jan,
  abstract = "Multi-line
    abstract with {nested {braces}}",
  doi = {10.1234/abc}, keywords = {a, b; c},
}
@inproceedings{child, title = {Child}, crossref = {parent}}
@proceedings{parent, title = {Parent}, year = 1999, crossref = {child}}
@misc( paren , title = "Paren entry", eprint = {2101.00001}, archiveprefix = {arXiv} )
""".encode("utf-8")

CSV = ('\ufeffTitle,Authors,Year,Source title,DOI,Abstract,Author Keywords\r\n'
       '"A ""quoted"" title","Doe J., Roe R.",2020,"J, One","10.1234/x","Line one\r\nline two","k1; k2"\r\n'
       'Second,Li W.,2021,J2,,Short,\r\n'
       ',,2022,,,,\r\n').encode("utf-8")

TSV = ("PT\tAU\tAF\tTI\tSO\tDE\tID\tAB\tPY\tDI\tPM\tUT\n"
       "J\tDoe, J\tDoe, Jane\tFirst title\tJOURNAL\tk1; k2\tK3\tAn abstract.\t2020\t10.1234/y\t123\tWOS:1\n"
       "J\tRoe, R\tRoe, Rita\tSecond title\tJOURNAL\t\t\t\t2021\t\t\tWOS:2\n").encode("utf-8")

STRAY = st.sampled_from([b"{", b"}", b'"', b"@", b",", b";", b"\t", b"\n", b"=", b"#", b"%", b"\\",
                         b"\x00", b"\xff\xfe", b"\xe9", b"@article{", b"$", b'"\n"', b"\r"])


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = base
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "truncate", "insert", "garbage"]))
        lines = data.split(b"\n")
        if kind == "delete" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"\n".join(lines)
        elif kind == "duplicate" and lines:
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif kind == "truncate":
            data = data[:draw(st.integers(0, len(data)))]
        elif kind == "insert":
            pos = draw(st.integers(0, len(data)))
            data = data[:pos] + draw(STRAY) + data[pos:]
        else:
            pos = draw(st.integers(0, len(data)))
            data = data[:pos] + draw(st.binary(min_size=1, max_size=12)) + data[pos:]
    return data


def _check(reader, data: bytes, **kwargs) -> None:
    check_reader_contract(reader, data, **kwargs)


@pytest.mark.parametrize("errors", ["skip", "raise"])
@SETTINGS
@given(data=st.data())
def test_bibtex_mutations(errors, data):
    _check(read_bibtex, data.draw(mutated(BIB)), errors=errors)


@SETTINGS
@given(pieces=st.lists(st.sampled_from(list('@{}",=#%() \n\tabcé\\$') + ["title", "@article{", " and "]),
                      max_size=120))
def test_bibtex_random_syntax(pieces):
    _check(read_bibtex, "".join(pieces).encode("utf-8"))


@pytest.mark.parametrize("errors", ["skip", "raise"])
@SETTINGS
@given(data=st.data())
def test_csv_mutations(errors, data):
    _check(read_csv, data.draw(mutated(CSV)), errors=errors)


@SETTINGS
@given(data=st.data())
def test_wos_tab_mutations(data):
    _check(read_wos_tab, data.draw(mutated(TSV)))


@pytest.mark.parametrize("reader", [read_bibtex, read_csv, read_wos_tab, read_xlsx, read_parquet],
                         ids=lambda r: r.__name__)
@SETTINGS
@given(blob=st.binary(max_size=400))
def test_random_bytes(reader, blob):
    _check(reader, blob)


def _xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    pd.DataFrame({"Title": ["A", "B"], "Abstract": ["x", None], "Year": [2020, 2021]}).to_excel(buf, index=False)
    return buf.getvalue()


def _parquet_bytes() -> bytes:
    buf = io.BytesIO()
    pd.DataFrame({"title": ["A", "B"], "authors": [["Doe, J"], []], "year": [2020, None]}).to_parquet(buf)
    return buf.getvalue()


@pytest.mark.parametrize("reader,base", [(read_xlsx, _xlsx_bytes()), (read_parquet, _parquet_bytes())],
                         ids=["xlsx", "parquet"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_binary_mutations(reader, base, data):
    blob = bytearray(base)
    for _ in range(data.draw(st.integers(1, 3))):
        if not blob:
            break
        pos = data.draw(st.integers(0, len(blob) - 1))
        if data.draw(st.booleans()):
            blob[pos] = data.draw(st.integers(0, 255))
        else:
            del blob[pos:]
    _check(reader, bytes(blob))
