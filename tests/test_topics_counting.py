"""Topic-term counts counted paper by paper equal BERTopic's counts of each topic's joined text."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import litscope
from litscope import paths
from litscope.embed import paper_texts
from litscope.topics.counting import fit_topic_terms, is_countable, joined_phrases
from litscope.topics.fit import PhraseAnalyzer, _update_topics_counted, default_vectorizer

pytest.importorskip("bertopic")

# Texts whose joined form has n-grams across papers: a paper ending in a content word
# followed by one starting with one, a one-word paper inside a run, empty papers,
# punctuation BERTopic's cleaning removes, tabs/newlines, non-ASCII letters.
EDGE_TEXTS = [
    "Sparse attention for long documents", "transformers scale poorly", "", "retrieval",
    "augmented generation. Of the models", "Über-models\tcost 3.5%\nof compute", "emptydoc emptydoc",
    "!!!", "models models models", "cross-lingual transfer (CLT) with adapters",
]


def _texts() -> list[str]:
    loaded = litscope.load(str(paths.sample_corpus()))
    return paper_texts(getattr(loaded, "papers", loaded)) + EDGE_TEXTS


def _labels(n: int) -> np.ndarray:
    rng = np.random.default_rng(0)
    labels = rng.integers(-1, 6, size=n)
    # the edge texts one after the other in topic 2, "!!!" (empty once cleaned) and the
    # last one alone in topics of one paper
    labels[-len(EDGE_TEXTS):] = [2, 2, 2, 2, 2, 2, 2, 8, 2, 9]
    return labels


def _joined_fit(vectorizer, texts, labels):
    """What BERTopic's update_topics does: join each topic's papers with ' ', clean, fit_transform."""
    import pandas as pd
    from bertopic import BERTopic

    model = BERTopic()
    documents = pd.DataFrame({"Document": texts, "Topic": labels.tolist()})
    per_topic = documents.groupby(["Topic"], as_index=False).agg({"Document": " ".join})
    return vectorizer.fit_transform(model._preprocess_text(per_topic.Document.values))


def test_joined_phrases_span_papers_like_the_joined_text():
    analyzer = PhraseAnalyzer((1, 2))
    texts = ["We study sparse", "attention", "", "heads. Results", "of note"]
    counted = [g for run in joined_phrases(analyzer, texts) for g in run]
    assert counted == analyzer(" ".join(texts))
    assert "sparse attention" in counted and "attention heads" in counted  # across papers


@pytest.mark.parametrize("max_features", [None, 300])
@pytest.mark.parametrize("ngram_range", [(1, 2), (1, 3)])
def test_counted_fit_equals_joined_fit(max_features, ngram_range):
    from sklearn.feature_extraction.text import CountVectorizer

    texts = _texts()
    labels = _labels(len(texts))
    make = lambda: CountVectorizer(analyzer=PhraseAnalyzer(ngram_range), max_features=max_features)  # noqa: E731
    old_vec, new_vec = make(), make()
    assert is_countable(new_vec)
    old = _joined_fit(old_vec, texts, labels)
    new = fit_topic_terms(new_vec, texts, labels, "english")
    assert new.shape == old.shape and new.dtype == old.dtype
    assert (new != old).nnz == 0
    assert np.array_equal(new.indices, old.indices) and np.array_equal(new.indptr, old.indptr)
    assert new_vec.vocabulary_ == old_vec.vocabulary_
    assert list(new_vec.get_feature_names_out()) == list(old_vec.get_feature_names_out())
    # the fitted vectorizer transforms new text as the joined-fit one does
    assert (new_vec.transform(texts[:50]) != old_vec.transform(texts[:50])).nnz == 0
    # cross-paper bigrams are really there (the old output has them; so must the new)
    if max_features is None:
        assert {"documents transformers", "poorly retrieval", "retrieval augmented"} <= set(old_vec.vocabulary_)
        assert "emptydoc" in old_vec.vocabulary_  # the one-paper topic with nothing left after cleaning


def test_update_topics_counted_equals_bertopic_update_topics():
    from bertopic import BERTopic
    from bertopic.vectorizers import ClassTfidfTransformer

    texts = _texts()
    labels = _labels(len(texts))
    models = []
    for counted in (False, True):
        model = BERTopic(representation_model=None, calculate_probabilities=False, verbose=False)
        model.topics_ = labels.tolist()
        vec, ctfidf = default_vectorizer(len(texts)), ClassTfidfTransformer(reduce_frequent_words=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if counted:
                _update_topics_counted(model, texts, labels, vectorizer_model=vec, ctfidf_model=ctfidf,
                                       representation_model=None)
            else:
                model.update_topics(texts, topics=labels.tolist(), top_n_words=20, vectorizer_model=vec,
                                    ctfidf_model=ctfidf, representation_model=None)
        models.append(model)
    old, new = models
    assert (abs(new.c_tf_idf_ - old.c_tf_idf_) > 0).nnz == 0
    assert new.topic_representations_ == old.topic_representations_
    assert new.topic_sizes_ == old.topic_sizes_ and new.topics_ == old.topics_
    assert np.array_equal(new.ctfidf_model._idf_diag.diagonal(), old.ctfidf_model._idf_diag.diagonal())


def test_other_vectorizers_are_not_counted():
    from sklearn.feature_extraction.text import CountVectorizer

    assert is_countable(default_vectorizer(10)) and is_countable(default_vectorizer(10_000))
    assert not is_countable(CountVectorizer(ngram_range=(1, 2)))
    assert not is_countable(CountVectorizer(analyzer=PhraseAnalyzer(), vocabulary=["a", "b"]))
