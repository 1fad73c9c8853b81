"""Active learning, the stopping estimate, simulation metrics, label hiding, and `litscope simulate`.

Fixture: tests/fixtures/screening/cohen2006_adhd_slice.csv (see PROVENANCE.txt there):
150 real records of the Cohen 2006 ADHD drug class review, 20 of them included.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from litscope.cli import main
from litscope.embed import paper_texts
from litscope.embedders import make_embedder
from litscope.errors import ParameterError
from litscope.screening import compute_metrics, compute_priority, compute_relevance, compute_simulation
from litscope.screening.active import estimate_remaining
from litscope.screening.labels import read_label_column
from litscope.sources import read

FIXTURES = Path(__file__).parent / "fixtures"

QUESTION = "What is the comparative effectiveness and safety of drugs for attention deficit hyperactivity disorder?"


@pytest.fixture(scope="module")
def adhd():

    path = FIXTURES / "screening" / "cohen2006_adhd_slice.csv"
    papers = read(path).frame
    labels = read_label_column(path, "label_included", papers).astype(int).to_numpy()
    embedder = make_embedder("static", progress=False)
    return path, papers, labels, embedder, np.asarray(embedder.encode(paper_texts(papers)))


def test_metrics_by_hand():
    m = compute_metrics([0, 1, 0, 0, 1] + [0] * 15)
    # 2 included: 95 % recall needs both, found after 5 of 20 -> WSS = 15/20 - 0.05
    assert m == {"wss@95": 0.7, "recall@10%": 0.5, "screened_for_all": 0.25, "records": 20, "included": 2}
    with pytest.raises(ParameterError, match="no included record"):
        compute_metrics([0, 0])


def test_the_ranker_never_sees_labels_of_unscreened_records(adhd):
    _, papers, labels, embedder, emb = adhd
    steps = 40
    base = compute_simulation(papers, labels, QUESTION, embeddings=emb, embedder=embedder, max_steps=steps)
    screened = set(base.order[:steps - 1].tolist())
    rng = np.random.default_rng(7)
    for _ in range(3):
        other = labels.copy()
        hidden = np.array([i for i in range(len(labels)) if i not in screened])
        other[hidden] = rng.permutation(other[hidden])  # shuffle what the reviewer has not seen
        other[hidden[rng.integers(len(hidden))]] ^= 1   # and flip one of them
        again = compute_simulation(papers, other, QUESTION, embeddings=emb, embedder=embedder, max_steps=steps)
        # picks 1..steps depend only on the labels of the first steps-1 screened records
        assert again.order.tolist() == base.order.tolist()


def test_simulation_is_deterministic_and_beats_random_order(adhd):
    _, papers, labels, embedder, emb = adhd
    a = compute_simulation(papers, labels, QUESTION, embeddings=emb, embedder=embedder, seed=3)
    b = compute_simulation(papers, labels, QUESTION, embeddings=emb, embedder=embedder, seed=3)
    assert a.order.tolist() == b.order.tolist() and a.metrics == b.metrics
    assert sorted(a.order.tolist()) == list(range(len(papers)))  # every record screened once
    assert a.metrics["included"] == 20 and a.metrics["records"] == 150
    rng = np.random.default_rng(0)
    random_wss = np.mean([compute_metrics(labels[rng.permutation(len(labels))])["wss@95"] for _ in range(50)])
    assert a.metrics["wss@95"] > random_wss + 0.3
    assert a.metrics["roc_auc"] >= 0.8
    assert a.fits > 0


def test_without_a_question_the_start_is_random_but_seeded(adhd):
    _, papers, labels, embedder, emb = adhd
    runs = [compute_simulation(papers, labels, embeddings=emb, embedder=embedder, seed=s, max_steps=5).order.tolist()
            for s in (1, 1, 2)]
    assert runs[0] == runs[1] != runs[2]
    with pytest.raises(ParameterError, match="needs a question"):
        compute_simulation(papers, labels, embeddings=emb, embedder=embedder, active=False)


def test_question_only_order_is_the_relevance_order(adhd):
    _, papers, labels, embedder, emb = adhd
    sim = compute_simulation(papers, labels, QUESTION, embeddings=emb, embedder=embedder, active=False)
    rel = compute_relevance(papers, QUESTION, emb, embedder, top_n=0)
    assert sim.order.tolist() == np.argsort(rel["rank"].to_numpy()).tolist()
    assert sim.fits == 0


def test_priority_before_any_decision_is_the_relevance_order(adhd):
    _, papers, _, embedder, emb = adhd
    prio = compute_priority(papers, [""] * len(papers), question=QUESTION, embeddings=emb, embedder=embedder)
    rel = compute_relevance(papers, QUESTION, emb, embedder, top_n=0)
    assert prio.queue["id"].tolist() == rel.sort_values("rank")["id"].tolist()
    assert prio.remaining is None and "relevance to the question" in prio.method


def test_priority_learns_from_decisions_and_estimates_what_remains(adhd):
    _, papers, labels, embedder, emb = adhd
    decisions = np.array([""] * len(papers), dtype=object)
    rng = np.random.default_rng(0)
    inc = rng.choice(np.flatnonzero(labels == 1), 8, replace=False)
    exc = rng.choice(np.flatnonzero(labels == 0), 40, replace=False)
    decisions[inc], decisions[exc] = "include", "exclude"
    prio = compute_priority(papers, list(decisions), question=QUESTION, embeddings=emb, embedder=embedder)
    queued = prio.queue["id"].tolist()
    assert len(queued) == len(papers) - 48 and not set(queued) & set(papers["id"].iloc[np.r_[inc, exc]])
    assert prio.queue["priority"].tolist() == list(range(1, len(queued) + 1))
    # the 12 included records not decided yet come early in the queue
    left = papers["id"].iloc[np.setdiff1d(np.flatnonzero(labels == 1), inc)]
    positions = prio.queue.set_index("id").loc[left, "priority"]
    assert positions.median() < len(queued) / 4
    assert prio.remaining is not None and 3 < prio.remaining < 60  # 12 are truly left
    assert "logistic regression" in prio.method


def test_stopping_estimate_corrects_for_balanced_training():
    assert estimate_remaining([0.5] * 4, included=1, excluded=1) == pytest.approx(2.0)
    # balanced weights on 1 included : 9 excluded -> a 0.5 probability means 1 in 10
    assert estimate_remaining([0.5] * 10, included=1, excluded=9) == pytest.approx(1.0)
    assert estimate_remaining([], included=1, excluded=1) == 0.0


def test_cli_simulate_prints_the_metrics(adhd, capsys):
    path = adhd[0]
    assert main(["simulate", str(path), "--labels", "label_included", "--question", QUESTION]) == 0
    out = capsys.readouterr().out
    assert "150 records, 20 included (label_included)" in out
    for label in ("WSS@95", "recall after screening 10%", "screened to find all included",
                  "ROC AUC of the question alone"):
        assert label in out


def test_cli_simulate_unknown_column_is_one_error_line(adhd, capsys):
    assert main(["simulate", str(adhd[0]), "--labels", "verdict"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "no column 'verdict'" in err and "\n" not in err


def test_labels_must_be_zero_or_one(adhd):
    _, papers, labels, embedder, emb = adhd
    bad = labels.astype(object)
    bad[3] = "maybe"
    with pytest.raises(ParameterError, match="labels must be 0 or 1"):
        compute_simulation(papers, bad, QUESTION, embeddings=emb, embedder=embedder)


def test_simulation_records_stopping_estimates_at_each_fit(adhd):
    _, papers, labels, embedder, emb = adhd
    sim = compute_simulation(papers, labels, QUESTION, embeddings=emb, embedder=embedder)
    assert len(sim.estimates) == sim.fits > 0
    screened = [k for k, _, _, _ in sim.estimates]
    assert screened == sorted(screened)
    for k, found, by_model, by_recent in sim.estimates:
        assert found == labels[sim.order[:k]].sum()  # what the reviewer had found at that fit
        assert 0 <= by_model <= len(papers) - k and 0 <= by_recent <= len(papers) - k
        window = labels[sim.order[:k]][-max(20, int(np.ceil(0.05 * k))):]
        assert by_recent == pytest.approx(window.mean() * (len(papers) - k), abs=0.01)
    truly_left, by_model, by_recent = sim.estimate_when(0.95)
    assert truly_left <= 1 and by_model >= 0 and by_recent >= 0


def test_features_halves_and_embedding_weight(adhd):
    from litscope.screening.active import compute_features

    _, papers, _, _, emb = adhd
    words_only = compute_features(papers, emb, embedding_weight=0)
    both = compute_features(papers, emb, embedding_weight=0.5)
    assert both.matrix.shape[1] == words_only.matrix.shape[1] + emb.shape[1]
    dense = both.matrix[:, words_only.matrix.shape[1]:].toarray()
    assert np.allclose(np.linalg.norm(dense, axis=1), 0.5, atol=1e-6)
    with_q = compute_features(papers, emb, QUESTION, emb[0])
    assert with_q.matrix.shape[0] == len(papers) + 1 and with_q.question_row == len(papers)


def test_prior_trust_follows_the_decisions():
    import scipy.sparse as sp

    from litscope.screening.active import ActiveLearner, Features

    features = Features(sp.csr_matrix(np.eye(6)), 6, False)
    prior = [6.0, 5.0, 4.0, 3.0, 2.0, 1.0]
    learner = ActiveLearner(features, prior)
    assert learner.prior_trust([0, 1], [1, 1]) == 1.0  # nothing contradicts the prior yet
    assert learner.prior_trust([0, 1, 4, 5], [1, 1, 0, 0]) == 1.0  # it ranked the inclusions first
    assert learner.prior_trust([0, 1, 4, 5], [0, 0, 1, 1]) == 0.0  # it ranked them last
    assert learner.prior_trust([0, 1, 4, 5], [1, 0, 0, 1]) == 0.0  # chance (AUC 0.5)
    assert learner.prior_trust([0, 1, 4, 5], [1, 0, 1, 0]) == 0.5  # AUC 0.75
    assert ActiveLearner(features, None).prior_trust([0, 5], [1, 0]) == 0.0
