"""deduplicate's list cells: a paper of one record keeps its record's clean list (no copy of
every list when little merges, issue 7); merged papers get new lists; the records are unchanged."""

from __future__ import annotations

import copy

from litscope.dedupe import deduplicate
from litscope.schema import to_frame


def _records():
    return to_frame([
        {"title": "On graphs", "doi": "10.1000/g", "authors": ["Doe, J"], "keywords": ["a"]},
        {"title": "On Graphs", "doi": "10.1000/G", "authors": ["Doe, Jane"], "keywords": ["b"], "year": 2001},
        {"title": "A study of something else entirely", "authors": ["Roe, R", "Poe, P"], "keywords": ["c", "d"]},
    ], source_format="ris", source_file="x.ris")


def test_single_record_paper_keeps_its_list_merged_paper_gets_new_ones() -> None:
    records = _records()
    before = copy.deepcopy(records)
    papers = deduplicate(records).papers
    assert len(papers) == 2
    single = papers.index[papers["title"] == "A study of something else entirely"].item()
    merged = papers.index[papers["title"] == "On Graphs"].item()
    assert papers.at[single, "authors"] is records.at[2, "authors"]
    assert papers.at[single, "keywords"] is records.at[2, "keywords"]
    assert papers.at[merged, "keywords"] == ["a", "b"]
    assert all(papers.at[merged, col] is not records.at[k, col] for col in ("authors", "keywords") for k in (0, 1))
    assert records.equals(before)  # nothing of the input changed


def test_unclean_list_of_a_single_record_is_cleaned() -> None:
    records = _records()
    records.at[2, "keywords"] = ["c", "", "d"]
    papers = deduplicate(records).papers
    cell = papers.loc[papers["title"] == "A study of something else entirely", "keywords"].item()
    assert cell == ["c", "d"] and cell is not records.at[2, "keywords"]
    assert records.at[2, "keywords"] == ["c", "", "d"]
