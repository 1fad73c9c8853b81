"""compute_papers_table reads topics through dicts and shows each source file once (issue 7):
the same table as the per-paper ``.at`` lookups and per-row path resolving it replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from litscope.missing import is_missing
from litscope.report import csvwriters
from litscope.report.inputs import _display_path


def _reference_topic_columns(ids, papers):
    """The three topic columns as first written: a ``.at`` lookup per paper and column."""
    p = papers.drop_duplicates("id").set_index("id")
    topic = [int(p.at[i, "topic"]) if i in p.index else -1 for i in ids]
    label = [str(p.at[i, "topic_label"]) if i in p.index and "topic_label" in p else "" for i in ids]
    confidence = [round(float(p.at[i, "confidence"]), 3) if i in p.index and "confidence" in p
                  and not is_missing(p.at[i, "confidence"]) else np.nan for i in ids]
    return topic, label, confidence


def _corpus(tmp_path):
    inside = csvwriters._display_path.__globals__["paths"].project_root() / "data" / "x.ris"
    return pd.DataFrame({
        "id": ["a", "b", "c", "d", "e"], "title": list("ABCDE"), "year": [2020, None, 2019, 2021, 2018],
        "source_file": [str(inside), str(tmp_path / "y.bib"), str(inside), "", str(tmp_path / "y.bib")],
    })


@pytest.mark.parametrize("columns", [["id", "topic", "topic_label", "confidence"], ["id", "topic"],
                                     ["id", "topic", "confidence"]])
def test_topic_columns_and_source_files_equal_the_reference(tmp_path, columns):
    df = _corpus(tmp_path)
    papers = pd.DataFrame({"id": ["a", "b", "c", "a", "zz"], "topic": [0, 1, -1, 5, 2],
                           "topic_label": ["cats", "dogs", "", "other", "fish"],
                           "confidence": [0.91234, None, 0.5, 0.1, 0.7]})[columns]
    table = csvwriters.compute_papers_table(df, papers, None, {i: n for n, i in enumerate("edcba", 1)})
    by_id = table.set_index("id")
    ids = df["id"].tolist()
    topic, label, confidence = _reference_topic_columns(ids, papers)
    assert by_id.loc[ids, "topic"].tolist() == topic
    assert by_id.loc[ids, "topic_label"].tolist() == label
    assert np.array_equal(by_id.loc[ids, "confidence"].to_numpy(dtype=float), np.array(confidence, dtype=float),
                          equal_nan=True)
    assert by_id.loc[ids, "source_file"].tolist() == [_display_path(f) if f else "" for f in df["source_file"]]
    assert topic[:3] == [0, 1, -1] and topic[3:] == [-1, -1]  # first row of a repeated id; absent ids -1
    assert by_id.loc["a", "source_file"] == "data/x.ris"  # inside the project: shown relative to it
