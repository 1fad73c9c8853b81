"""Relevance to the research question, topic relevance and the cited extractive answer.

Fixtures: tests/fixtures/screening/kitchenham_2010_slice.csv and cohen2006_adhd_slice.csv (see
PROVENANCE.txt there): 150 real records each of the Kitchenham 2010 tertiary study and of the
Cohen 2006 ADHD drug class review, 20 of them included in each.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from litscope.embed import paper_texts
from litscope.embedders import make_embedder
from litscope.errors import ParameterError
from litscope.screening import compute_answer, compute_relevance, compute_topic_relevance
from litscope.screening.bm25 import compute_bm25, compute_weighted_bm25, terms
from litscope.screening.feedback import compute_pseudo_labelled_scores, expand_query
from litscope.screening.labels import read_label_column
from litscope.screening.relevance import compute_lexical_scores, fuse_percentiles
from litscope.sources import read

FIXTURES = Path(__file__).parent / "fixtures"

QUESTION = "Which systematic literature reviews have been published in software engineering?"
ADHD_QUESTION = ("What is the comparative effectiveness and safety of drugs for attention deficit "
                 "hyperactivity disorder (ADHD)?")  # as in bench/screening_bench.py


@pytest.fixture(scope="module")
def kitchenham(request):

    path = FIXTURES / "screening" / "kitchenham_2010_slice.csv"
    papers = read(path).frame
    labels = read_label_column(path, "label_included", papers).astype(int).to_numpy()
    embedder = make_embedder("static", progress=False)
    embeddings = np.asarray(embedder.encode(paper_texts(papers)))
    return papers, labels, embedder, embeddings


@pytest.fixture(scope="module")
def relevance(kitchenham):
    papers, _, embedder, embeddings = kitchenham
    return compute_relevance(papers, QUESTION, embeddings, embedder, top_n=20)


def test_bm25_ranks_the_document_with_the_rare_question_term_first():
    texts = ["A survey of agile methods.", "Agile methods and mapping studies in testing.", "Cooking."]
    scores = compute_bm25(texts, "mapping studies of agile")
    assert scores.argmax() == 1 and scores[2] == 0.0 and scores[0] > 0
    assert terms("Mapping Studies") == ["mapping", "study"]


def test_fusion_is_bounded_and_follows_both_signals():
    fused = fuse_percentiles([0, 1, 2, 3], [3, 2, 1, 0], weight=0.5)
    assert np.allclose(fused, 0.5)  # opposite rankings cancel out
    assert fuse_percentiles([0, 1, 2], [0, 1, 2]).tolist() == [0.0, 0.5, 1.0]
    with pytest.raises(ParameterError):
        fuse_percentiles([1], [1], weight=1.5)


def test_relevance_columns_ranks_and_scale(kitchenham, relevance):
    papers = kitchenham[0]
    assert list(relevance.columns) == ["id", "relevance", "rank", "bm25", "cosine", "matched_terms",
                                       "closest_sentence"]
    assert relevance.index.equals(papers.index)
    assert relevance["relevance"].between(0, 1).all()
    assert sorted(relevance["rank"]) == list(range(1, len(papers) + 1))
    # rank follows relevance
    by_rank = relevance.sort_values("rank")["relevance"].to_numpy()
    assert (np.diff(by_rank) <= 1e-12).all()


def test_question_ranking_finds_the_included_records(kitchenham, relevance):
    labels = kitchenham[1]
    auc = roc_auc_score(labels, relevance["relevance"])
    assert auc >= 0.8, auc  # the question alone separates the tertiary study's inclusions


def test_matched_terms_are_question_terms_present_in_the_paper(kitchenham, relevance):
    papers = kitchenham[0]
    q_terms = set(terms(QUESTION))
    for (_, paper), matched in zip(papers.iterrows(), relevance["matched_terms"]):
        present = set(terms(f"{paper['title']} {paper['abstract']} {' '.join(paper['keywords'])}"))
        assert set(matched) <= q_terms & present
        assert set(matched) == q_terms & present


def test_closest_sentence_is_verbatim_from_the_abstract(kitchenham, relevance):
    papers = kitchenham[0]
    top = relevance[relevance["rank"] <= 20]
    assert (top["closest_sentence"] != "").sum() >= 15
    for i, sentence in top["closest_sentence"].items():
        if sentence:
            assert sentence in papers.loc[i, "abstract"]
    assert (relevance.loc[relevance["rank"] > 20, "closest_sentence"] == "").all()


def test_empty_question_is_refused(kitchenham):
    papers, _, embedder, embeddings = kitchenham
    with pytest.raises(ParameterError, match="question is empty"):
        compute_relevance(papers, "  ", embeddings, embedder)


def test_topic_relevance_orders_topics_by_mean(relevance):
    topics = np.where(relevance["rank"] <= 30, 1, 0)  # topic 1 = the 30 most relevant papers
    out = compute_topic_relevance(relevance, topics)
    assert out["topic"].tolist() == [1, 0]
    assert out["papers"].tolist() == [30, len(relevance) - 30]
    assert out.loc[0, "in_top_decile"] == 15  # ceil(10 % of 150)
    assert out.loc[0, "top_paper"] == relevance.loc[relevance["rank"] == 1, "id"].iloc[0]


def test_answer_sentences_are_verbatim_and_cited(kitchenham, relevance):
    papers, _, embedder, _ = kitchenham
    topics = np.arange(len(papers)) % 3
    answer = compute_answer(papers, QUESTION, relevance, embedder=embedder, topics=topics, n_papers=6,
                            sentences_per_paper=2)
    assert len(answer) == 12
    abstracts = dict(zip(papers["id"], papers["abstract"]))
    topic_of = dict(zip(papers["id"], topics))
    for row in answer.itertuples():
        assert row.id in abstracts  # every sentence has its source
        assert abstracts[row.id][row.start:row.end] == row.sentence
        assert row.sentence in abstracts[row.id]
        assert row.topic == topic_of[row.id]
    # the quoted papers are the most relevant ones with an abstract
    with_abstract = relevance[papers["abstract"].str.len() > 0].sort_values("rank")
    assert set(answer["id"]) == set(with_abstract["id"].head(6))
    # grouped by topic: each topic's rows are contiguous
    runs = (answer["topic"] != answer["topic"].shift()).sum()
    assert runs == answer["topic"].nunique()


def test_answer_without_abstracts_is_empty():
    papers = pd.DataFrame({"id": ["a", "b"], "title": ["Software reviews", "Other"], "abstract": ["", ""],
                           "keywords": [[], []]})
    embedder = make_embedder("static", progress=False)
    assert compute_answer(papers, "software reviews", embedder=embedder).empty


def _read_slice(name):

    path = FIXTURES / "screening" / name
    papers = read(path).frame
    return papers, read_label_column(path, "label_included", papers).astype(int).to_numpy()


@pytest.mark.parametrize("name, question", [("kitchenham_2010_slice.csv", QUESTION),
                                            ("cohen2006_adhd_slice.csv", ADHD_QUESTION)])
def test_pseudo_relevance_feedback_ranks_the_included_records_higher(name, question):
    papers, labels = _read_slice(name)
    embedder = make_embedder("static", progress=False)
    embeddings = np.asarray(embedder.encode(paper_texts(papers)))
    with_fb = compute_relevance(papers, question, embeddings, embedder, top_n=0)
    without = compute_relevance(papers, question, embeddings, embedder, top_n=0, feedback=False)
    auc_with, auc_without = (roc_auc_score(labels, r["relevance"]) for r in (with_fb, without))
    assert auc_with > auc_without, (auc_with, auc_without)
    # the feedback changes the ranking, not the reported BM25 of the question
    assert np.allclose(with_fb["bm25"], without["bm25"])
    assert not (with_fb["rank"] == without["rank"]).all()


def test_relevance_with_feedback_is_reproducible(kitchenham, relevance):
    papers, _, embedder, embeddings = kitchenham
    again = compute_relevance(papers, QUESTION, embeddings, embedder, top_n=20)
    pd.testing.assert_frame_equal(again, relevance)


def test_expanded_query_mixes_the_question_with_terms_of_its_best_records():
    docs = [terms(t) for t in ["agile teams use retrospectives", "agile teams and velocity",
                               "pasta sauce with basil", "agile"]]
    weights = expand_query(docs, ["agile"], [2.0, 1.0, 0.0, 0.0], docs_used=2, n_terms=10, original_weight=0.3)
    assert sum(weights.values()) == pytest.approx(1.0)
    assert weights["agile"] >= 0.3  # the question keeps at least its own weight
    assert {"team", "retrospective", "velocity"} <= set(weights)  # learned from the two best records
    assert not {"pasta", "sauce", "basil"} & set(weights)  # a record that scored 0 feeds nothing back
    assert weights["retrospective"] > weights["velocity"]  # the better record weighs more
    # the question alone when nothing feeds back
    assert expand_query(docs, ["agile"], [0, 0, 0, 0], docs_used=2) == {"agile": 1.0}
    with pytest.raises(ParameterError):
        expand_query(docs, ["agile"], [1, 0, 0, 0], docs_used=1, original_weight=1.5)
    scores = compute_weighted_bm25(docs, weights)
    assert scores[2] == 0.0 and scores[0] > scores[3] > 0


def test_pseudo_labelled_classifier_lifts_records_like_the_best_ones():
    texts = ([f"randomized trial of drug {i} versus placebo" for i in range(8)]
             + [f"case report of drug {i} overdose" for i in range(8)])
    seed = np.r_[np.linspace(3, 1, 4), np.zeros(12)]  # only 4 trials matched the question
    scores = compute_pseudo_labelled_scores(texts, seed, positives=4)
    assert scores.shape == (16,)
    assert scores[4:8].min() > scores[8:].max()  # unmatched trials now outrank the case reports
    # nothing to learn from: too few positives
    assert compute_pseudo_labelled_scores(texts, np.r_[1.0, np.zeros(15)], positives=4) is None
    with pytest.raises(ParameterError):
        compute_pseudo_labelled_scores(texts[:3], seed, positives=4)


def test_a_small_corpus_is_ranked_without_feedback():
    texts = ["software reviews", "software testing", "pasta", "reviews of pasta", "cooking"]
    bm25, lexical = compute_lexical_scores(texts, "software reviews")
    assert np.array_equal(bm25, lexical)  # 5 records: too few to feed back
    assert bm25.argmax() == 0
