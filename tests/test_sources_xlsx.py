"""The XLSX reader (no fixture exists: frames are written with pandas/openpyxl)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import litscope
from litscope.errors import FormatDetectionError, InputError, RecordError
from litscope.schema import validate
from litscope.sources._io import Sample
from litscope.sources.xlsx import read_xlsx, sniff

FRAME = pd.DataFrame({
    "Document Title": ["Deep learning for cats", None, "Graphs"],
    "Authors": ["Doe J.; Roe R.", "X Y", "Li W."],
    "Publication Year": [2020, 2021, None],
    "Abstract": ["About cats.", None, None],
    "DOI": ["10.1234/cats", None, "10.1234/graphs"],
    "Author Keywords": ["cats; dogs", None, None],
})


@pytest.fixture
def workbook(tmp_path):
    path = tmp_path / "refs.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["an empty-ish first sheet"]}).to_excel(writer, sheet_name="About", index=False)
        FRAME.to_excel(writer, sheet_name="Records", index=False)
    return path


def test_roundtrip(workbook):
    df_result = read_xlsx(workbook)
    df = df_result.frame
    validate(df)
    assert df_result.details["sheet"] == "Records"  # the first sheet has no title column
    assert df["title"].tolist() == ["Deep learning for cats", "Graphs"]
    assert df.loc[0, "authors"] == ["Doe, J.", "Roe, R."]
    assert df.loc[0, "year"] == 2020 and pd.isna(df.loc[1, "year"])
    assert df.loc[0, "doi"] == "10.1234/cats" and df.loc[0, "keywords"] == ["cats", "dogs"]
    assert df["source_record"].tolist() == [1, 3]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert (bad["record"], bad["line"]) == (2, 3)  # sheet row 3 (row 1 is the header)
    with pytest.raises(RecordError, match="refs.xlsx: record 2"):
        read_xlsx(workbook, errors="raise")


def test_detected_by_magic_bytes(workbook):
    assert litscope.detect_format(workbook) == "xlsx"
    data = workbook.read_bytes()
    assert sniff(Sample.from_bytes("no-extension", data)) >= 0.9
    assert sniff(Sample.from_bytes("x.zip", b"PK\x03\x04" + b"\0" * 50 + b"word/document.xml")) == 0.0
    df_corpus = litscope.load(workbook)
    df = df_corpus.papers
    assert len(df) == 2 and df["source_format"].eq("xlsx").all()


def test_columns_override_and_sheet(tmp_path):
    path = tmp_path / "mine.xlsx"
    pd.DataFrame({"Headline": ["A"], "Body": ["B"]}).to_excel(path, index=False)
    with pytest.raises(FormatDetectionError):
        read_xlsx(path)
    df_result = read_xlsx(path, columns={"Headline": "title", "Body": "abstract"})
    df = df_result.frame
    assert df.loc[0, ["title", "abstract"]].tolist() == ["A", "B"]
    with pytest.raises(FormatDetectionError, match="no sheet"):
        read_xlsx(path, sheet="Missing")


def test_not_a_workbook():
    with pytest.raises(InputError, match="not a readable .xlsx"):
        read_xlsx(io.BytesIO(b"PK\x03\x04 this is not really a zip"))
    with pytest.raises(InputError):
        read_xlsx(io.BytesIO(b"title,abstract\nA,B\n"))


def test_bad_override_is_a_parameter_error(tmp_path):
    from litscope.errors import ParameterError
    path = tmp_path / "one.xlsx"
    pd.DataFrame({"Title": ["A"]}).to_excel(path, index=False)
    with pytest.raises(ParameterError):
        read_xlsx(path, columns={"Title": "headline"})
