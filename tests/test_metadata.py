"""Kept metadata (litscope.metadata): schema columns, normalisation, the countries rule, dedupe merging."""

from __future__ import annotations

import pandas as pd
import pytest

from litscope.dedupe import deduplicate
from litscope.errors import SchemaError
from litscope.metadata import META_FIELDS, merge_metadata, normalize_cited_by, normalize_metadata
from litscope.metadata.countries import country_of_affiliation, country_of_code, countries_of_affiliations
from litscope.metadata.languages import normalize_language
from litscope.schema import COLUMNS, LIST_COLUMNS, STRING_COLUMNS, empty_frame, to_frame, validate


def _frame(*records):
    return to_frame(list(records), source_format="ris", source_file="x.ris")


# ---------------------------------------------------------------- schema


def test_schema_has_the_metadata_columns_with_their_types():
    assert list(META_FIELDS) == ["cited_by", "cited_by_source", "cited_by_date", "references", "language",
                                 "document_type", "affiliations", "countries", "funding"]
    assert set(META_FIELDS) <= set(COLUMNS)
    assert {"references", "affiliations", "countries", "funding"} <= set(LIST_COLUMNS)
    assert {"cited_by_source", "cited_by_date", "language", "document_type"} <= set(STRING_COLUMNS)
    empty = empty_frame()
    assert str(empty["cited_by"].dtype) == "Int64"
    validate(empty)


def test_records_without_metadata_get_empty_values():
    df = _frame({"title": "A"})
    row = df.iloc[0]
    assert pd.isna(row["cited_by"]) and str(df["cited_by"].dtype) == "Int64"
    assert (row["cited_by_source"], row["cited_by_date"], row["language"], row["document_type"]) == ("", "", "", "")
    assert (row["references"], row["affiliations"], row["countries"], row["funding"]) == ([], [], [], [])
    validate(df)


def test_a_source_or_date_without_a_count_is_dropped():
    row = _frame({"title": "A", "cited_by": "", "cited_by_source": "Scopus", "cited_by_date": "2020-01-02"}).iloc[0]
    assert pd.isna(row["cited_by"]) and row["cited_by_source"] == "" and row["cited_by_date"] == ""


def test_normalised_values():
    row = _frame({"title": "A", "cited_by": "1,204", "cited_by_source": "Scopus",
                  "cited_by_date": "2024-03-05T10:00:00Z", "language": "English; ger",
                  "document_type": ["Journal Article", "Review"], "references": "R1; R2; R1",
                  "affiliations": ["Univ A, Paris, France", "Univ B, Boston, MA 02115, USA."],
                  "funding": "NSF: 123; NIH"}).iloc[0]
    assert int(row["cited_by"]) == 1204
    assert (row["cited_by_date"], row["language"], row["document_type"]) == ("2024-03-05", "en; de", "Journal Article; Review")
    assert row["references"] == ["R1", "R2"]
    assert row["countries"] == ["France", "United States"]
    assert row["funding"] == ["NSF: 123", "NIH"]


def test_stated_country_codes_win_over_affiliations():
    row = _frame({"title": "A", "affiliations": ["Univ A, Paris, France"], "countries": ["CZ", "GB", "gb"]}).iloc[0]
    assert row["countries"] == ["Czech Republic", "United Kingdom"]


@pytest.mark.parametrize("value, expected", [(12, 12), ("13169", 13169), (7.0, 7), ("n/a", None), (-1, None),
                                             (True, None), (None, None), (float("nan"), None), ("3.5", None)])
def test_normalize_cited_by(value, expected):
    assert normalize_cited_by(value) == expected


@pytest.mark.parametrize("column, value", [("references", "R1; R2"), ("countries", None), ("language", ["en"]),
                                           ("cited_by_source", None)])
def test_validate_rejects_wrong_types_in_the_new_columns(column, value):
    df = _frame({"title": "A"})
    df[column] = pd.Series([value], dtype=object)
    with pytest.raises(SchemaError) as err:
        validate(df)
    assert err.value.column == column


def test_validate_rejects_a_cited_by_column_that_is_not_int64():
    df = _frame({"title": "A", "cited_by": 3})
    df["cited_by"] = df["cited_by"].astype(object)
    with pytest.raises(SchemaError, match="Int64"):
        validate(df)


# ---------------------------------------------------------------- countries rule


@pytest.mark.parametrize("affiliation, country", [
    # Scopus "Affiliations" (tests/fixtures/csv_exports/litstudy_scopus.csv)
    ("Beckman Institute, University of Illinois at Urbana-Champaign, Urbana, IL 61801, United States", "United States"),
    ("UMR CNRS/UHP 7565, Université Henri Poincaré, 54506 Vandaeuvre-les-Nancy, Cedex, France", "France"),
    # Web of Science C1 (tests/fixtures/wos_tab_delimited, wos_plaintext)
    ("Univ Utah, Dept Mech Engn, Salt Lake City, UT 84112 USA", "United States"),
    ("Waseda Univ, Dept Appl Chem, Shinjuku Ku, Tokyo 1698555, Japan.", "Japan"),
    ("Tsinghua Univ, Dept Comp Sci, Beijing 100084, Peoples R China", "China"),
    ("Univ Oxford, Dept Engn Sci, Oxford OX1 3PJ, England", "United Kingdom"),
    # MEDLINE AD with an e-mail address (tests/fixtures/medline_nbib/biopython_pubmed_result2.txt)
    ("Plant Pathogen Programme, Scottish Crop Research Institute, Invergowrie, Dundee DD2 5DA, Scotland, UK. "
     "lpritc@scri.ac.uk", "United Kingdom"),
    ("Dept of X, Boston, MA, USA. Electronic address: someone@example.org.", "United States"),
    # PsycINFO AD: postcode and e-mail after the country (tests/fixtures/ris/asreview/asreview_ovid_psycinfo.ris)
    ("Trindade, Ines A.: University of Coimbra, Rua do Colegio Novo, Coimbra, Portugal, 3000-115, "
     "ines.almeidatrindade@gmail.com", "Portugal"),
    ("Korea Adv Inst Sci & Technol, Daejeon 34141, South Korea", "South Korea"),
    ("Côte d'Ivoire", "Cote d'Ivoire"),
    # no country named: nothing is guessed (a US state code is not Canada)
    ("Stanford University, Stanford, CA", ""),
    ("The Open University", ""),
    ("", ""),
])
def test_country_of_affiliation(affiliation, country):
    assert country_of_affiliation(affiliation) == country


def test_country_codes_and_order_of_first_mention():
    assert [country_of_code(c) for c in ("US", "usa", "DE", "XX", "")] == ["United States", "United States",
                                                                         "Germany", "", ""]
    assert countries_of_affiliations(["A, Lyon, France", "B, Oslo, Norway", "C, Paris, France"]) == ["France", "Norway"]


@pytest.mark.parametrize("value, expected", [("English", "en"), ("eng", "en"), ("en", "en"), ("fre", "fr"),
                                             ("German", "de"), ("English; Spanish", "en; es"), ("Klingon", "Klingon"),
                                             ("", ""), (None, "")])
def test_normalize_language(value, expected):
    assert normalize_language(value) == expected


# ---------------------------------------------------------------- dedupe: richest value


def test_dedupe_keeps_the_highest_count_with_its_source_and_date_and_unions_lists():
    df = _frame({"title": "On graphs", "doi": "10.1000/g", "cited_by": 5, "cited_by_source": "Scopus",
                 "references": ["10.1/a", "10.1/b"], "affiliations": ["U1, Paris, France"], "language": "",
                 "funding": ["NSF"]},
                {"title": "On Graphs", "doi": "10.1000/G", "cited_by": 9, "cited_by_source": "OpenAlex",
                 "cited_by_date": "2024-01-02", "references": ["10.1/b", "10.1/c"], "language": "en",
                 "document_type": "article", "affiliations": ["U2, Oslo, Norway"], "funding": ["NSF", "ERC"]})
    merged = deduplicate(df).papers
    assert len(merged) == 1
    row = merged.iloc[0]
    assert (int(row["cited_by"]), row["cited_by_source"], row["cited_by_date"]) == (9, "OpenAlex", "2024-01-02")
    assert row["references"] == ["10.1/a", "10.1/b", "10.1/c"]
    assert row["countries"] == ["France", "Norway"]
    assert row["funding"] == ["NSF", "ERC"]
    assert (row["language"], row["document_type"]) == ("en", "article")
    assert str(merged["cited_by"].dtype) == "Int64"
    validate(merged.drop(columns=["merged_from"]))


def test_dedupe_without_any_count_keeps_none_and_does_not_share_lists():
    df = _frame({"title": "On graphs", "doi": "10.1000/g", "references": ["r"]},
                {"title": "On graphs", "doi": "10.1000/g"}, {"title": "Other"})
    merged = deduplicate(df).papers
    assert merged["cited_by"].isna().all()
    assert merged.loc[0, "references"] == ["r"]
    merged.loc[0, "references"].append("x")
    assert df.loc[0, "references"] == ["r"]


def test_merge_metadata_tie_prefers_the_representative():
    a = {"cited_by": 4, "cited_by_source": "Scopus", "cited_by_date": "", "references": []}
    b = {"cited_by": 4, "cited_by_source": "Web of Science", "cited_by_date": "2020-01-01", "references": []}
    assert merge_metadata([a, b], b)["cited_by_source"] == "Web of Science"
    assert merge_metadata([a, b], a)["cited_by_source"] == "Scopus"


def test_normalize_metadata_fast_path_returns_fresh_lists():
    first, second = normalize_metadata({}), normalize_metadata({})
    first["references"].append("x")
    assert second["references"] == []


# ---------------------------------------------------------------- linear in long values


@pytest.mark.parametrize("run", [" " * 200_000 + "x", "a" * 200_000, "1 " * 100_000 + "x", "[" * 100_000])
def test_long_runs_in_metadata_values_stay_linear(run):
    # regressions: '\S+@\S+' (e-mail removal) and 'Cited By\s*:?\s*' were quadratic in such runs;
    # a quadratic pass over 200,000 characters takes minutes, a linear one milliseconds
    import time

    from litscope.sources._headers import split_cell_list
    from litscope.sources._notes import labelled_notes

    start = time.process_time()
    country_of_affiliation(run)
    labelled_notes([run, "Cited By " + run, "Export Date: " + run, "References: " + run])
    split_cell_list(run)
    normalize_metadata({key: run for key in META_FIELDS})
    assert time.process_time() - start < 5.0
