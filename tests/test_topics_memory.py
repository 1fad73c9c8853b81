"""The topic step's memory-light structures give the same answers as the ones they replace."""

from __future__ import annotations

import numpy as np

import litscope
from litscope import paths
from litscope.embed import paper_texts
from litscope.topics.labels import _Corpus, word_spread
from litscope.topics.vocabulary import _edge_words
from litscope.topics.word_index import WordIndex


def _sample_texts() -> list[str]:
    loaded = litscope.load(str(paths.sample_corpus()))
    return paper_texts(getattr(loaded, "papers", loaded))  # a Corpus or (older) its frame


def test_word_index_answers_as_the_corpus_it_replaces():
    texts = _sample_texts() + ["", "Odd: (brackets) & symbols -- 3.5% of über-models."]
    old, new = _Corpus(texts), WordIndex(texts)
    assert new.n == old.n == len(texts)
    assert [new.sets[d] for d in range(len(texts))] == old.sets
    assert new.seqs == old.seqs
    assert [new._text(d) for d in range(len(texts))] == [old._text(d) for d in range(len(texts))]
    words = sorted(old.index)
    queries = [[w] for w in words[::7]] + [["language", "models"], ["large", "language", "model"],
                                           ["no-such-word"], [], ["the", "no-such-word"]]
    for q in queries:
        assert new.docs_with(q) == old.docs_with(q), q
        assert all(type(d) is int for d in new.docs_with(q))
    members = set(range(0, len(texts), 2))
    edges = _edge_words()
    for q in [["language"], ["large", "language"], ["reinforcement"], ["vision"], ["diffusion"]]:
        assert new.next_word(q, members, edges) == old.next_word(q, members, edges), q
        # the label engine passes each corpus's own member form (a row mask for WordIndex)
        assert new.next_word(q, new.member_rows(members), edges) == old.next_word(q, members, edges), q
    # counts the label engine reads, from int32 rows and a row mask instead of Python sets
    for q in queries:
        assert new.count(q) == old.count(q) == len(old.docs_with(q)), q
        for m in (members, set(range(5, 30)), set()):
            assert new.count_in(q, new.member_rows(m)) == old.count_in(q, old.member_rows(m)) \
                == len(old.docs_with(q) & m), q
            assert new.rows_with(q).tolist() == sorted(old.docs_with(q)), q
    groups = [set(range(0, 40)), set(range(40, len(texts)))]
    assert word_spread(new, groups) == word_spread(old, groups)


def test_word_index_keeps_a_fraction_of_the_memory():
    import tracemalloc

    # distinct documents from recombined sample sentences (a larger corpus of the same kind)
    rng = np.random.default_rng(0)
    sentences = [s for t in _sample_texts() for s in t.split(". ") if s]
    texts = [". ".join(rng.choice(sentences, 8)) for _ in range(3000)]

    def peak(cls) -> int:
        tracemalloc.start()
        kept = cls(texts)
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del kept
        return size

    assert peak(WordIndex) < 0.35 * peak(_Corpus)
