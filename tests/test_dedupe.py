"""Tests for litscope.dedupe: linking rules, merging, provenance, audit and counts."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from litscope.dedupe import (compute_dedupe_audit, compute_source_counts, deduplicate,
                             find_duplicates, record_clusters)
from litscope.corpus import Corpus, concat
from litscope.errors import ParameterError, SchemaError
from litscope.records import LoadEntry, Note, SkippedRecord
from litscope.schema import COLUMNS, to_frame, validate

FIXTURES = Path(__file__).parent / "fixtures"
COLREV = FIXTURES / "bibtex" / "colrev_dedupe"

TITLE = "Deep learning for the prediction of protein structures from sequence data"


def frame(*sources: tuple[str, list[dict]]) -> pd.DataFrame:
    """One canonical frame from (file name, records) pairs, as load() would concatenate them."""
    parts = [to_frame(recs, source_format="ris", source_file=name) for name, recs in sources]
    return pd.concat(parts, ignore_index=True)


def corpus_of(*sources: tuple[str, list[dict]]) -> Corpus:
    """A corpus of those records with a load report, a skipped record in c.ris and a note."""
    return Corpus.from_frame(frame(*sources)).replace(
        load_entries=tuple(LoadEntry(n, "ris", len(r)) for n, r in sources),
        skipped=(SkippedRecord("c.ris", 9, 90, "no title"),),
        notes=(Note("a.ris", 1, 3, "removed 1 control character from title"),))


def clusters_of(df: pd.DataFrame, **kw) -> set[frozenset[str]]:
    """The clusters as sets of 'file#record' strings."""
    dup = find_duplicates(df, **kw)
    out: dict[str, set[str]] = {}
    for cid, f, r in zip(dup["cluster_id"], dup["source_file"], dup["source_record"]):
        out.setdefault(cid, set()).add(f"{f}#{r}")
    return {frozenset(v) for v in out.values()}


def together(df: pd.DataFrame, *members: str, **kw) -> bool:
    return any(set(members) <= c for c in clusters_of(df, **kw))


# ---------------------------------------------------------------- identifiers

def test_exact_doi_arxiv_pmid_merges():
    df = frame(
        ("a.ris", [{"title": "Completely different wording one", "doi": "https://doi.org/10.1000/ABC"},
                   {"title": "A preprint about graphs", "arxiv_id": "arXiv:2101.00001v2"},
                   {"title": "A clinical trial", "pmid": "PMID: 123456"}]),
        ("b.ris", [{"title": "Other words entirely two", "doi": "10.1000/abc"},
                   {"title": "Graph preprint, journal export", "doi": "10.48550/arXiv.2101.00001"},
                   {"title": "Trial, clinical", "pmid": "123456"}]),
    )
    dup = find_duplicates(df)
    reasons = dict(zip(dup["source_file"] + "#" + dup["source_record"].astype(str), dup["reason"]))
    assert reasons["b.ris#1"] == "doi"
    assert reasons["b.ris#2"] == "arxiv_id"  # the arXiv DOI is the arXiv id
    assert reasons["b.ris#3"] == "pmid"
    assert clusters_of(df) == {frozenset({"a.ris#1", "b.ris#1"}), frozenset({"a.ris#2", "b.ris#2"}),
                               frozenset({"a.ris#3", "b.ris#3"})}
    assert len(deduplicate(df)) == 3


def test_different_dois_never_merge_even_with_identical_titles():
    # an article and its erratum / a conference and a journal version: same title, own DOIs
    df = frame(("a.ris", [{"title": TITLE, "doi": "10.1000/article", "year": 2020, "authors": ["Doe, Jane"]}]),
               ("b.ris", [{"title": TITLE, "doi": "10.1000/erratum", "year": 2020, "authors": ["Doe, Jane"]},
                          # no DOI: may join one of them, but cannot bridge the two
                          {"title": TITLE + ".", "year": 2020, "authors": ["Doe, J."]}]))
    clusters = clusters_of(df)
    assert not together(df, "a.ris#1", "b.ris#1")
    assert len(clusters) == 2
    assert frozenset({"a.ris#1", "b.ris#2"}) in clusters  # the first in canonical order wins the link
    merged = deduplicate(df).papers
    assert sorted(merged["doi"]) == ["10.1000/article", "10.1000/erratum"]


def test_different_pmids_or_arxiv_ids_never_merge():
    df = frame(("a.ris", [{"title": TITLE, "pmid": "111", "year": 2020},
                          {"title": TITLE, "pmid": "222", "year": 2020}]),
               ("b.ris", [{"title": TITLE + " revisited", "arxiv_id": "2101.00001"},
                          {"title": TITLE + " revisited", "arxiv_id": "2101.00002"}]))
    assert all(len(c) == 1 for c in clusters_of(df))


# ---------------------------------------------------------------- titles

def test_fuzzy_merge_with_typos_case_punctuation_year_and_initials():
    df = frame(
        ("scopus.ris", [{"title": TITLE, "year": 2020, "authors": ["Doe, Jane", "Roe, Richard"],
                         "doi": "10.1000/dl"}]),
        ("wos.ris", [{"title": "DEEP LEARNING FOR THE PREDICTION OF PROTIEN STRUCTURES FROM SEQUENCE DATA.",
                      "year": 2021, "authors": ["Doe, J.", "Roe, R."]}]),
        ("pubmed.ris", [{"title": "Deep-learning for the prediction of protein structures from sequence-data",
                         "authors": ["Doe J"]}]),
    )
    dup = find_duplicates(df)
    assert dup["cluster_id"].nunique() == 1
    others = dup[~dup["kept"]]
    assert dup.loc[dup["kept"], "source_file"].item() == "scopus.ris"  # the record with a DOI is kept
    assert all(re.fullmatch(r"title(\+year)?\+author \(score \d+\)", r) for r in others["reason"])
    assert (others["score"] >= 90).all()
    wos = dup[dup["source_file"] == "wos.ris"].iloc[0]
    assert wos["reason"].startswith("title+year+author") and wos["matched_to"] == "doi:10.1000/dl"


def test_word_order_and_typos_at_both_ends_are_found():
    df = frame(("a.ris", [{"title": "Graph neural networks in drug discovery: a systematic review",
                           "year": 2022, "authors": ["Kim, Min"]}]),
               ("b.ris", [{"title": "Grpah neural networks in drug discovery - a systematic reveiw",
                           "year": 2022, "authors": ["Kim, M."]}]))
    assert together(df, "a.ris#1", "b.ris#1")


@pytest.mark.parametrize("change", [
    {"year": 2017},                                # two years apart
    {"authors": ["Smith, Adam"]},                  # another first author
    {"title": "Erratum: " + TITLE},                # a notice about the article
    {"title": TITLE + " part 2"},                  # numbers differ
])
def test_similar_titles_with_conflicting_evidence_stay_apart(change):
    base = {"title": TITLE + " part 1" if "part" in change.get("title", "") else TITLE,
            "year": 2019, "authors": ["Doe, Jane"]}
    df = frame(("a.ris", [base]), ("b.ris", [{**base, **change}]))
    assert len(clusters_of(df)) == 2


@pytest.mark.parametrize("title", ["Editorial", "Introduction", "Preface", "Book reviews", "Erratum",
                                   "Guest editorial", "Introduction to the special issue"])
def test_generic_titles_do_not_merge_on_title(title):
    rec = {"title": title, "year": 2020, "authors": ["Doe, Jane"], "venue": "J Stuff"}
    df = frame(("a.ris", [rec]), ("b.ris", [dict(rec)]))
    assert len(clusters_of(df)) == 2
    # ...but they do through an identifier
    with_doi = frame(("a.ris", [{**rec, "doi": "10.1000/ed"}]), ("b.ris", [{**rec, "doi": "10.1000/ED"}]))
    assert len(clusters_of(with_doi)) == 1


def test_short_titles_need_identical_title_year_and_author():
    rec = {"title": "BERT rediscovered", "year": 2020, "authors": ["Doe, Jane"]}
    assert len(clusters_of(frame(("a.ris", [rec]), ("b.ris", [dict(rec)])))) == 1
    assert len(clusters_of(frame(("a.ris", [rec]), ("b.ris", [{**rec, "year": 2021}])))) == 2
    assert len(clusters_of(frame(("a.ris", [rec]), ("b.ris", [{**rec, "title": "BERT rediscovery"}])))) == 2
    assert len(clusters_of(frame(("a.ris", [rec]), ("b.ris", [{**rec, "authors": []}])))) == 2


def test_threshold_controls_title_links():
    a = {"title": TITLE, "year": 2020, "authors": ["Doe, Jane"]}
    b = {"title": TITLE.replace("protein", "protien").replace("sequence", "sequense"), "year": 2021,
         "authors": ["Doe, Jane"]}
    df = frame(("a.ris", [a]), ("b.ris", [b]))
    score = find_duplicates(df)["score"].dropna().item()
    assert len(clusters_of(df, threshold=score)) == 1
    assert len(clusters_of(df, threshold=score + 1)) == 2


# ---------------------------------------------------------------- merging

def test_richest_fields_are_kept():
    df = frame(
        ("a.ris", [{"title": TITLE, "year": 2020, "authors": ["Doe, J."], "abstract": "Short.",
                    "keywords": ["proteins", "Deep learning"], "venue": "Bioinformatics"}]),
        ("b.ris", [{"title": TITLE.upper(), "year": 2021, "authors": ["Doe, Jane", "Roe, Richard"],
                    "abstract": "A much longer abstract about folding.", "doi": "10.1000/fold",
                    "keywords": ["deep learning", "folding"]}]),
        ("c.ris", [{"title": TITLE, "year": 2021, "authors": ["Doe, Jane"], "pmid": "999"}]),
    )
    merged = deduplicate(df).papers
    assert len(merged) == 1
    row = merged.iloc[0]
    assert row["title"] == TITLE  # mixed case before all capitals
    assert row["abstract"] == "A much longer abstract about folding."
    assert row["authors"] == ["Doe, Jane", "Roe, Richard"]
    assert row["year"] == 2021  # the majority
    assert row["doi"] == "10.1000/fold" and row["pmid"] == "999"
    assert row["venue"] == "Bioinformatics"
    assert row["keywords"] == ["proteins", "Deep learning", "folding"]  # union, case-insensitive
    assert row["id"] == "doi:10.1000/fold" and row["source_file"] == "b.ris"
    validate(merged)


def test_year_tie_takes_the_earliest():
    df = frame(("a.ris", [{"title": TITLE, "year": 2021, "doi": "10.1000/y"}]),
               ("b.ris", [{"title": TITLE, "year": 2020, "doi": "10.1000/y"}]))
    assert deduplicate(df).papers.loc[0, "year"] == 2020


def test_merged_from_lists_every_source_record():
    df = frame(("a.ris", [{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Beta", "doi": "10.1000/2"}]),
               ("b.ris", [{"title": "Beta", "doi": "10.1000/2"}, {"title": "Gamma", "doi": "10.1000/3"}]),
               ("c.ris", [{"title": "Beta again", "doi": "10.1000/2"}]))
    merged = deduplicate(df).papers
    assert list(merged.columns) == COLUMNS + ["merged_from"]
    by_title = dict(zip(merged["title"], merged["merged_from"]))
    assert by_title == {"Alpha": ["a.ris#1"], "Beta": ["a.ris#2", "b.ris#1", "c.ris#1"], "Gamma": ["b.ris#2"]}
    assert sum(len(m) for m in merged["merged_from"]) == len(df)


def test_input_is_not_mutated():
    df = frame(("a.ris", [{"title": TITLE, "year": 2020, "keywords": ["x"], "doi": "10.1000/m"}]),
               ("b.ris", [{"title": TITLE, "year": 2020, "keywords": ["y"], "doi": "10.1000/m"}]))
    before = df.copy(deep=True)
    before_lists = [list(v) for v in df["keywords"]]
    merged = deduplicate(df).papers
    merged.loc[0, "keywords"].append("z")
    pd.testing.assert_frame_equal(df, before)
    assert [list(v) for v in df["keywords"]] == before_lists


def test_deterministic_under_shuffled_rows():
    recs = []
    for i in range(40):
        recs.append({"title": f"Study number {i} of an interesting phenomenon in cells",
                     "year": 2000 + i % 5, "authors": [f"Author{i % 7}, A"],
                     "doi": f"10.1000/{i}" if i % 3 else ""})
    dups = [{**r, "title": r["title"].upper().replace("PHENOMENON", "PHENOMENOM"), "doi": ""}
            for r in recs[::4]]
    df = frame(("a.ris", recs), ("b.ris", dups))
    shuffled = df.sample(frac=1.0, random_state=3).reset_index(drop=True)
    one, two = find_duplicates(df), find_duplicates(shuffled)
    pd.testing.assert_frame_equal(one, two)
    m1, m2 = deduplicate(df).papers, deduplicate(shuffled).papers
    pd.testing.assert_frame_equal(m1.sort_values("id").reset_index(drop=True),
                                  m2.sort_values("id").reset_index(drop=True))
    assert len(m1) == 40


def test_corpus_keeps_provenance_audit_and_notes_through_dedupe():
    corpus = corpus_of(("a.ris", [{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Beta", "doi": "10.1000/2"}]),
                       ("b.ris", [{"title": "Alpha", "doi": "10.1000/1"}]))
    merged = deduplicate(corpus)
    assert isinstance(merged, Corpus) and merged.deduplicated and not corpus.deduplicated
    assert merged.load_entries == corpus.load_entries and merged.skipped == corpus.skipped
    assert merged.notes == corpus.notes  # notes survive de-duplication
    assert merged.records is corpus.records and len(merged.papers) == 2
    table = record_clusters(merged)
    pd.testing.assert_frame_equal(table, find_duplicates(corpus.records))
    # the audit is a typed field, not a JSON string in attrs: slicing or concatenating papers cannot lose it
    assert len(pd.concat([merged.papers.iloc[:1], merged.papers.iloc[1:]])) == 2
    pd.testing.assert_frame_equal(record_clusters(merged), table)


def test_concat_keeps_provenance_and_equals_loading_together():
    a = corpus_of(("a.ris", [{"title": "Alpha", "doi": "10.1000/1"}]))
    b = Corpus.from_frame(frame(("b.ris", [{"title": "Alpha", "doi": "10.1000/1"}]))).replace(
        load_entries=(LoadEntry("b.ris", "ris", 1),), skipped=(SkippedRecord("b.ris", 2, 8, "no title"),))
    both = concat([b, a])
    assert [e.file for e in both.load_entries] == ["b.ris", "a.ris"]
    assert [s.file for s in both.skipped] == ["b.ris", "c.ris"]  # in the order of the corpora
    assert both.papers["source_file"].tolist() == ["a.ris", "b.ris"]  # sorted as load() sorts
    assert both.papers["id"].tolist() == ["doi:10.1000/1", "doi:10.1000/1-2"]  # ids unique again
    merged = deduplicate(both)
    assert len(merged) == 1 and len(merged.records) == 2 and len(merged.skipped) == 2
    assert merged.notes == a.notes
    assert concat([merged]).deduplicated is False and len(concat([merged])) == 2  # back to the records


def test_audit_lists_merged_clusters_and_writes_csv(tmp_path):
    df = frame(("a.ris", [{"title": "Alpha beta gamma delta epsilon", "doi": "10.1000/1", "year": 2001},
                          {"title": "Unrelated", "doi": "10.1000/9"}]),
               ("b.ris", [{"title": "Alpha beta gamma delta epsilon", "year": 2001}]))
    audit = compute_dedupe_audit(deduplicate(df))
    assert audit[["source_file", "source_record", "kept", "reason"]].values.tolist() == [
        ["a.ris", 1, True, ""], ["b.ris", 1, False, "title+year (score 97)"]]
    audit.to_csv(tmp_path / "audit.csv", index=False)
    back = pd.read_csv(tmp_path / "audit.csv")
    assert back["cluster_id"].tolist() == ["doi:10.1000/1"] * 2


def test_source_counts():
    corpus = corpus_of(("a.ris", [{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Beta", "doi": "10.1000/2"},
                          {"title": "Delta", "doi": "10.1000/4"}]),
                       ("b.ris", [{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Gamma", "doi": "10.1000/3"}]),
                       ("c.ris", [{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Gamma", "doi": "10.1000/3"}]))
    counts = compute_source_counts(deduplicate(corpus)).set_index("source_file")
    assert counts["loaded"].to_dict() == {"a.ris": 3, "b.ris": 2, "c.ris": 2, "Total": 7}
    assert counts["not_loaded"].to_dict() == {"a.ris": 0, "b.ris": 0, "c.ris": 1, "Total": 1}
    assert counts["identified"].to_dict() == {"a.ris": 3, "b.ris": 2, "c.ris": 3, "Total": 8}
    assert counts["duplicates_removed"].to_dict() == {"a.ris": 0, "b.ris": 1, "c.ris": 2, "Total": 3}
    assert counts["unique"].to_dict() == {"a.ris": 2, "b.ris": 0, "c.ris": 0, "Total": 2}
    assert counts.loc["Total", "retained"] == 4 == len(deduplicate(corpus))


def test_bad_input_raises_litscope_errors():
    df = frame(("a.ris", [{"title": "Alpha"}]))
    with pytest.raises(ParameterError):
        find_duplicates(df, threshold=0)
    with pytest.raises(SchemaError):
        deduplicate(df.drop(columns=["doi"]))
    with pytest.raises(SchemaError):
        record_clusters(df)


def test_empty_frame():
    empty = to_frame([], source_format="ris", source_file="a.ris")
    assert len(find_duplicates(empty)) == 0
    merged = deduplicate(empty)
    assert len(merged) == 0 and "merged_from" in merged.papers.columns
    assert len(compute_dedupe_audit(merged)) == 0


# ---------------------------------------------------------------- CoLRev acceptance

def _bib_entries(path: Path) -> list[tuple[str, str, list[str]]]:
    """(key, title, colrev origins) of each entry, in file order."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"@\w+\{([^,]+),(.*?)\n\}", text, re.S):
        body = m.group(2)
        title = re.search(r"\n\s*title\s*=\s*\{(.*?)\},\n", body).group(1)
        origin = re.search(r"colrev_origin\s*=\s*\{(.*?)\},\n", body, re.S).group(1)
        out.append((m.group(1), title, [o.strip() for o in origin.split(";") if o.strip()]))
    return out


def test_colrev_dedupe_acceptance():
    bibtex = pytest.importorskip("litscope.sources.bibtex")
    source = COLREV / "dedupe_records.bib"
    df = bibtex.read_bibtex(source).frame
    entries = _bib_entries(source)
    assert len(df) == len(entries) == 21
    # expected clusters: the input entries whose origins make up each expected record's origins
    origin_to_key = {o: key for key, _t, origins in entries for o in origins}
    expected = {frozenset(origin_to_key[o] for o in origins)
                for _k, _t, origins in _bib_entries(COLREV / "dedupe_records_expected.bib")}
    assert sum(len(c) for c in expected) == 21 and len(expected) == 19
    key_of_record = {i + 1: key for i, (key, _t, _o) in enumerate(entries)}
    dup = find_duplicates(df)
    found: dict[str, set[str]] = {}
    for cid, rec in zip(dup["cluster_id"], dup["source_record"]):
        found.setdefault(cid, set()).add(key_of_record[int(rec)])
    assert {frozenset(v) for v in found.values()} == expected
    merged = deduplicate(df).papers
    expected_titles = sorted(t for _k, t, _o in _bib_entries(COLREV / "dedupe_records_expected.bib"))
    assert sorted(merged["title"]) == sorted(t.rstrip(" .") for t in expected_titles)


def test_deduplicating_a_merged_corpus_keeps_provenance():
    df = frame(("a.ris", [{"title": "Alpha", "doi": "10.1000/1"}]), ("b.ris", [{"title": "Alpha", "doi": "10.1000/1"}]))
    merged = deduplicate(df).papers
    more = frame(("c.ris", [{"title": "Alpha", "doi": "10.1000/1"}, {"title": "Beta", "doi": "10.1000/2"}]))
    again = deduplicate(pd.concat([merged, more], ignore_index=True)).papers
    assert sorted(map(sorted, again["merged_from"])) == [["a.ris#1", "b.ris#1", "c.ris#1"], ["c.ris#2"]]
