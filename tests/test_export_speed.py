"""The exports read their rows in blocks of columns and stop folding a title at its key word
(issue 7): the same records, keys and bytes as the row-by-row code they replaced."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pandas as pd
import pytest

from litscope import citekeys, export, exportrows
from litscope.schema import COLUMNS


def _frame(n: int = 23) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    titles = ["The deep learning of graphs", "On Ünïcode: a way", None, "A", "", "of the and", "Trials/ x"]
    return pd.DataFrame({
        "title": pd.array([titles[i % len(titles)] for i in range(n)], dtype="str"),
        "authors": [["Doe, Jane", "Roe, R"] if i % 3 else [] for i in range(n)],
        "year": pd.array([2020 + i % 4 if i % 5 else None for i in range(n)], dtype="Int64"),
        "doi": pd.array([f"10.1/{i}" if i % 2 else None for i in range(n)], dtype="str"),
        "abstract": pd.array([f"Line one\r\nline {i}  of text." if i % 4 else float("nan") for i in range(n)],
                             dtype="str"),
        "keywords": [["a;b", "c"] if i % 2 else np.array(["x"]) for i in range(n)],
        "venue": pd.array([None if i % 3 == 0 else f"J {i}" for i in range(n)], dtype="string"),  # pd.NA
        "score": rng.random(n),
        "source_record": pd.array(range(n), dtype="Int64"),
    })


def _reference_records(df):
    cols = list(df.columns)
    for values in df.itertuples(index=False, name=None):
        rec = dict(zip(cols, values))
        for c in COLUMNS:
            rec.setdefault(c, "")
        yield rec


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return a is b
    return type(a) is type(b) and (a is b or a == b)


@pytest.mark.parametrize("block", [1, 5, 2_000])
def test_records_equal_itertuples(monkeypatch, block):
    monkeypatch.setattr(exportrows, "_RECORD_BLOCK", block)
    df = _frame()
    fast, slow = list(export._records(df)), list(_reference_records(df))
    assert len(fast) == len(slow) == len(df)
    for f, s in zip(fast, slow):
        assert list(f) == list(s)
        assert all(_same(f[k], s[k]) for k in f), (f, s)
    assert any(isinstance(r["title"], float) for r in slow)  # the frame does hold missing text
    assert any(r["venue"] is pd.NA for r in slow)


def _reference_citation_keys(df):
    keys, used = [], set()
    for rec in _reference_records(df):
        authors = export._items(rec.get("authors"))
        family = citekeys._ascii_word(authors[0].split(",")[0]) if authors else ""
        words = [citekeys._ascii_word(w) for w in re.split(r"[\s\-–—/:]+", export._text(rec.get("title")))]
        word = next((w for w in words if w and w not in citekeys._KEY_STOPWORDS), "")
        base = f"{family or 'anon'}{export._year(rec.get('year'))}{word}" or "record"
        key, n = base, 0
        while key in used:
            key = base + citekeys._suffix(n)
            n += 1
        used.add(key)
        keys.append(key)
    return keys


def test_citation_keys_and_export_bytes_equal_the_reference(monkeypatch):
    df = _frame(40)
    keys = export.citation_keys(df)
    assert keys == _reference_citation_keys(df)
    assert len(set(keys)) == len(keys) and "anondeep" in keys and "doe2021unicode" in keys
    written = {}
    for name, write in (("bib", export.write_bibtex), ("ris", export.write_ris), ("csv", export.write_csv)):
        buf = io.StringIO()
        write(df, buf)
        written[name] = buf.getvalue()
    monkeypatch.setattr(export, "_records", _reference_records)
    for name, write in (("bib", export.write_bibtex), ("ris", export.write_ris), ("csv", export.write_csv)):
        buf = io.StringIO()
        write(df, buf)
        assert buf.getvalue() == written[name], name
    assert "AB  - Line one line 1 of text." in written["ris"]
