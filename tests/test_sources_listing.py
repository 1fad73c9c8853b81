"""The pasted paper-listing reader (the sample corpus format)."""

from __future__ import annotations

import io

import pytest

import litscope
from litscope.errors import RecordError
from litscope.sources.listing import read_listing

ABSTRACT = ("We study a thing in depth. It matters because of reasons that are long enough to "
            "be an abstract. Results show improvements over strong baselines on many tasks.")


def test_sample_has_91_papers(sample_path):
    # 91 = (blank-line separated blocks 187 - 5 page-header blocks) / 2, counted with awk 'BEGIN{RS=""}'.
    df_result = read_listing(sample_path)
    df = df_result.frame
    assert len(df) == 91
    assert df["id"].is_unique
    assert df.loc[0, "title"] == "Vocabulary Expansion of Chat Models with Unlabeled Target Language Data"
    assert df.loc[0, "abstract"].startswith("Chat models (i.e. language models")
    assert (df["abstract"].str.len() > 200).all()
    assert df["source_record"].tolist() == list(range(1, 92))


def test_titles_with_question_marks_stay_titles(sample_path):
    titles = set(read_listing(sample_path).frame["title"])
    assert "Is Sora a World Simulator? A Comprehensive Survey on General World Models and Beyond" in titles


def test_detected_from_content(sample_path):
    assert litscope.detect_format(sample_path) == "listing"


def test_title_without_abstract_is_a_record():
    text = f"Header\n\nFirst paper\n\n{ABSTRACT}\n\nSecond paper without abstract\n\nThird paper\n\n{ABSTRACT}\n"
    df_result = read_listing(io.BytesIO(text.encode()))
    df = df_result.frame
    assert df["title"].tolist() == ["First paper", "Second paper without abstract", "Third paper"]
    assert df["abstract"].tolist()[1] == ""


def test_orphan_abstract_is_listed_or_raises():
    text = f"Header\n\nFirst paper\n\n{ABSTRACT}\n\n{ABSTRACT}\n\nThird paper\n\n{ABSTRACT}\n"
    df_result = read_listing(io.BytesIO(text.encode()))
    df = df_result.frame
    assert len(df) == 2
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["line"] == 7 and "no title" in bad["reason"]
    with pytest.raises(RecordError, match="line 7"):
        read_listing(io.BytesIO(text.encode()), errors="raise")


def test_crlf_and_bom_give_the_same_records(sample_path):
    data = sample_path.read_bytes()
    variant = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
    a, b = read_listing(sample_path).frame, read_listing(io.BytesIO(variant)).frame
    assert a["title"].tolist() == b["title"].tolist()
    assert a["abstract"].tolist() == b["abstract"].tolist()
