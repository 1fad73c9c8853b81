"""Memory of the dedupe and references steps (issue 7): the papers frame shares the records'
text columns when nothing merges, no step turns every abstract into a Python string, and the
results are those of building each paper from its cells (the code before the change)."""

from __future__ import annotations

import tracemalloc

import pandas as pd
import pyarrow as pa
import pytest

from litscope.corpus import Corpus
from litscope.dedupe import deduplicate
from litscope.report import compute_references, reference_numbers
from litscope.schema import to_frame

N_PAPERS = 400
ABSTRACT_CHARS = 20_000  # 8 MB of abstracts: far above what the steps may allocate besides


def _records(n: int = N_PAPERS, abstract_chars: int = ABSTRACT_CHARS) -> pd.DataFrame:
    rows = [{"title": f"Study number {k} of graph colouring in sparse networks", "year": 2000 + k % 20,
             "authors": [f"Doe{k}, Jane", "Roe, Rick"], "doi": f"10.1000/{k}", "venue": "J. Tests",
             "keywords": ["graphs"], "abstract": (f"Abstract {k}. " + "x" * abstract_chars)[:abstract_chars]}
            for k in range(n)]
    return to_frame(rows, source_format="ris", source_file="a.ris")


def _arrow_buffers(column: pd.Series) -> list[int]:
    """Addresses of the data buffers behind an Arrow-backed string column."""
    chunked = column.array.__arrow_array__()
    chunks = chunked.chunks if isinstance(chunked, pa.ChunkedArray) else [chunked]
    return [b.address for chunk in chunks for b in chunk.buffers() if b is not None]


def _peak_bytes(function, *args) -> int:
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_papers_share_the_records_text_columns_when_nothing_merges():
    records = _records(50)
    papers = deduplicate(records).papers
    assert len(papers) == len(records)
    for col in ("abstract", "title", "venue"):
        assert str(records[col].dtype) == str(papers[col].dtype)
        assert _arrow_buffers(papers[col]) == _arrow_buffers(records[col]), col


def test_merged_papers_leave_the_records_unchanged():
    records = _records(30)
    dup = records.iloc[[3, 7]].copy()
    dup["source_file"] = "b.ris"
    dup["abstract"] = ["A much longer abstract " + "y" * 30_000, ""]
    dup["venue"] = ["Journal of Tests", "J. Tests"]
    both = pd.concat([records, dup], ignore_index=True)
    before = both.copy(deep=True)
    papers = deduplicate(Corpus.from_frame(both)).papers
    assert len(papers) == 30
    assert both.equals(before)  # copy-on-write: setting the merged cells copied the column
    merged = papers.set_index("id")
    assert merged.loc["doi:10.1000/3", "abstract"].startswith("A much longer abstract")
    assert merged.loc["doi:10.1000/3", "merged_from"] == ["a.ris#4", "b.ris#4"]
    assert merged.loc["doi:10.1000/7", "abstract"] == both.loc[7, "abstract"]
    assert papers["abstract"].dtype == both["abstract"].dtype


def test_extra_columns_keep_their_dtype_and_the_kept_records_value():
    records = _records(5, 100)
    records["score"] = pd.array([1, 2, None, 4, 5], dtype="Int64")  # a column outside the schema
    dup = records.iloc[[1, 2]].copy()
    dup["source_file"] = "b.ris"
    dup["score"] = pd.array([20, 30], dtype="Int64")
    papers = deduplicate(pd.concat([records, dup], ignore_index=True)).papers
    assert str(papers["score"].dtype) == "Int64"
    # the kept record's (the first of equally rich ones), even where it is missing
    assert papers["score"].equals(pd.Series(pd.array([1, 2, None, 4, 5], dtype="Int64"), name="score"))


def test_deduplicate_does_not_hold_every_abstract_as_a_python_string(monkeypatch):
    from litscope.dedupe import keys

    monkeypatch.setattr(keys, "FILLED_CHUNK", 50, raising=False)  # as 10,000 of 100,000 records
    records = _records()
    total = int(records["abstract"].str.len().sum())
    deduplicate(records)  # warm caches and imports
    peak = _peak_bytes(deduplicate, records)
    assert peak < total / 4, (peak, total)


def test_references_do_not_read_the_abstracts():
    papers = deduplicate(_records()).papers
    total = int(papers["abstract"].str.len().sum())
    compute_references(papers)
    peak = _peak_bytes(compute_references, papers)
    assert peak < total / 4, (peak, total)


def test_references_are_the_same_with_only_the_cited_fields():
    papers = deduplicate(_records(60, 50)).papers
    cited = papers[["id", "authors", "title", "year", "venue", "doi"]]
    full, narrow = compute_references(papers), compute_references(cited)
    assert full.equals(narrow)
    assert reference_numbers(full) == reference_numbers(narrow)
    assert full.loc[0, "citation_text"].startswith("Doe0, J., & Roe, R. (2000).")


def test_a_files_repeated_list_items_are_one_string_each():
    # distinct but equal string objects, as a reader parses them from each record
    first, second = "".join(["machine ", "learning"]), "".join(["machine ", "learn", "ing"])
    assert first == second and first is not second
    frame = to_frame([{"title": "A", "keywords": [first, "graphs"], "authors": ["Doe, Jane"]},
                      {"title": "B", "keywords": [second], "authors": ["".join(["Doe, ", "Jane"])]}],
                     source_format="ris", source_file="a.ris")
    assert frame["keywords"].tolist() == [["machine learning", "graphs"], ["machine learning"]]
    assert frame.loc[0, "keywords"][0] is frame.loc[1, "keywords"][0]
    assert frame.loc[0, "authors"][0] is frame.loc[1, "authors"][0]
    assert type(frame.loc[1, "keywords"]) is list
