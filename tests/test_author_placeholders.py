"""Issue 8, found in real exports: '[No author name available]' (Scopus) and other placeholders
are no author at all, wherever authors are normalised (litscope.schema.normalize_author)."""

from __future__ import annotations

from pathlib import Path

import pytest

import litscope
from litscope.report import format_authors
from litscope.schema import normalize_author, to_frame

SCOPUS = Path(__file__).resolve().parent / "fixtures" / "csv_exports" / "litstudy_scopus.csv"


def test_scopus_no_author_name_available_loads_as_no_authors():
    df_corpus = litscope.load(SCOPUS)
    df = df_corpus.papers
    proceedings = df[df["title"].str.contains("ICCSA 2010")]
    assert len(proceedings) == 4
    assert proceedings["authors"].map(len).tolist() == [0, 0, 0, 0]
    assert not any("available" in a for authors in df["authors"] for a in authors)


@pytest.mark.parametrize("placeholder", [
    "[No author name available]", "No author name available", "Anonymous", "[Anonymous]", "anon.",
    "et al.", "et al", "Et Al", "[No authors listed]", {"family": "[Anonymous]"}, {"name": "Anonymous"},
])
def test_placeholders_are_no_author(placeholder):
    assert normalize_author(placeholder) == ""


def test_placeholders_dropped_from_lists_real_names_kept():
    df = to_frame([{"title": "T", "authors": ["Doe, Jane", "et al."]},
                   {"title": "U", "authors": "[No author name available]"},
                   {"title": "V", "authors": ["Anonymous"]},
                   {"title": "W", "authors": ["Al-Anonymi, Sara", "Alet, Jo"]}],
                  source_format="ris", source_file="x.ris")
    assert df["authors"].tolist() == [["Doe, Jane"], [], [], ["Al-Anonymi, Sara", "Alet, Jo"]]
    assert format_authors([]) == format_authors(df.loc[1, "authors"])
