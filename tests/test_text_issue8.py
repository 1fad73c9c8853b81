"""Issue 8, "Sentence splitting": real abstracts the splitter used to get wrong.

The abstracts come verbatim from the real corpora (see ``fixtures/abstracts/PROVENANCE.txt``)
and from the Scopus CSV export already among the reader fixtures.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from litscope import sources
from litscope.summarize import compute_paper_summaries
from litscope.text import is_informative, sentence_spans, split_sentences

FIXTURES = Path(__file__).parent / "fixtures"
CASES = {(c["source"].split("/")[-1], c["id"]): c for c in
         map(json.loads, (FIXTURES / "abstracts" / "sentence_cases.jsonl").read_text("utf-8").splitlines())}


def _abstract(source: str, rid: str) -> str:
    return CASES[(source, rid)]["abstract"]


def _assert_verbatim(text: str) -> None:
    for a, b in sentence_spans(text):
        assert text[a:b] == text[a:b].strip() and text[a:b]


# ------------------------------------------------------------------ the © line of Scopus abstracts

def test_copyright_line_is_split_from_the_last_sentence_in_scopus_abstracts():
    df = sources.read(FIXTURES / "csv_exports" / "litstudy_scopus.csv").frame
    with_copyright = [a for a in df["abstract"].dropna() if "\u00a9" in a]
    assert len(with_copyright) > 30  # most Scopus abstracts end in one
    for abstract in with_copyright:
        sents = split_sentences(abstract)
        # the © line stands alone, so the sentence before it survives as informative content
        glued = [s for s in sents if "\u00a9" in s and not s.startswith("\u00a9")
                 and not s.lower().startswith("copyright")]
        assert glued == [], glued
        _assert_verbatim(abstract)


@pytest.mark.parametrize("text, expected", [
    ("We improved outcomes. \u00a9 2020 Elsevier Ltd. All rights reserved.",
     ["We improved outcomes.", "\u00a9 2020 Elsevier Ltd. All rights reserved."]),
    ("Both arms improved. \u00a9 The Author 2008.", ["Both arms improved.", "\u00a9 The Author 2008."]),
    ("It was safe.\n\u00a9 2019 Taylor & Francis Group, LLC.", ["It was safe.", "\u00a9 2019 Taylor & Francis Group, LLC."]),
])
def test_copyright_line_after_a_sentence_is_its_own_sentence(text, expected):
    assert split_sentences(text) == expected
    assert is_informative(expected[0]) or len(expected[0]) < 25  # the content sentence is kept


def test_last_scopus_sentence_reaches_the_summary():
    abstract = ("Some theoretical and biological examples, such as the B cell antigen receptor signalling "
                "network illustrate the concepts. \u00a9 2004 Elsevier Ltd. All rights reserved.")
    df = pd.DataFrame({"id": ["p1"], "title": ["T"], "abstract": [abstract]})

    def encode(texts):
        return np.ones((len(texts), 3)) / np.sqrt(3)

    summary = compute_paper_summaries(df, encode=encode)["p1"]
    assert summary.startswith("Some theoretical and biological examples")
    assert "\u00a9" not in summary and summary in abstract


# ------------------------------------------------------------------ acronyms are not abbreviations

@pytest.mark.parametrize("source, rid, boundary", [
    ("Triptans.csv", "9754503", ("were observed in the ED.", "Of 108 patients successfully contacted")),
    ("ADHD.csv", "10596735", ("with bupropion SR.", "Small decreases")),
    ("ADHD.csv", "11147929", ("were associated with CA.", "Both were equally")),
    ("metadata_sample.jsonl", "2877521", ("is not needed after DR.", "We demonstrate")),
])
def test_upper_case_acronym_before_a_period_ends_the_sentence(source, rid, boundary):
    # "ed.", "sr.", "ca.", "dr." are abbreviations; "ED", "SR", "CA", "DR" are acronyms
    abstract = _abstract(source, rid)
    sents = split_sentences(abstract)
    end, start = boundary
    assert any(s.endswith(end) for s in sents), [s for s in sents if end in s]
    assert any(s.startswith(start) for s in sents)
    _assert_verbatim(abstract)


@pytest.mark.parametrize("text, expected", [
    # abbreviations still hold in lower and title case, whatever the case of their entry
    ("See fig. 2 and Fig. 3. Edited by Smith (Ed.) in the book.",
     ["See fig. 2 and Fig. 3.", "Edited by Smith (Ed.) in the book."]),
    ("Dr. Smith saw St. Louis patients. Next.", ["Dr. Smith saw St. Louis patients.", "Next."]),
    ("Levels of NO. The addition of X helped.", ["Levels of NO.", "The addition of X helped."]),
    # an all-capitals abstract keeps its abbreviations
    ("RESULTS ARE SHOWN IN FIG. 2 AND ARE GOOD.", ["RESULTS ARE SHOWN IN FIG. 2 AND ARE GOOD."]),
])
def test_abbreviation_case_rules(text, expected):
    assert split_sentences(text) == expected


# ------------------------------------------------------------------ sentences ending in ".)"

@pytest.mark.parametrize("source, rid, boundary", [
    ("Kitchenham_2010.csv", "449", ("large software systems.)", "We employ the notion")),
    ("Kitchenham_2010.csv", "873", ("computer science females.)", "We believe")),
    ("Triptans.csv", "10972634", ("for the percentage calculation.)", "In a subset")),
])
def test_sentence_ending_in_period_bracket_ends_there(source, rid, boundary):
    abstract = _abstract(source, rid)
    sents = split_sentences(abstract)
    end, start = boundary
    assert any(s.endswith(end) for s in sents), [s for s in sents if end in s]
    assert any(s.startswith(start) for s in sents)
    _assert_verbatim(abstract)


def test_short_bracketed_abbreviation_is_not_a_sentence():
    abstract = _abstract("metadata_sample.jsonl", "84887726")  # "Glyceria maxima , (Hartm.) Holmb., is ..."
    sents = split_sentences(abstract)
    assert not any(s.endswith("(Hartm.)") for s in sents)
    assert split_sentences("Data were lost (n = 3; see Table 2.) after the visit. Next.") == [
        "Data were lost (n = 3; see Table 2.) after the visit.", "Next."]


# ------------------------------------------------------------------ ":::" joints

@pytest.mark.parametrize("rid, boundary", [
    ("94552018", ("have good matches across both interfaces.", "That \u03b4-AuSn forms")),
    ("159350887", ("human rights or other values.", "Nevertheless, that has not")),
    ("159350887", ("sources of information and media.", "It is unclear")),
    ("2871896", ("the cloning-resistance of SRAM PUFs.", "Moreover, as a further contribution")),
])
def test_triple_colon_joint_separates_sentences(rid, boundary):
    abstract = _abstract("metadata_sample.jsonl", rid)
    sents = split_sentences(abstract)
    assert not any(":::" in s for s in sents)
    end, start = boundary
    assert any(s.endswith(end) for s in sents)
    assert any(s.startswith(start) for s in sents)
    _assert_verbatim(abstract)


def test_triple_colon_joint_without_a_period():
    # a section heading alone between joints is a label, not a sentence
    assert split_sentences("The sections are ::: Introduction ::: Health Threats ::: We found X.") == [
        "The sections are", "Health Threats", "We found X."]
