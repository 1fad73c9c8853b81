"""Topic-term counts for c-TF-IDF, counted paper by paper instead of from each topic's joined text.

BERTopic's ``update_topics`` joins every topic's papers with ``" "`` into one
string, cleans it (``_preprocess_text``) and passes it to the vectorizer, whose
analyzer returns the list of every n-gram of the whole topic (hundreds of MB for
the largest topic of 100,000 papers). :func:`fit_topic_terms` gives the same
fitted vectorizer and the same topic-term matrix without the joined text or that
list: each paper is cleaned on its own, its content-word runs continue into the
next paper of the topic exactly as they do across the ``" "`` of the join (so the
bigram of one paper's last word and the next paper's first word is still
counted, as BERTopic counts it), and the n-grams of a topic are kept as an
``int32`` array of vocabulary ids.
"""

from __future__ import annotations

import re
from array import array
from typing import Any, Iterable, Iterator

import numpy as np

from .fit import PhraseAnalyzer

_NOT_KEPT = re.compile(r"[^A-Za-z0-9 ]+")


def clean_like_bertopic(text: str, language: str | None) -> str:
    """One paper's text as BERTopic's ``_preprocess_text`` cleans a document, without its empty-doc rule.

    The steps work character by character, so cleaning each paper and joining with
    ``" "`` equals cleaning the joined text (the ``"emptydoc"`` stand-in for an
    empty document is applied to the joined topic by :func:`topic_phrase_ids`).

    Examples
    --------
    >>> clean_like_bertopic("Über-models\\tcost 3.5%.", "english")
    'bermodels cost 35'
    >>> clean_like_bertopic("Über-models\\tcost 3.5%.", "multilingual")
    'Über-models cost 3.5%.'
    """
    text = text.replace("\n", " ").replace("\t", " ")
    return _NOT_KEPT.sub("", text) if language == "english" else text


def joined_phrases(analyzer: PhraseAnalyzer, texts: Iterable[str]) -> Iterator[list[str]]:
    """The n-grams ``analyzer(" ".join(texts))`` returns, in order, as one list per run of content words.

    Tokens never contain whitespace, so the joined text's tokens are the papers'
    tokens one after the other; a run of content words goes on into the next
    paper unless a stop word or other token breaks it.

    Examples
    --------
    >>> a = PhraseAnalyzer((1, 2))
    >>> texts = ["Sparse attention", "transformers. Of course", ""]
    >>> [g for run in joined_phrases(a, texts) for g in run] == a(" ".join(texts))
    True
    """
    stop = analyzer.stop
    token = analyzer._TOKEN
    run: list[str] = []
    for text in texts:
        for tok in token.findall((text or "").lower()):
            if tok[0].isalpha() and len(tok) > 1 and tok not in stop:
                run.append(tok)
            elif run:
                grams: list[str] = []
                analyzer._grams(run, grams)
                yield grams
                run = []
    if run:
        grams = []
        analyzer._grams(run, grams)
        yield grams


def is_countable(vectorizer: Any) -> bool:
    """Whether :func:`fit_topic_terms` reproduces ``vectorizer``'s fit on joined topics exactly.

    Only a plain, unfitted ``CountVectorizer`` over raw text whose analyzer is a
    :class:`PhraseAnalyzer` (the default); any other vectorizer goes through
    BERTopic's own joined-text path.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    return (type(vectorizer) is CountVectorizer and type(vectorizer.analyzer) is PhraseAnalyzer
            and vectorizer.input == "content" and vectorizer.vocabulary is None)


def topic_phrase_ids(texts: list[str], labels: np.ndarray, analyzer: PhraseAnalyzer,
                     language: str | None) -> tuple[dict[str, int], Any]:
    """Vocabulary (in first-seen order) and topic-term counts, one row per topic id in ascending order.

    The same vocabulary and matrix as scikit-learn's ``CountVectorizer._count_vocab``
    on BERTopic's cleaned joined topics (``documents.groupby("Topic")`` keeps papers
    in their order within a topic).
    """
    import scipy.sparse as sp
    from collections import defaultdict

    labels = np.asarray(labels)
    vocabulary: defaultdict = defaultdict()
    vocabulary.default_factory = vocabulary.__len__
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    indptr = [0]
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for rows in np.split(order, bounds) if len(order) else []:
        cleaned = (clean_like_bertopic(texts[i], language) for i in rows.tolist())
        if len(rows) == 1:
            only = next(cleaned)
            cleaned = iter([only if only != "" else "emptydoc"])  # BERTopic's empty-document stand-in
        ids = array("i")
        for grams in joined_phrases(analyzer, cleaned):
            ids.extend([vocabulary[g] for g in grams])
        found, counts = np.unique(np.frombuffer(ids, dtype=np.int32), return_counts=True)
        del ids
        indices.append(found.astype(np.int32))
        values.append(counts.astype(np.intc))
        indptr.append(indptr[-1] + len(found))
    vocabulary = dict(vocabulary)
    if not vocabulary:
        raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
    index_dtype = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
    matrix = sp.csr_array((np.concatenate(values), np.concatenate(indices).astype(index_dtype),
                           np.asarray(indptr, dtype=index_dtype)),
                          shape=(len(indptr) - 1, len(vocabulary)))
    matrix.sort_indices()
    return vocabulary, matrix


def fit_topic_terms(vectorizer: Any, texts: list[str], labels: np.ndarray, language: str | None) -> Any:
    """Fit ``vectorizer`` as BERTopic fits it on the joined topics; returns the topic-term matrix.

    scikit-learn's own ``fit_transform`` runs (validation, ``max_features``,
    ``min_df``/``max_df``, sorting), only its counting step is given the counts of
    :func:`topic_phrase_ids`; afterwards the vectorizer is an ordinary fitted
    ``CountVectorizer`` (``transform`` counts new texts as usual).
    """
    vocabulary, matrix = topic_phrase_ids(texts, labels, vectorizer.analyzer, language)
    n_topics = matrix.shape[0]
    matrix = matrix.astype(vectorizer.dtype)

    def counted(raw_documents, fixed_vocab):  # noqa: ARG001 - scikit-learn's signature
        return vocabulary, matrix

    vectorizer._count_vocab = counted  # one fit only: removed again below
    try:
        return vectorizer.fit_transform([""] * n_topics)
    finally:
        del vectorizer._count_vocab
