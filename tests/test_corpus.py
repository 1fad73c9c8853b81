"""The typed corpus: every stage takes and returns a Corpus, and provenance survives all of them."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

import litscope
from litscope import pipeline, report
from litscope.corpus import Corpus, concat
from litscope.counts import compute_record_counts
from litscope.dedupe import deduplicate, skip_deduplication
from litscope.errors import SchemaError
from litscope.records import FileRecords, LoadEntry, Note, SkippedRecord
from litscope.sources import readers

RIS = (b"TY  - JOUR\nTI  - Deep learning for protein folding\x07\nPY  - 2020\nDO  - 10.1000/x\nER  - \n"
       b"TY  - JOUR\nAU  - Doe, J\nER  - \n")
CSV = b"Title,Year,DOI\nDeep Learning for Protein Folding,2020,10.1000/X\nAnother paper,2021,\n"


def _buffer(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


@pytest.fixture
def loaded() -> Corpus:
    return litscope.load([_buffer(RIS, "a.ris"), _buffer(CSV, "b.csv")])


def test_load_returns_a_corpus_with_typed_provenance(loaded):
    assert isinstance(loaded, Corpus) and not loaded.deduplicated and loaded.clusters is None
    assert loaded.papers is loaded.records and len(loaded) == 3
    assert [(e.file, e.format, e.records, e.skipped) for e in loaded.load_entries] == [
        ("a.ris", "ris", 1, 1), ("b.csv", "csv", 2, 0)]
    assert all(isinstance(e, LoadEntry) and len(e.sha256) == 64 for e in loaded.load_entries)
    [skipped] = loaded.skipped
    assert isinstance(skipped, SkippedRecord) and (skipped.file, skipped.record) == ("a.ris", 2)
    [note] = loaded.notes
    assert isinstance(note, Note) and note.record == 1 and "control character" in note.note
    assert list(loaded.load_report().columns) == ["file", "format", "records", "skipped", "encoding",
                                                  "sha256", "error"]
    assert loaded.skipped_records().loc[0, "record"] == 2
    assert loaded.record_notes().loc[0, "file"] == "a.ris"
    assert loaded.input_files() == ["a.ris", "b.csv"]


def test_every_stage_returns_a_corpus_and_keeps_provenance(loaded):
    stages = {
        "deduplicate": deduplicate(loaded),
        "skip_deduplication": skip_deduplication(loaded, "off"),
        "merge_duplicates": report.merge_duplicates(loaded),
        "merge_duplicates(off)": report.merge_duplicates(loaded, enabled=False),
        "concat": concat([loaded]),
    }
    for name, out in stages.items():
        assert isinstance(out, Corpus), name
        assert out.load_entries == loaded.load_entries, name
        assert out.skipped == loaded.skipped, name
        assert out.notes == loaded.notes, name  # notes survive de-duplication (no patching back)
    merged = stages["deduplicate"]
    assert len(merged) == 2 and len(merged.records) == 3 and merged.deduplicated
    assert merged.duplicate_clusters()["reason"].tolist() == ["", "doi", ""]
    assert stages["skip_deduplication"].dedupe_note == "off" and len(stages["skip_deduplication"]) == 3
    with pytest.raises(SchemaError):
        loaded.duplicate_clusters()


def test_pipeline_threads_one_corpus(loaded, tmp_path):
    review = pipeline.Review(settings=pipeline.run_settings(), files=[], output_dir=tmp_path)
    review.corpus = loaded
    pipeline.merge_duplicates(review)
    assert isinstance(review.corpus, Corpus) and review.corpus.deduplicated
    assert review.corpus.records is loaded.records and review.corpus.notes == loaded.notes
    pipeline.number_references(review)
    assert len(review.refs) == len(review.corpus.papers) == 2


def test_concat_equals_loading_the_files_together(tmp_path, sample_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(sample_path, a)
    shutil.copy(sample_path, b)
    together = litscope.load([a, b])
    joined = concat([litscope.load(b), litscope.load(a)])
    pd.testing.assert_frame_equal(joined.papers, together.papers)
    assert sorted(e.file for e in joined.load_entries) == sorted(e.file for e in together.load_entries)
    assert joined.papers["id"].is_unique


def test_pandas_concat_of_papers_cannot_lose_provenance(loaded):
    merged = deduplicate(loaded)
    halves = pd.concat([merged.papers.iloc[:1], merged.papers.iloc[1:]], ignore_index=True)
    again = merged.replace(papers=halves)
    assert again.skipped == loaded.skipped and again.duplicate_clusters().equals(merged.duplicate_clusters())


def test_counts_agree_across_overview_prisma_and_sources(loaded):
    from litscope import prisma
    from litscope.counts import compute_source_counts

    merged = deduplicate(loaded)
    counts = compute_record_counts(merged)
    assert (counts.identified, counts.loaded, counts.not_loaded, counts.duplicates, counts.papers) == (4, 3, 1, 1, 2)
    overview = dict(zip(*report.compute_corpus_overview(merged).T.values))
    assert overview["Records loaded"] == counts.loaded and overview["Unique papers"] == counts.papers
    flow = prisma.compute_prisma_identification(merged).set_index("key")["n"]
    assert flow["identified"] == counts.identified and flow["duplicates"] == counts.duplicates
    sources = compute_source_counts(merged).set_index("source_file")
    assert sources.loc["Total", "identified"] == counts.identified
    assert sources.loc["Total", "duplicates_removed"] == counts.duplicates


@pytest.mark.parametrize("fmt", sorted(readers()))
def test_every_reader_returns_file_records(fmt, fixtures, sample_path):
    examples = [Path(sample_path)] + sorted(p for p in Path(fixtures).rglob("*") if p.is_file()
                                            and p.suffix in readers()[fmt].extensions and "broken" not in p.name)
    for path in examples:
        try:
            if litscope.detect_format(path) != fmt:
                continue
        except litscope.LitscopeError:
            continue
        result = readers()[fmt].read(path)
        assert isinstance(result, FileRecords) and isinstance(result.frame, pd.DataFrame)
        assert all(isinstance(s, SkippedRecord) for s in result.skipped)
        assert all(isinstance(n, Note) for n in result.notes)
        return
    pytest.skip(f"no fixture of format {fmt}")
