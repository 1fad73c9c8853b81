"""The reviewer's decisions CSV and the labels that exports carry."""

from __future__ import annotations

import io
import os

import pandas as pd
import pytest

from litscope.errors import DecisionsError, InputError
from litscope.screening import apply_decisions, read_decisions, read_prior_decisions, write_decision, write_decisions
from litscope.screening.labels import parse_rayyan_note, read_label_column
from litscope.sources import read


def papers() -> pd.DataFrame:
    return pd.DataFrame({"id": ["doi:10.1000/a", "r-b", "r-c"], "doi": ["10.1000/a", "", ""],
                         "title": ["Alpha: a study", "Beta study", "=HYPERLINK(\"http://x\")"]})


HEADER = "id,doi,title,decision,reason,reviewer,date\n"


def test_matching_by_id_then_doi_then_normalised_title(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + ",https://doi.org/10.1000/A,,include,on topic,ann,2026-01-01\n"
                             ",,BETA   STUDY!,Excluded,wrong population,bob,2026-01-02\n"
                             "r-c,,,maybe,,ann,\n"
                             "r-zzz,,Nowhere,exclude,,ann,\n", encoding="utf-8")
    applied = apply_decisions(papers(), read_decisions(path))
    t = applied.table
    assert t["decision"].tolist() == ["include", "exclude", "maybe"]
    assert t["matched_by"].tolist() == ["doi", "title", "id"]
    assert t["reason"].tolist() == ["on topic", "wrong population", ""]
    assert applied.unmatched["id"].tolist() == ["r-zzz"]
    assert applied.counts() == {"include": 1, "exclude": 1, "maybe": 1, "undecided": 0}


def test_the_last_row_for_a_paper_wins():
    text = HEADER + "r-b,,,include,,ann,\nr-b,,,exclude,changed my mind,ann,\n"
    t = apply_decisions(papers(), read_decisions(io.StringIO(text))).table
    assert t.loc[1, ["decision", "reason"]].tolist() == ["exclude", "changed my mind"]


@pytest.mark.parametrize("body, line, message", [
    ("r-b,,,perhaps,,,\n", 2, "unknown decision 'perhaps'"),
    ("r-b,,,include,,,\n,,,exclude,,,\n", 3, "no id, DOI or title"),
    ('r-b,,,include,"multi\nline reason",,\nr-c,,,nope,,,\n', 4, "unknown decision 'nope'"),
])
def test_bad_rows_are_one_line_errors_with_file_and_line(tmp_path, body, line, message):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(DecisionsError) as info:
        read_decisions(path)
    err = info.value
    assert isinstance(err, InputError) and isinstance(err, ValueError)
    assert err.file == str(path) and err.line == line and message in str(err)
    assert "\n" not in str(err)


def test_a_file_without_the_required_columns_is_refused(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("paper,verdict\nx,include\n", encoding="utf-8")
    with pytest.raises(DecisionsError, match="needs a 'decision' column") as info:
        read_decisions(path)
    assert info.value.line == 1


def test_write_back_adds_new_records_undecided_keeps_unmatched_and_neutralises(tmp_path):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "r-b,,,exclude,=cmd|' /C calc'!A0,bob,2026-01-02\nr-gone,,Gone,include,,ann,\n",
                    encoding="utf-8")
    write_decisions(path, papers())
    raw = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and "'=cmd|" in raw  # no cell a spreadsheet would run
    back = read_decisions(path)
    assert back["id"].tolist() == ["doi:10.1000/a", "r-b", "r-c", "r-gone"]
    assert back["decision"].tolist() == ["", "exclude", "", "include"]
    assert back.loc[1, "reason"] == "=cmd|' /C calc'!A0"  # read back exactly
    assert back.loc[2, "title"] == '=HYPERLINK("http://x")'
    assert [p.name for p in tmp_path.iterdir()] == ["decisions.csv"]  # no temporary file left


def test_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "decisions.csv"
    path.write_text(HEADER + "r-b,,,exclude,,bob,\n", encoding="utf-8")
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_decisions(path, papers())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["decisions.csv"]


def test_each_decision_is_saved_at_once(tmp_path):
    path = tmp_path / "decisions.csv"
    write_decision(path, papers(), "r-c", "Include", reason="fits", reviewer="ann", date="2026-02-03")
    write_decision(path, papers(), "r-b", "exclude", reviewer="ann", date="2026-02-04")
    t = apply_decisions(papers(), read_decisions(path)).table  # a fresh read, as after a restart
    assert t["decision"].tolist() == ["", "exclude", "include"]
    assert t.loc[2, ["reason", "reviewer", "date"]].tolist() == ["fits", "ann", "2026-02-03"]
    with pytest.raises(DecisionsError, match="no paper with id"):
        write_decision(path, papers(), "r-nope", "include")
    with pytest.raises(DecisionsError, match="unknown decision"):
        write_decision(path, papers(), "r-b", "yes please")


def test_missing_decisions_file_reads_as_empty(tmp_path):
    assert read_decisions(tmp_path / "none.csv").empty


# ---------------------------------------------------------------- labels in exports


def test_asreview_partial_labels_are_prior_decisions(fixtures):
    path = fixtures / "csv_exports" / "asreview_edge_cases" / "generic_partial_labels.csv"
    papers_read = read(path).frame
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    prior = read_prior_decisions(path, papers_read)
    expected = raw["label_included"].map({"1": "include", "0": "exclude"}).dropna()
    assert len(prior) == len(expected) > 0
    assert sorted(prior["decision"]) == sorted(expected)
    applied = apply_decisions(papers_read, prior).table
    by_title = dict(zip(papers_read["title"], applied["decision"]))
    for title, label in zip(raw["title"], raw["label_included"]):
        if label in ("0", "1") and title in by_title:
            assert by_title[title] == ("include" if label == "1" else "exclude")


def test_cohen_label_included_is_read_from_the_export_itself(fixtures):
    path = fixtures / "screening" / "cohen2006_adhd_slice.csv"
    papers_read = read(path).frame
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    labels = read_label_column(path, "LABEL_INCLUDED", papers_read)
    assert len(papers_read) == len(raw) == 150
    # each paper's label is the one on its own row of the file (its title proves the row)
    for (_, paper), label in zip(papers_read.iterrows(), labels):
        row = raw.iloc[int(paper["source_record"]) - 1]
        assert " ".join(row["title"].split()).rstrip(".") in paper["title"]
        assert row["label_included"] == label
    assert labels.astype(int).sum() == 20
    with pytest.raises(DecisionsError, match="no column 'verdict'"):
        read_label_column(path, "verdict", papers_read)


def test_rayyan_notes_are_prior_decisions(tmp_path):
    path = tmp_path / "articles.csv"
    path.write_text(
        'key,title,abstract,year,notes\n'
        '1,Included by all,Text one.,2020,"RAYYAN-INCLUSION: {""Ann""=>""Included"", ""Bob""=>""Included""}"\n'
        '2,Excluded by all,Text two.,2020,"RAYYAN-INCLUSION: {""Ann""=>""Excluded""} | '
        'RAYYAN-EXCLUSION-REASONS: wrong population"\n'
        '3,Conflict,Text three.,2020,"RAYYAN-INCLUSION: {""Ann""=>""Included"", ""Bob""=>""Excluded""}"\n'
        '4,Not screened,Text four.,2020,\n', encoding="utf-8")
    papers_read = read(path).frame
    prior = read_prior_decisions(path, papers_read)
    assert prior["title"].tolist() == ["Included by all", "Excluded by all", "Conflict"]
    assert prior["decision"].tolist() == ["include", "exclude", "maybe"]
    assert prior["reason"].tolist() == ["", "wrong population", ""]
    assert prior["reviewer"].tolist() == ["Rayyan: Ann, Bob", "Rayyan: Ann", "Rayyan: Ann, Bob"]
    assert parse_rayyan_note("RAYYAN-LABELS: x") is None


def test_an_unreadable_label_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("title,abstract,included\nA,x,1\nB,y,perhaps\n", encoding="utf-8")
    with pytest.raises(DecisionsError, match="cannot read 'perhaps'") as info:
        read_prior_decisions(path, read(path).frame)
    assert info.value.line == 3


def test_labels_from_a_non_table_export_are_refused_in_words(fixtures):
    path = next((fixtures / "ris" / "asreview").glob("*.ris"))
    with pytest.raises(DecisionsError, match="labels are read from table exports .* read as ris") as info:
        read_label_column(path, "included", read(path).frame)
    assert info.value.file == str(path)


def test_asreview_ris_export_labels_are_prior_decisions(fixtures):
    path = fixtures / "ris" / "asreview" / "asreview_baseline_zotero.ris"
    papers_read = read(path).frame
    prior = read_prior_decisions(path, papers_read)
    text = path.read_text(encoding="utf-8")
    # ground truth straight from the file: each record's title and its ASReview note
    truth = {}
    for block in text.split("\nER  -")[:-1]:
        title = next(line[6:].strip() for line in block.splitlines() if line.startswith(("TI  -", "T1  -")))
        if "ASReview_relevant" in block:
            truth[title] = "include"
        elif "ASReview_irrelevant" in block:
            truth[title] = "exclude"
    assert len(truth) > 0 and len(prior) == len(truth)
    assert dict(zip(prior["title"], prior["decision"])) == truth
    assert set(prior["reviewer"]) == {"export: ASReview RIS"}
