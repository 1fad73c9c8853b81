"""The canonical schema: normalisers, frame building, validation."""

from __future__ import annotations

import pandas as pd
import pytest

from litscope import schema
from litscope.errors import LitscopeError, SchemaError


@pytest.mark.parametrize("raw, expected", [
    ("https://doi.org/10.1000/ABC.1", "10.1000/abc.1"),
    ("doi:10.1145/3292500.3330701.", "10.1145/3292500.3330701"),
    ("http://dx.doi.org/10.1002/(SICI)1097-4571", "10.1002/(sici)1097-4571"),
    ("not a doi", ""),
    (None, ""),
])
def test_normalize_doi(raw, expected):
    assert schema.normalize_doi(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("arXiv:2403.01234v3", "2403.01234"),
    ("https://arxiv.org/abs/1707.08567", "1707.08567"),
    ("http://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001"),
    ("", ""),
])
def test_normalize_arxiv(raw, expected):
    assert schema.normalize_arxiv(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("Doe, Jane", "Doe, Jane"),
    ("Jane Doe", "Doe, Jane"),
    ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
    ("Smith JA", "Smith, JA"),
    ({"family": "Curie", "given": "Marie"}, "Curie, Marie"),
    ({"name": "Ada Lovelace"}, "Lovelace, Ada"),
    ("Plato", "Plato"),
])
def test_normalize_author(raw, expected):
    assert schema.normalize_author(raw) == expected


@pytest.mark.parametrize("raw, expected", [("2019-05-01", 2019), ("c. 1999", 1999), (2020.0, 2020),
                                           ("n.d.", None), (12, None), (float("nan"), None)])
def test_normalize_year(raw, expected):
    assert schema.normalize_year(raw) == expected


def test_clean_text_strips_markup_and_entities():
    assert schema.clean_text("<jats:p>Heat &amp; <i>mass</i>\n transfer</jats:p>") == "Heat & mass transfer"


def test_to_frame_builds_canonical_columns_and_ids():
    df = schema.to_frame(
        [{"title": "Deep nets", "authors": "Doe, Jane; Roe, Richard", "year": "2021", "doi": "DOI: 10.1000/X"},
         {"title": "Shallow nets", "year": None}],
        source_format="test", source_file="f.txt")
    assert list(df.columns) == schema.COLUMNS
    assert df.loc[0, "authors"] == ["Doe, Jane", "Roe, Richard"]
    assert df.loc[0, "id"] == "doi:10.1000/x"
    assert df.loc[1, "id"].startswith("r-")
    assert pd.isna(df.loc[1, "year"]) and str(df["year"].dtype) == "Int64"
    assert df["source_record"].tolist() == [1, 2]
    schema.validate(df)


def test_ids_are_stable_across_calls():
    make = lambda: schema.to_frame([{"title": "Same title", "year": 2000, "authors": ["A, B"]}],
                                   source_format="t", source_file="x")
    assert make().loc[0, "id"] == make().loc[0, "id"]


def test_empty_frame_validates():
    assert len(schema.validate(schema.to_frame([], source_format="t", source_file="x"))) == 0


def test_validate_names_column_and_record():
    df = schema.to_frame([{"title": "T"}], source_format="t", source_file="x")
    bad = df.copy()
    bad.at[0, "authors"] = "Doe, Jane"
    with pytest.raises(SchemaError) as err:
        schema.validate(bad)
    assert err.value.column == "authors" and err.value.record == df.loc[0, "id"]
    assert isinstance(err.value, (LitscopeError, ValueError))
    with pytest.raises(SchemaError, match="missing columns"):
        schema.validate(df.drop(columns=["doi"]))
    with pytest.raises(SchemaError, match="DataFrame"):
        schema.validate([1, 2])


def test_skipped_records_are_kept_in_the_reader_result():
    result = schema.to_file_records([{"title": "T"}], source_format="t", source_file="x",
                                    skipped=[schema.SkippedRecord("x", 2, 10, "no title")], encoding="utf-8",
                                    details={"delimiter": ";"})
    assert result.skipped == (schema.SkippedRecord("x", 2, 10, "no title"),)
    assert result.frame["title"].tolist() == ["T"] and len(result) == 1
    assert result.encoding == "utf-8" and result.details["delimiter"] == ";"
    with pytest.raises(TypeError):  # details are read-only: a result is a value
        result.details["delimiter"] = ","
