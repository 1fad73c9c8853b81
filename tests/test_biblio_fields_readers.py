"""Issue 8: RIS and BibTeX fill volume/issue/pages/ISBN/ISSN (evidence against false merges),
and BibTeX keeps the control-character notes that schema.to_frame writes."""

from __future__ import annotations

import litscope
from litscope.report import merge_duplicates

RIS = (b"TY  - CONF\nTI  - Computational Science and Its Applications\nPY  - 2010\nVL  - 6016\n"
       b"SP  - 1\nEP  - 20\nSN  - 978-3-642-12155-5\nER  - \n\n"
       b"TY  - CONF\nTI  - Computational Science and Its Applications\nPY  - 2010\nVL  - 6017\n"
       b"SN  - 0302-9743\nER  - \n")


def test_ris_volumes_fill_the_schema_and_stay_apart(tmp_path):
    path = tmp_path / "volumes.ris"
    path.write_bytes(RIS)
    df_corpus = litscope.load(str(path))
    df = df_corpus.papers
    assert df["volume"].tolist() == ["6016", "6017"]
    assert df["pages"].tolist() == ["1-20", ""]
    assert df["isbn"].tolist() == ["9783642121555", ""] and df["issn"].tolist() == ["", "0302-9743"]
    assert len(merge_duplicates(df)) == 2  # same title and year, different volumes: two works


def test_bibtex_fills_biblio_fields_and_keeps_control_character_notes(tmp_path):
    path = tmp_path / "one.bib"
    path.write_text("@inproceedings{a, title={Same \x07title}, year={2010}, volume={3}, number={2},"
                    " pages={10--20}, isbn={3-642-12164-0}}\n", encoding="utf-8")
    df_corpus = litscope.load(str(path))
    df = df_corpus.papers
    row = df.iloc[0]
    assert (row["title"], row["volume"], row["issue"], row["pages"], row["isbn"]) == \
        ("Same title", "3", "2", "10-20", "3642121640")
    assert any("control character" in n["note"] for n in [n.as_dict() for n in df_corpus.notes])
