"""litscope.load: inputs, detection, reports, errors."""

from __future__ import annotations

import shutil

import pytest

import litscope
from litscope.errors import FormatDetectionError, InputError, NoRecordsError, RecordError


def test_load_sample_with_report(sample_path):
    df_corpus = litscope.load(sample_path)
    df = df_corpus.papers
    assert len(df) == 91
    report = litscope.load_report(df_corpus)
    assert report.loc[0, "records"] == 91 and report.loc[0, "format"] == "listing"
    assert len(report.loc[0, "sha256"]) == 64
    assert litscope.skipped_records(df_corpus).empty


def test_folder_and_glob_inputs(tmp_path, sample_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(sample_path, tmp_path / "sub" / "a.txt")
    (tmp_path / "README.md").write_text("# not records")
    assert len(litscope.load(tmp_path)) == 91
    assert len(litscope.load(str(tmp_path / "sub" / "*.txt"))) == 91


def test_missing_file_names_it(tmp_path):
    with pytest.raises(InputError, match="nope.ris"):
        litscope.load(tmp_path / "nope.ris")


def test_unrecognised_named_file_raises(tmp_path):
    p = tmp_path / "x.dat"
    p.write_bytes(b"\x00\x01\x02 binary junk")
    with pytest.raises(FormatDetectionError, match="x.dat"):
        litscope.load(p)


def test_unrecognised_file_in_folder_is_reported_not_fatal(tmp_path, sample_path):
    shutil.copy(sample_path, tmp_path / "a.txt")
    (tmp_path / "junk.dat").write_bytes(b"\x00\x01\x02")
    corpus = litscope.load(tmp_path)
    report = litscope.load_report(corpus).set_index("file")
    error = report.loc[str(tmp_path / "junk.dat"), "error"]
    assert error.startswith("unrecognised format")
    assert "litscope.load(..., format='ris')" in error and "litscope review" in error  # how to force one


def test_nothing_loadable_raises(tmp_path):
    (tmp_path / "junk.dat").write_bytes(b"\x00\x01\x02")
    with pytest.raises(NoRecordsError):
        litscope.load(tmp_path)


def test_duplicate_ids_are_made_unique_and_order_does_not_matter(tmp_path, sample_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(sample_path, a)
    shutil.copy(sample_path, b)
    one, two = litscope.load([a, b]).papers, litscope.load([b, a]).papers
    assert len(one) == 182 and one["id"].is_unique
    assert one["id"].tolist() == two["id"].tolist()


def test_errors_argument_is_checked(sample_path):
    with pytest.raises(ValueError):
        litscope.load(sample_path, errors="ignore")


def test_file_of_only_bad_records_raises_with_record(tmp_path):
    p = tmp_path / "bad.txt"
    long = "An abstract sentence. " * 20
    p.write_text(f"Title\n\n{long}\n\n{long}\n")
    # the first pair loads; an orphan abstract is skipped and listed
    df_corpus = litscope.load(p)
    df = df_corpus.papers
    assert len(df) == 1 and litscope.skipped_records(df_corpus).loc[0, "record"] == 2
    with pytest.raises(RecordError, match="bad.txt: record 2"):
        litscope.load(p, errors="raise")


def test_error_feed_in_a_folder_is_reported_and_the_rest_loads(tmp_path, fixtures):
    folder = tmp_path / "arxiv"
    shutil.copytree(fixtures / "arxiv_atom", folder)
    df_corpus = litscope.load(folder)
    df = df_corpus.papers
    report = litscope.load_report(df_corpus).set_index("file")
    feed = str(folder / "id_abc_s0_m100_b79c8dcf6bc3.atom.xml")
    assert "incorrect id format" in report.loc[feed, "error"]
    assert feed in set(litscope.skipped_records(df_corpus)["file"])
    assert len(df) == 102  # 1 + 1 + 100 records in the other feeds, 0 in the empty one
    with pytest.raises(InputError, match="id_abc"):
        litscope.load(feed)
