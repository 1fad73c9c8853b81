"""Sentence splitting and informativeness (litscope.text)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from litscope.text import is_informative, sentence_spans, split_sentences, word_count, words


@pytest.mark.parametrize("text, expected", [
    # abbreviations never end a sentence
    ("We compare A vs. B in detail. The results (see Fig. 3) are good.",
     ["We compare A vs. B in detail.", "The results (see Fig. 3) are good."]),
    ("Smith et al. Found it first. Next, we test e.g. Transformers, i.e. Large ones.",
     ["Smith et al. Found it first.", "Next, we test e.g. Transformers, i.e. Large ones."]),
    ("As in Eq. (3) and approx. 5 cases, cf. Ref. 12. It holds.",
     ["As in Eq. (3) and approx. 5 cases, cf. Ref. 12.", "It holds."]),
    ("Approved by the U.S. Food and Drug Administration. J. R. Smith agreed.",
     ["Approved by the U.S. Food and Drug Administration.", "J. R. Smith agreed."]),
    ("From Jan. 1, 1993, to Dec. 31 it ran. See No. 5 for details.",
     ["From Jan. 1, 1993, to Dec. 31 it ran.", "See No. 5 for details."]),
    # decimals and version numbers
    ("Accuracy was 0.67 with Llama-3.1-8B and v1.2.3. It improved by 3.5%. 35 patients joined.",
     ["Accuracy was 0.67 with Llama-3.1-8B and v1.2.3.", "It improved by 3.5%.", "35 patients joined."]),
    # citations and bracketed asides
    ("This was shown before [12]. Here we extend it [13, 14]. Prior work (Lee et al. 2019. Nature) used CNNs.",
     ["This was shown before [12].", "Here we extend it [13, 14].",
      "Prior work (Lee et al. 2019. Nature) used CNNs."]),
    ("The drug was given (n = 5; p < 0.05. Not significant.) to patients. Next one.",
     ["The drug was given (n = 5; p < 0.05. Not significant.) to patients.", "Next one."]),
    # question and exclamation marks, lower-case gene-style openings
    ("Is this a question? Yes! mRNA levels rose. the end stays.",
     ["Is this a question?", "Yes!", "mRNA levels rose. the end stays."]),
    # glued sentences from sloppy exports
    ("We study results.Conclusions are drawn.", ["We study results.", "Conclusions are drawn."]),
    # inline enumerations
    ("1. In order to test it we did. 2. In a trial with 5 mg. 3. The end.",
     ["In order to test it we did.", "In a trial with 5 mg.", "The end."]),
])
def test_split_sentences_edge_cases(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("BACKGROUND: Asthma is common. METHODS: We did a trial. RESULTS: It worked. CONCLUSIONS: Good.",
     ["Asthma is common.", "We did a trial.", "It worked.", "Good."]),
    ("Objective: To test X. Materials and methods: We did a trial.", ["To test X.", "We did a trial."]),
    # PubMed-style '.; ' joints between sections, and labels without a period before them
    ("To compare X.; This randomized study ran.; 600 office sites.",
     ["To compare X.", "This randomized study ran.", "600 office sites."]),
    ("Patients were included RESULTS: Ten improved.", ["Patients were included", "Ten improved."]),
    # labels on their own line, with or without colon, and labels standing alone
    ("Background\nAsthma is common.\n\nMethods:\nWe did a trial.\nRESULTS.\nIt worked.",
     ["Asthma is common.", "We did a trial.", "It worked."]),
    ("Methods:", []),
    # a colon that is not a section label stays
    ("We propose GATEAU: a framework for data. It works.", ["We propose GATEAU: a framework for data.",
                                                            "It works."]),
])
def test_section_labels_are_stripped_and_never_sentences(text, expected):
    assert split_sentences(text) == expected


def test_bullets_become_sentences_without_markers():
    text = "We have three steps:\n- collect data\n- train the model\n\u2022 evaluate it."
    assert split_sentences(text) == ["We have three steps:", "collect data", "train the model", "evaluate it."]


def test_keyword_lines_keep_their_label_so_they_can_be_recognised():
    sents = split_sentences("We did X. Keywords: asthma; children; inhalers")
    assert sents == ["We did X.", "Keywords: asthma; children; inhalers"]
    assert not is_informative(sents[1])


@pytest.mark.parametrize("text", ["", "   ", None, float("nan"), 3])
def test_empty_or_non_text_input(text):
    assert split_sentences(text) == []
    assert sentence_spans(text) == []


def test_spans_map_back_to_the_text():
    text = ("  BACKGROUND: Deep nets (e.g. CNNs) work.\nMETHODS: We used v2.1 of X [3].; "
            "Results: It rose to 0.67 vs. 0.52.\n\n\u2022 A bullet point here. ")
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    assert split_sentences(text) == ["Deep nets (e.g. CNNs) work.", "We used v2.1 of X [3].",
                                     "It rose to 0.67 vs. 0.52.", "A bullet point here."]
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))  # ordered, disjoint


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab AZ.,;:!?()[]\n-\u2022019eEgiTtal")), max_size=200))
def test_spans_are_always_clean_ordered_substrings(text):
    spans = sentence_spans(text)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    for a, b in spans:
        sentence = text[a:b]
        assert sentence == sentence.strip()
        assert any(c.isalnum() for c in sentence)


def test_real_abstract_splits_into_its_sentences():
    abstract = ("Chat models (i.e. language models trained to follow instructions through conversation "
                "with humans) outperform base models (i.e. trained solely on unlabeled data) in both "
                "conversation and general task-solving abilities. We first show that off-the-shelf VE "
                "generally performs well in 71% of cases. In study search, it achieves high recall rates "
                "(Ours 0.711-0.834 v.s. Human baseline 0.138-0.232). Our data and code are available at "
                "https://github.com/OpenBMB/WorkflowLLM.")
    sents = split_sentences(abstract)
    assert len(sents) == 4
    assert sents[2].endswith("0.138-0.232).")
    assert [is_informative(s) for s in sents] == [True, True, True, False]


@pytest.mark.parametrize("sentence", [
    "\u00a9 2020 Elsevier Inc. All rights reserved.",
    "This article is protected by copyright. All rights reserved.",
    "Copyright (c) 2019 John Wiley & Sons, Ltd.",
    "This is an open access article distributed under the terms of the Creative Commons licence.",
    "Trial registration: ClinicalTrials.gov NCT01234567.",
    "Code is available at https://github.com/x/y.",
    "12.5 (3.2) vs 11.0 (2.9), p = 0.01.",
    "Randomized trial.",
    "",
    None,
])
def test_uninformative_sentences(sentence):
    assert not is_informative(sentence)


def test_informative_sentence_and_length_bounds():
    assert is_informative("We propose a method that halves the error on three benchmarks.")
    assert not is_informative("word " * 150 + "end.")
    assert is_informative("Rofecoxib reduced GI events by 54% versus naproxen (p < 0.001).")


def test_words_and_word_count():
    assert words("Large Language Models (LLMs) and GPT-4 in 2024.") == [
        "large", "language", "models", "llms", "and", "gpt-4", "in"]
    assert word_count("Two words.") == 2
    assert words(None) == [] and word_count(None) == 0
