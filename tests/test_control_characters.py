"""Issue 8, item 8: control characters (NUL, BEL, ANSI escapes...) are stripped at load time.

They are removed where records are normalised (litscope.schema.to_frame), so every reader is
covered, and each removal is noted in the load notes ("removed 4 control characters from
title"). Tabs and newlines are ordinary whitespace, not removals.
"""

from __future__ import annotations

import io
import re

import pytest

import litscope
from litscope.export import write_bibtex, write_csv, write_ris
from litscope.schema import to_file_records, to_frame

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
RED = "\x1b[31m"
RESET = "\x1b[0m"


def _buffer(text: str, name: str) -> io.BytesIO:
    buf = io.BytesIO(text.encode("utf-8"))
    buf.name = name
    return buf


def _no_controls(df) -> None:
    for col in df.columns:
        for value in df[col]:
            items = value if isinstance(value, list) else [value]
            for item in items:
                assert not CONTROL.search(str(item)), (col, item)


def test_to_frame_strips_nul_bel_and_ansi_escapes_and_notes_them():
    result = to_file_records([{"title": f"A\x00 study\x07 of {RED}red{RESET} things", "abstract": "Tab\there,\nnewline.",
                    "authors": [f"Doe{RED}, Jane\x07"], "doi": "10.1000/abc\x1b[0m", "keywords": ["k\x00w"],
                    "venue": "J\x08ournal", "source_record": 7},
                   {"title": "Clean\ttitle", "abstract": "Line one\r\nline two"}],
                  source_format="ris", source_file="x.ris")
    df = result.frame
    assert df.loc[0, "title"] == "A study of red things"
    assert df.loc[0, "authors"] == ["Doe, Jane"]
    assert df.loc[0, "doi"] == "10.1000/abc"
    assert df.loc[0, "keywords"] == ["kw"] and df.loc[0, "venue"] == "Journal"
    assert df.loc[0, "abstract"] == "Tab here, newline."
    assert df.loc[1, "title"] == "Clean title"
    _no_controls(df)
    notes = [n.as_dict() for n in result.notes]
    assert [n["record"] for n in notes] == [7]  # the clean record (tabs, CRLF) has no note
    note = notes[0]["note"]
    assert note.startswith("removed 9 control characters from ")
    assert "title (4)" in note and "authors (2)" in note and "doi (1)" in note
    assert notes[0]["file"] == "x.ris"


def test_one_field_note_reads_plainly():
    result = to_file_records([{"title": "A\x00\x00\x07 title"}], source_format="ris", source_file="x.ris")
    assert [n.as_dict() for n in result.notes] == [{"file": "x.ris", "record": 1, "line": None,
                                  "note": "removed 3 control characters from title"}]


@pytest.mark.parametrize("name,text", [
    ("refs.csv", f'Title,Abstract,Authors\n"Bell\x07 {RED}and{RESET} NUL\x00 title","Abs\x1b]0;pwned\x07tract",Doe J.\n'),
    ("refs.ris", f"TY  - JOUR\nTI  - Bell\x07 {RED}and{RESET} NUL\x00 title\nAB  - Abs\x1b]0;pwned\x07tract\nAU  - Doe, J.\nER  - \n"),
])
def test_load_strips_controls_and_lists_them_in_the_load_notes(name, text):
    df_corpus = litscope.load([_buffer(text, name)])
    df = df_corpus.papers
    assert df.loc[0, "title"] == "Bell and NUL title"
    assert df.loc[0, "abstract"] == "Abstract"
    _no_controls(df)
    notes = [n for n in [n.as_dict() for n in df_corpus.notes] if "control" in n["note"]]
    assert len(notes) == 1 and notes[0]["record"] == 1 and notes[0]["file"] == name
    assert notes[0]["line"] == (2 if name.endswith(".csv") else None)  # the CSV reader passes its line
    assert "title (4)" in notes[0]["note"] and "abstract (1)" in notes[0]["note"]


def test_exports_carry_no_control_characters():
    df = to_frame([{"title": f"{RED}Alert\x07{RESET}", "abstract": "x\x00y", "authors": ["Doe\x1b[1m, J"]}],
                  source_format="ris", source_file="x.ris")
    for writer in (write_bibtex, write_ris, write_csv):
        buf = io.StringIO()
        writer(df, buf)
        assert not CONTROL.search(buf.getvalue()), writer.__name__


def test_title_of_only_control_characters_is_not_a_record():
    text = 'Title,Abstract\n"\x1b[31m\x07\x00",""\n"Real title",""\n'
    df_corpus = litscope.load([_buffer(text, "ctl.csv")])
    df = df_corpus.papers
    assert df["title"].tolist() == ["Real title"]
    assert [s.as_dict() for s in df_corpus.skipped][0]["record"] == 1


def test_strip_controls_is_linear_on_long_escape_runs():
    import time

    from litscope.controls import strip_controls

    text = ("\x1b[" + "1;" * 200_000) * 3 + "x"
    start = time.perf_counter()
    cleaned, removed = strip_controls(text)
    assert time.perf_counter() - start < 1.0
    assert "\x1b" not in cleaned and removed >= 3
