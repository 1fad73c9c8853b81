"""The Parquet reader (no fixture exists: frames are written with pandas/pyarrow)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import litscope
from litscope.errors import FormatDetectionError, InputError, RecordError
from litscope.schema import validate
from litscope.sources._io import Sample
from litscope.sources.bibtex import read_bibtex
from litscope.sources.parquet import read_parquet, sniff

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_canonical_frame_roundtrip(tmp_path):
    original_result = read_bibtex(FIXTURES / "bibtex/colrev_database_exports/colrev_wiley_bib.bib")
    original = original_result.frame
    path = tmp_path / "saved.parquet"
    original.to_parquet(path)
    df_result = read_parquet(path)
    df = df_result.frame
    validate(df)
    for col in ("title", "abstract", "authors", "year", "venue", "doi", "url", "keywords"):
        assert df[col].tolist() == original[col].tolist(), col
    assert df["source_format"].eq("parquet").all()


def test_mapped_headers_and_skipped_rows(tmp_path):
    path = tmp_path / "scopus.parquet"
    pd.DataFrame({
        "Title": ["A", None, "C"],
        "Authors": ["Doe J., Roe R.", None, "Li W."],
        "Year": [2020, 2021, 2022],  # row 2: a year but no title or abstract
        "Source title": ["J1", None, "J3"],
        "PubMed ID": [123.0, None, None],
    }).to_parquet(path)
    df_result = read_parquet(path)
    df = df_result.frame
    assert df["title"].tolist() == ["A", "C"]
    assert df.loc[0, "authors"] == ["Doe, J.", "Roe, R."]
    assert df.loc[0, "pmid"] == "123" and df.loc[0, "venue"] == "J1"
    assert df["year"].tolist() == [2020, 2022]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 2
    with pytest.raises(RecordError, match="scopus.parquet: record 2"):
        read_parquet(path, errors="raise")


def test_detected_by_magic_bytes(tmp_path):
    path = tmp_path / "data.bin"
    pd.DataFrame({"title": ["A"]}).to_parquet(path)
    assert sniff(Sample.from_bytes("data.bin", path.read_bytes())) >= 0.9
    assert litscope.detect_format(path) == "parquet"
    assert litscope.load(path).papers["title"].tolist() == ["A"]


def test_override_and_errors(tmp_path):
    path = tmp_path / "x.parquet"
    pd.DataFrame({"Headline": ["A"]}).to_parquet(path)
    with pytest.raises(FormatDetectionError):
        read_parquet(path)
    assert read_parquet(path, columns={"Headline": "title"}).frame["title"].tolist() == ["A"]
    with pytest.raises(InputError, match="not a readable Parquet"):
        read_parquet(io.BytesIO(b"PAR1 truncated garbage"))


def test_bad_override_is_a_parameter_error(tmp_path):
    from litscope.errors import ParameterError
    path = tmp_path / "one.parquet"
    pd.DataFrame({"Title": ["A"]}).to_parquet(path)
    with pytest.raises(ParameterError):
        read_parquet(path, columns={"Nope": "title"})
