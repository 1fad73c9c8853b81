"""Issue 8, found in real exports: a false merge of four volumes of one proceedings series.

Volume, issue, pages and ISBN/ISSN are kept in the schema and count as evidence against a
title merge; true duplicates (the same values written differently, or missing on one side)
still merge.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import litscope
from litscope.dedupe import deduplicate, find_duplicates
from litscope.schema import COLUMNS, to_frame

SCOPUS = Path(__file__).resolve().parent / "fixtures" / "csv_exports" / "litstudy_scopus.csv"
TITLE = "Deep learning for the prediction of protein structures from sequence data"
TYPO = "Deep learnng for the prediction of protein structures from sequence data"


def _frame(*recs: dict) -> pd.DataFrame:
    return to_frame(list(recs), source_format="ris", source_file="x.ris")


def _sizes(df: pd.DataFrame) -> list[int]:
    return find_duplicates(df).sort_values("source_record")["cluster_size"].tolist()


def test_schema_keeps_volume_issue_pages_isbn_issn():
    assert {"volume", "issue", "pages", "isbn", "issn"} <= set(COLUMNS)
    df = _frame({"title": "T", "volume": " 12 ", "issue": "3", "pages": "101–110",
                 "isbn": "3642121640; 978-3-642-12164-7", "issn": "03029743"},
                {"title": "U", "pages": "7", "page_end": "19"})
    assert df.loc[0, ["volume", "issue", "pages"]].tolist() == ["12", "3", "101-110"]
    assert df.loc[0, "isbn"] == "3642121640; 9783642121647" and df.loc[0, "issn"] == "0302-9743"
    assert df.loc[1, "pages"] == "7-19" and df.loc[1, "volume"] == ""


def test_real_scopus_proceedings_volumes_stay_apart():
    df = litscope.load(SCOPUS).papers
    iccsa = df[df["title"].str.contains("ICCSA 2010")]
    assert sorted(iccsa["volume"]) == ["6016 LNCS", "6017 LNCS", "6018 LNCS", "6019 LNCS"]
    dup = find_duplicates(df)
    assert dup[dup["title"].str.contains("ICCSA 2010")]["cluster_size"].tolist() == [1, 1, 1, 1]
    assert len(deduplicate(df)) == len(df)


def test_volumes_of_one_series_stay_apart_even_through_a_record_without_volume():
    vols = [{"title": "Proceedings of the Tenth Conference on Things", "year": 2010, "volume": str(v),
             "isbn": f"978-3-642-1216{v}-0"} for v in range(1, 5)]
    bridge = {"title": "Proceedings of the Tenth Conference on Things", "year": 2010}
    df = _frame(*vols, bridge)
    clusters = find_duplicates(df).groupby("cluster_id")["source_record"].apply(set).tolist()
    assert all(len({1, 2, 3, 4} & c) <= 1 for c in clusters)


def test_different_isbns_without_volume_keep_authorless_titles_apart():
    df = _frame({"title": "Advances in the study of graphs and networks", "year": 2001, "isbn": "3642121640"},
                {"title": "Advances in the study of graphs and networks", "year": 2001, "isbn": "9780262033848"})
    assert _sizes(df) == [1, 1]


def test_different_first_page_or_issue_counts_against_a_fuzzy_title_match():
    base = {"authors": ["Doe, Jane"], "year": 2020, "volume": "7"}
    assert _sizes(_frame({"title": TITLE, **base, "pages": "101-110"},
                         {"title": TYPO, **base, "pages": "101"})) == [2, 2]
    assert _sizes(_frame({"title": TITLE, **base, "pages": "101-110"},
                         {"title": TYPO, **base, "pages": "211-220"})) == [1, 1]
    assert _sizes(_frame({"title": TITLE, **base, "issue": "2"},
                         {"title": TYPO, **base, "issue": "4"})) == [1, 1]


def test_true_duplicates_written_differently_still_merge():
    a = {"title": TITLE, "authors": ["Doe, Jane"], "year": 2020, "volume": "Vol. 12", "issue": "3",
         "pages": "101-110", "isbn": "3642121640", "issn": "1234-5678"}
    b = {"title": TITLE.upper(), "authors": ["Doe, J."], "year": 2020, "volume": "12", "issue": "no. 3",
         "pages": "101–10", "isbn": "978-3-642-12164-7", "issn": "8765-4321"}  # ISBN-10/13, print/e-ISSN
    c = {"title": TITLE + ".", "authors": ["Doe, J"], "year": 2020}  # nothing to compare: no evidence
    assert _sizes(_frame(a, b, c)) == [3, 3, 3]
    merged = deduplicate(_frame(a, c)).papers
    assert merged.loc[0, "volume"] == "Vol. 12" and merged.loc[0, "pages"] == "101-110"
