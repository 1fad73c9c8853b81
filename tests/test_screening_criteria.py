"""Screening criteria: each exclusion keeps the first criterion it fails, in words."""

from __future__ import annotations

import pandas as pd
import pytest

from litscope.errors import ParameterError
from litscope.screening import Criteria, compute_screening


def papers() -> pd.DataFrame:
    return pd.DataFrame({
        "id": ["old", "rat", "kid", "none", "noyear", "ok"],
        "title": ["An old trial", "Drug effects in rats", "Stimulants in children",
                  "Unrelated chemistry", "A trial without a year", "Methylphenidate in adults"],
        "abstract": ["", "We dosed rats.", "", "", "", "A randomised trial of methylphenidate."],
        "keywords": [[], [], ["paediatrics"], [], [], ["ADHD"]],
        "year": pd.array([1990, 2010, 2011, 2012, None, 2015], dtype="Int64"),
        "language": ["en", "en", "de", "en", "en", "en"],
    })


def test_first_failing_criterion_is_the_reason():
    crit = Criteria(years=(2000, 2014), languages=["en"], exclude_terms=["rat*"],
                    include_terms=["trial", "methylphenidate", "stimulant*"], fields=["title", "abstract"])
    s = compute_screening(papers(), crit)
    got = dict(zip(s.table["id"], zip(s.table["decision"], s.table["criterion"], s.table["reason"])))
    assert got["old"] == ("exclude", "years", "published in 1990, before 2000")
    assert got["noyear"] == ("exclude", "years", "no publication year (a year range is set)")
    assert got["ok"] == ("exclude", "years", "published in 2015, after 2014")
    assert got["kid"] == ("exclude", "languages", "language 'de' is not among en")
    assert got["rat"] == ("exclude", "exclude_terms", "contains the excluded term 'rat*' (title)")
    assert got["none"][0:2] == ("exclude", "include_terms")
    assert "none of the required terms (trial, methylphenidate, stimulant*) in title, abstract" in got["none"][2]
    assert s.reasons().to_dict() == {"years": 3, "languages": 1, "exclude_terms": 1, "include_terms": 1}


def test_passing_records_are_left_to_screen_and_terms_respect_fields():
    s = compute_screening(papers(), Criteria(include_terms=["ADHD"], fields=["keywords"]))
    kept = s.table.loc[s.table["decision"] == "", "id"].tolist()
    assert kept == ["ok"]  # 'ADHD' only in ok's keywords
    s = compute_screening(papers(), Criteria(include_terms=["ADHD"], fields=["title"]))
    assert (s.table["decision"] == "exclude").all()


def test_terms_match_whole_words_case_insensitively():
    s = compute_screening(papers(), Criteria(exclude_terms=["RAT"]))
    assert s.table.loc[s.table["decision"] == "exclude", "id"].tolist() == []  # 'rats' is not 'rat'
    s = compute_screening(papers(), Criteria(exclude_terms=["randomised trial"], fields=["abstract"]))
    assert s.table.loc[s.table["decision"] == "exclude", "id"].tolist() == ["ok"]


def test_missing_columns_are_skipped_with_a_stated_reason():
    s = compute_screening(papers(), Criteria(document_types=["journal article"], min_relevance=0.5))
    assert (s.table["decision"] == "").all()
    assert any(m.startswith("document_types: the papers have no document type column") for m in s.skipped)
    assert any(m.startswith("min_relevance: no relevance scores") for m in s.skipped)


def test_document_types_and_min_relevance_when_available():
    df = papers().assign(document_type=["Journal Article", "Editorial", "journal article", "", "x", "x"])
    s = compute_screening(df, Criteria(document_types=["journal article"], min_relevance=0.5),
                          relevance=[0.9, 0.9, 0.2, 0.9, 0.9, 0.9])
    got = dict(zip(s.table["id"], s.table["reason"]))
    assert got["old"] == ""
    assert got["rat"] == "document type 'editorial' is not among journal article"
    assert got["kid"] == "relevance 0.20 is below the minimum 0.50"
    assert got["none"] == "document type 'unknown' is not among journal article"


def test_languages_are_detected_when_the_column_is_absent():
    df = pd.DataFrame({"id": ["en", "de"], "abstract": ["", ""], "keywords": [[], []],
                       "title": ["The effect of exercise on cognitive performance in older adults",
                                 "Die Wirkung von Bewegung auf die kognitive Leistung älterer Menschen"]})
    s = compute_screening(df, {"languages": ["en"]})
    assert s.table["decision"].tolist() == ["", "exclude"]


@pytest.mark.parametrize("params, message", [
    ({"years": [2020, 2000]}, "empty"),
    ({"years": 2020}, "years must be"),
    ({"fields": ["body"]}, "unknown term fields"),
    ({"min_relevance": 2}, "min_relevance must be in"),
    ({"colour": "red"}, "unknown screening criteria"),
])
def test_bad_criteria_are_parameter_errors(params, message):
    with pytest.raises(ParameterError, match=message):
        compute_screening(papers(), params)
