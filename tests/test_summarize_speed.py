"""The faster sentence checks of the summaries give the answers of the plain ones (issue 7).

``summarize.scoring._sentence_facts`` replaces ``is_informative`` + ``word_count`` (it runs the
slow boilerplate pattern only when a cue of it is in the text), and ``compute_syntheses`` reads
each sentence's facts once instead of three times. Each test holds the fast path to a plain
reference on real abstracts and on sentences made to hit every branch of the boilerplate pattern.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from litscope import load
from litscope.summarize import compute_paper_summaries, compute_syntheses, scoring, syntheses
from litscope.informativeness import _BOILERPLATE
from litscope.text import is_informative, sentence_spans
from litscope.wordlists import COUNTED_WORD, word_count

#: One sentence per branch of litscope.informativeness._BOILERPLATE (each is boilerplate), in varied case,
#: and near misses that hold a cue word but are not boilerplate.
BOILERPLATE = [
    "\u00a9 2021 The Authors, all of whom agree to these terms today.",
    "Text and figures (C) 2019 by the publishing society of America.",
    "This work is under COPYRIGHT of the original authors and editors.",
    "All Rights Reserved by the authors of the present manuscript here.",
    "Published by Elsevier Ltd on behalf of the European society.",
    "Licensee MDPI, Basel, Switzerland holds this article for readers.",
    "This is an article under the Creative Commons attribution licence.",
    "This is an Open Access article under the terms of the licence.",
    "The article is distributed under the terms of the licence given.",
    "This article is protected by copyright and all of its contents.",
    "This is the Accepted Manuscript version of the article by them.",
    "Keywords: sepsis, mortality, intensive care, randomised trials.",
    "Key words: malaria, vaccines, infants, efficacy and many more.",
    "Trial registration number is given with the protocol of the study.",
    "Funding for this study came from the national research council.",
    "Contact the corresponding author for the questionnaire used here.",
    "Supplementary information is available for this paper online now.",
    "The trial was registered at ClinicalTrials.gov before enrolment began.",
    "The trial was registered under identifier NCT01234567 before enrolment.",
    "The review was registered with PROSPERO before the searches were run.",
    "The code and data are publicly available from the authors on request.",
    "Our implementation will be released to all readers under a licence.",
    "https://github.com/example/repository-with-a-long-name-here",
    "www.example.org/a/long/path/to/the/supplementary/material/page",
]
NEAR_MISSES = [
    "The function of distinct junctions was measured in all participants.",
    "Thirty of the patients in the study group wore contact lenses daily.",
    "Results (a), (b) and (c) agreed with the earlier cohort in every respect.",
    "Few treatments are available for children with this rare condition today.",
    "Hormones released by the gland were measured each morning for a week.",
    "The \u017fupplementary data of \u0130stanbul patients were compared over time.",
    "Ca\u00f1ada and M\u00fcller measured the effect of caf\u00e9 visits on sleep quality.",
    "Short one.",
    "12.5 (3.2) vs 11.0 (2.9) and 13.1 (4.0) vs 12.2 (3.3) in the groups.",
]


def _real_sentences(fixtures, sample_path) -> list[str]:
    abstracts = [json.loads(line)["abstract"] for line in
                 (fixtures / "abstracts" / "sentence_cases.jsonl").read_text(encoding="utf-8").splitlines()]
    abstracts += load(sample_path).records["abstract"].tolist()
    out = []
    for text in abstracts:
        text = text if isinstance(text, str) else ""
        out.extend(text[a:b] for a, b in sentence_spans(text))
    return out


def _plain_is_informative(sentence, *, min_words: int = 4, max_words: int = 120) -> bool:
    """``litscope.text.is_informative`` as first written: the boilerplate pattern on every sentence."""
    if not isinstance(sentence, str):
        return False
    text = sentence.strip()
    if len(COUNTED_WORD.findall(text)) < min_words or len(text.split()) > max_words or len(text) < 20:
        return False
    visible = [c for c in text if not c.isspace()]
    if sum(c.isalpha() for c in visible) < 0.5 * len(visible):
        return False
    return _BOILERPLATE.search(text) is None


def test_is_informative_with_its_cue_precheck_equals_the_plain_check(fixtures, sample_path):
    sentences = _real_sentences(fixtures, sample_path) + BOILERPLATE + NEAR_MISSES + ["", "   ", None]
    for sentence in sentences:
        assert is_informative(sentence) == _plain_is_informative(sentence), sentence
        assert is_informative(sentence, min_words=8) == _plain_is_informative(sentence, min_words=8), sentence
    assert not any(map(is_informative, BOILERPLATE))  # the pre-check lets every branch through
    assert all(map(is_informative, NEAR_MISSES[:7]))


def test_sentence_facts_equal_is_informative_and_word_count(fixtures, sample_path):
    sentences = _real_sentences(fixtures, sample_path) + BOILERPLATE + NEAR_MISSES + ["", "   ", None]
    assert len(sentences) > 500
    for sentence in sentences:
        assert scoring._sentence_facts(sentence) == (is_informative(sentence), word_count(sentence)), sentence
    # the made sentences do reach the branches: each boilerplate one is caught, each near miss kept
    assert [scoring._sentence_facts(s)[0] for s in BOILERPLATE] == [False] * len(BOILERPLATE)
    assert [scoring._sentence_facts(s)[0] for s in NEAR_MISSES[:7]] == [True] * 7


@pytest.mark.parametrize("connective", [scoring._CONNECTIVE_PENALTY, scoring._SYNTHESIS_CONNECTIVE_PENALTY])
def test_shape_penalty_equals_reference(fixtures, sample_path, connective):
    sentences = _real_sentences(fixtures, sample_path) + BOILERPLATE + NEAR_MISSES
    fast = [scoring._shape_penalty(s, connective=connective) for s in sentences]
    slow = [scoring._reference_shape_penalty(s, connective=connective) for s in sentences]
    assert fast == slow
    assert len(set(slow)) > 5  # the sentences reach many penalties, not one


def _hash_encode(texts):
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(n_features=2 ** 12, alternate_sign=False, norm="l2")
    return vectorizer.transform(list(texts)).toarray().astype(np.float32)


def test_syntheses_and_summaries_equal_the_plain_sentence_checks(sample_path, monkeypatch):
    papers = load(sample_path).records.drop_duplicates("id").reset_index(drop=True)
    papers = papers.assign(abstract=papers["abstract"].where(papers.index % 7 != 0,
                                                             papers["abstract"] + " Copyright 2020 the authors."))
    topics = pd.DataFrame({"id": papers["id"], "topic": np.arange(len(papers)) % 4})
    refs = {pid: i + 1 for i, pid in enumerate(papers["id"])}
    fast_syn = compute_syntheses(papers, topics, refs=refs, encode=_hash_encode)
    fast_sum = compute_paper_summaries(papers, encode=_hash_encode)
    # the reference: is_informative and word_count themselves, with the penalty as first written
    monkeypatch.setattr(syntheses, "_sentence_facts", lambda s: (is_informative(s), word_count(s)))
    monkeypatch.setattr(scoring, "_sentence_facts", lambda s: (is_informative(s), word_count(s)))
    slow_syn = compute_syntheses(papers, topics, refs=refs, encode=_hash_encode)
    slow_sum = compute_paper_summaries(papers, encode=_hash_encode)
    assert fast_syn.equals(slow_syn)
    assert fast_sum.equals(slow_sum)
    assert (fast_syn["synthesis"] != "").all() and fast_syn["cited_ids"].map(len).min() >= 2
