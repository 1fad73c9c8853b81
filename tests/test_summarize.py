"""Per-paper summaries, topic syntheses and key phrases (litscope.summarize)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from litscope.errors import ParameterError, SchemaError
from litscope.summarize import (compute_key_phrases, compute_paper_summaries, compute_sentence_table,
                                compute_syntheses, sentence_role)
from litscope.text import split_sentences


class HashEncoder:
    """A cheap deterministic encoder (hashed bag of words, L2-normalised) that counts its calls."""

    def __init__(self):
        from sklearn.feature_extraction.text import HashingVectorizer
        self.vectorizer = HashingVectorizer(n_features=2 ** 12, alternate_sign=False, norm="l2",
                                            stop_words="english")
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return self.vectorizer.transform(list(texts)).toarray().astype(np.float32)


def _frame(rows):
    return pd.DataFrame(rows, columns=["id", "title", "abstract", "year"])


TOPIC_TEXT = {
    0: ["Graph neural networks predict molecular properties from molecular graphs.",
        "Message passing graph neural networks learn molecular representations.",
        "We benchmark graph neural networks on molecular property prediction tasks.",
        "Graph networks capture molecular structure for property prediction."],
    1: ["Malaria vaccines reduce clinical malaria in African children.",
        "A randomized trial tested the malaria vaccine in infants and children.",
        "Vaccine efficacy against severe malaria waned over four years.",
        "Malaria vaccine coverage improved with seasonal vaccination campaigns."],
    2: ["Solar panels convert sunlight into electricity with silicon cells.",
        "Perovskite solar cells reach high power conversion efficiency.",
        "Tandem solar cells combine perovskite and silicon layers for efficiency.",
        "Solar cell degradation limits the lifetime of perovskite panels."],
}
FILLER = ["The weather in Paris was pleasant during the long summer holidays.",
          "Funding agencies and reviewers thanked the anonymous participants for their time."]


@pytest.fixture
def corpus():
    rows, assign = [], []
    n = 0
    for topic, sents in TOPIC_TEXT.items():
        for i, s in enumerate(sents):
            n += 1
            other = sents[(i + 1) % len(sents)]
            abstract = f"{FILLER[i % 2]} {s} {other.replace('.', ' in this study.')}"
            rows.append((f"p{n}", f"Paper {n} on topic {topic}", abstract, 2000 + n))
            assign.append((f"p{n}", topic))
    rows.append(("u1", "Unassigned paper", "Cooking pasta requires boiling salted water for ten minutes.", 2001))
    assign.append(("u1", -1))
    rows.append(("x1", "Not in papers", "This paper is in df only and has no topic assignment at all.", 2002))
    df = _frame(rows)
    papers = pd.DataFrame(assign, columns=["id", "topic"])
    topics = pd.DataFrame({"topic": [0, 1, 2], "label": ["gnn", "malaria", "solar"]})
    refs = {pid: i + 1 for i, pid in enumerate(df["id"])}
    return df, papers, topics, refs


# ------------------------------------------------------------------ paper summaries

def test_summary_is_the_central_sentence_not_the_first():
    abstract = ("Weather in Paris was sunny during the conference week. "
                "Graph neural networks learn molecular property prediction from molecular graphs. "
                "We train graph neural networks on molecular graphs. "
                "Molecular property prediction with graph networks improves accuracy.")
    df = _frame([("a", "", abstract, 2020)])
    encode = HashEncoder()
    summary = compute_paper_summaries(df, encode=encode)
    sents = split_sentences(abstract)
    assert summary["a"] in sents
    assert summary["a"] == sents[1]
    assert summary["a"] != sents[0]


def test_boilerplate_is_not_chosen_even_when_similar():
    abstract = ("Graph neural networks published by Elsevier. All rights reserved for graph neural networks. "
                "Graph neural networks predict molecular properties well.")
    df = _frame([("a", "Graph neural networks", abstract, 2020)])
    assert compute_paper_summaries(df, encode=HashEncoder())["a"] == \
        "Graph neural networks predict molecular properties well."


def test_title_fallback_and_never_empty():
    df = _frame([("a", "Only a title", "", 2020), ("b", "", None, 2020), ("c", "T", "One sentence only.", 2020)])
    encode = HashEncoder()
    summary = compute_paper_summaries(df, encode=encode)
    assert summary.tolist() == ["Only a title", "b", "One sentence only."]
    assert encode.calls == []  # nothing to rank, nothing embedded


def test_summaries_index_order_single_call_and_no_mutation(corpus):
    df, *_ = corpus
    before = df.copy(deep=True)
    encode = HashEncoder()
    summary = compute_paper_summaries(df, encode=encode)
    assert summary.name == "summary"
    assert list(summary.index) == list(df["id"])
    assert len(encode.calls) == 1  # every sentence of every paper in one batch
    assert len(encode.calls[0]) == len(set(encode.calls[0]))  # each distinct text once
    for pid, abstract in zip(df["id"], df["abstract"]):
        assert summary[pid] in split_sentences(abstract)
    pd.testing.assert_frame_equal(df, before)
    assert summary.equals(compute_paper_summaries(df, encode=HashEncoder()))


def test_summaries_reject_frames_without_needed_columns():
    with pytest.raises(SchemaError):
        compute_paper_summaries(pd.DataFrame({"id": ["a"]}), encode=HashEncoder())


# ------------------------------------------------------------------ syntheses

def test_syntheses_cite_only_topic_papers_verbatim(corpus):
    df, papers, topics, refs = corpus
    out = compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder(), max_sentences=3)
    assert out["topic"].tolist() == [0, 1, 2]
    abstracts = dict(zip(df["id"], df["abstract"]))
    members = papers.groupby("topic")["id"].apply(set)
    for row in out.itertuples():
        assert 2 <= len(row.sentences) <= 3
        assert len(set(row.cited_ids)) == len(row.cited_ids)  # at most one sentence per paper
        assert set(row.cited_ids) <= members[row.topic]  # only papers of that topic
        assert row.cited_ids == [s["id"] for s in row.sentences]
        pieces = []
        for s in row.sentences:
            abstract = abstracts[s["id"]]
            assert s["text"] in abstract and abstract[s["start"]:s["end"]] == s["text"]  # verbatim
            assert s["text"] in split_sentences(abstract)
            assert s["ref"] == refs[s["id"]]
            assert s["text"] not in FILLER  # off-topic filler is not relevant
            pieces.append(f"{s['text']} [{s['ref']}]")
        assert row.synthesis == " ".join(pieces)
        assert 0 < row.coverage <= 1 and -1 <= row.redundancy <= 1 + 1e-6
        assert row.n_papers == 4


def test_syntheses_ignore_unassigned_and_unknown_papers(corpus):
    df, papers, _, refs = corpus
    out = compute_syntheses(df, papers, refs=refs, encode=HashEncoder())  # topics from papers
    assert -1 not in out["topic"].tolist()
    cited = {pid for ids in out["cited_ids"] for pid in ids}
    assert "u1" not in cited and "x1" not in cited


def test_syntheses_are_deterministic_and_do_not_mutate(corpus):
    df, papers, topics, refs = corpus
    before = (df.copy(deep=True), papers.copy(deep=True), topics.copy(deep=True))
    encode = HashEncoder()
    first = compute_syntheses(df, papers, topics, refs=refs, encode=encode)
    assert len(encode.calls) == 1
    again = compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder())
    shuffled = compute_syntheses(df.sample(frac=1, random_state=3), papers.sample(frac=1, random_state=4),
                                 topics, refs=refs, encode=HashEncoder())
    pd.testing.assert_frame_equal(first, again)
    assert first["synthesis"].tolist() == shuffled["synthesis"].tolist()
    pd.testing.assert_frame_equal(df, before[0])
    pd.testing.assert_frame_equal(papers, before[1])
    pd.testing.assert_frame_equal(topics, before[2])


def test_ties_go_to_the_lower_reference_and_duplicates_are_not_repeated():
    text = "Graph neural networks predict molecular properties from molecular graphs."
    other = "Message passing networks learn representations of molecules quickly."
    df = _frame([("a", "A", text, 2020), ("b", "B", text, 2020), ("c", "C", other, 2020)])
    papers = pd.DataFrame({"id": ["a", "b", "c"], "topic": [0, 0, 0]})
    out = compute_syntheses(df, papers, refs={"a": 9, "b": 2, "c": 5}, encode=HashEncoder())
    cited = out.loc[0, "cited_ids"]
    assert "b" in cited and "a" not in cited  # identical sentences: ref 2 beats ref 9, and only once
    assert "c" in cited


def test_max_sentences_and_empty_topics(corpus):
    df, papers, _, refs = corpus
    topics = pd.DataFrame({"topic": [1, 7, -1]})
    out = compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder(), max_sentences=1)
    assert out["topic"].tolist() == [1, 7]
    assert len(out.loc[0, "sentences"]) == 1 and out.loc[0, "redundancy"] == 0.0
    assert out.loc[1, "synthesis"] == "" and out.loc[1, "cited_ids"] == [] and out.loc[1, "n_papers"] == 0


def test_missing_refs_and_bad_parameters_raise(corpus):
    df, papers, topics, refs = corpus
    partial = {k: v for k, v in refs.items() if k != "p2"}
    with pytest.raises(ParameterError, match="p2"):
        compute_syntheses(df, papers, topics, refs=partial, encode=HashEncoder())
    with pytest.raises(ParameterError):
        compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder(), max_sentences=0)
    with pytest.raises(SchemaError):
        compute_syntheses(df, papers.drop(columns="topic"), topics, refs=refs, encode=HashEncoder())


def test_bad_encoder_output_is_reported(corpus):
    df, papers, topics, refs = corpus
    with pytest.raises(ParameterError, match="shape"):
        compute_syntheses(df, papers, topics, refs=refs, encode=lambda texts: np.zeros((1, 3)))


def test_sentence_roles_order_the_paragraph():
    assert sentence_role("Sepsis is a leading cause of death.") == 0
    assert sentence_role("We conducted a randomized trial in 40 sites.") == 1
    assert sentence_role("Mortality fell by 12% (p < 0.01).") == 2
    assert sentence_role("These findings suggest a benefit.") == 3
    df = _frame([("a", "A", "Malaria remains a major cause of death in African children.", 2020),
                 ("b", "B", "These findings suggest that malaria vaccines reduce malaria in children.", 2010)])
    papers = pd.DataFrame({"id": ["a", "b"], "topic": [0, 0]})
    out = compute_syntheses(df, papers, refs={"a": 1, "b": 2}, encode=HashEncoder())
    assert [s["role"] for s in out.loc[0, "sentences"]] == ["background", "conclusion"]


def test_papers_without_usable_sentences_are_never_cited():
    df = _frame([("a", "Malaria vaccines in children", "", 2020),
                 ("b", "B", "\u00a9 2020 Elsevier Ltd. All rights reserved.", 2020),
                 ("c", "C", "Malaria vaccines protect young children against severe malaria.", 2020),
                 ("d", "D", "Seasonal malaria vaccination of children cut clinical malaria cases.", 2019)])
    papers = pd.DataFrame({"id": list("abcd"), "topic": [3, 3, 3, 3]})
    out = compute_syntheses(df, papers, refs={"a": 1, "b": 2, "c": 3, "d": 4}, encode=HashEncoder())
    assert out.loc[0, "n_papers"] == 4
    assert sorted(out.loc[0, "cited_ids"]) == ["c", "d"]
    # same role: the older paper comes first
    assert out.loc[0, "cited_ids"] == ["d", "c"]


# ------------------------------------------------------------------ key phrases

def test_key_phrases_are_topic_specific(corpus):
    df, papers, _, _ = corpus
    out = compute_key_phrases(df, papers, top_n=5)
    assert out["topic"].tolist() == [0, 1, 2]
    phrases = dict(zip(out["topic"], out["key_phrases"]))
    assert all(1 <= len(p) <= 5 for p in phrases.values())
    assert any("graph" in p or "molecular" in p for p in phrases[0])
    assert any("malaria" in p for p in phrases[1])
    assert any("solar" in p or "perovskite" in p for p in phrases[2])
    flat = [w for ps in phrases.values() for p in ps for w in p.split()]
    assert not {"the", "study", "in", "we", "and"} & set(flat)
    assert compute_key_phrases(df, papers, top_n=5).equals(out)


# ------------------------------------------------------------------ the real model

@pytest.mark.slow
def test_real_embedder_on_sample_papers(sample_path):
    import litscope
    df = litscope.load(sample_path).papers.head(20).reset_index(drop=True)
    summary = compute_paper_summaries(df)
    firsts = 0
    for pid, abstract in zip(df["id"], df["abstract"]):
        sents = split_sentences(abstract)
        assert summary[pid] in sents
        firsts += summary[pid] == sents[0]
    assert firsts < len(df) / 2  # the most central sentence is seldom the opening one
    papers = pd.DataFrame({"id": df["id"], "topic": [i % 2 for i in range(len(df))]})
    refs = {pid: i + 1 for i, pid in enumerate(df["id"])}
    out = compute_syntheses(df, papers, refs=refs)
    abstracts = dict(zip(df["id"], df["abstract"]))
    for row in out.itertuples():
        assert len(set(row.cited_ids)) >= 3
        assert all(s["text"] == abstracts[s["id"]][s["start"]:s["end"]] for s in row.sentences)
        assert 0.3 < row.coverage <= 1


def test_rerank_embeds_only_a_shortlist_and_stays_verbatim(corpus):
    df, papers, topics, refs = corpus
    cheap, strong = HashEncoder(), HashEncoder()
    paper_vectors = dict(zip(df["id"], strong(df["abstract"].tolist())))
    out = compute_syntheses(df, papers, topics, refs=refs, encode=cheap, max_sentences=2,
                            rerank=strong, paper_vectors=paper_vectors, shortlist=3)
    assert len(strong.calls) == 2  # the paper vectors, then one call for every topic's shortlist
    assert len(strong.calls[1]) <= 3 * len(out)  # never more than the shortlist per topic
    assert len(cheap.calls) == 1 and len(cheap.calls[0]) > len(strong.calls[1])  # cheap reads them all
    abstracts = dict(zip(df["id"], df["abstract"]))
    members = papers.groupby("topic")["id"].apply(set)
    for row in out.itertuples():
        assert 1 <= len(row.sentences) <= 2 and set(row.cited_ids) <= members[row.topic]
        for s in row.sentences:
            assert abstracts[s["id"]][s["start"]:s["end"]] == s["text"]
            assert s["text"] not in FILLER


def test_rerank_needs_paper_vectors_and_a_long_enough_shortlist(corpus):
    df, papers, topics, refs = corpus
    with pytest.raises(ParameterError, match="paper_vectors"):
        compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder(), rerank=HashEncoder())
    with pytest.raises(ParameterError, match="shortlist"):
        compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder(), rerank=HashEncoder(),
                          paper_vectors={}, shortlist=2, max_sentences=4)


# ------------------------------------------------------------------ one sentence table for both

def test_sentence_table_chunks_embed_each_text_once_with_the_rows_of_one_call(corpus):
    df, _, _, _ = corpus
    chunked_encoder, whole_encoder = HashEncoder(), HashEncoder()
    chunked = compute_sentence_table(df, chunked_encoder, chunk_size=4)
    whole = compute_sentence_table(df, whole_encoder)
    assert len(chunked_encoder.calls) == 4 and len(whole_encoder.calls) == 1  # 14 papers, 4 per call
    texts = [t for call in chunked_encoder.calls for t in call]
    assert texts == whole_encoder.calls[0] and len(set(texts)) == len(texts)  # each text once, same order
    assert chunked.row_of == whole.row_of and np.array_equal(chunked.matrix, whole.matrix)
    assert np.allclose(np.linalg.norm(whole.matrix, axis=1), 1.0, atol=1e-5)
    first = df.iloc[0]
    assert [first["abstract"][a:b] for a, b in whole.spans[first["id"]]] == split_sentences(first["abstract"])


def test_sentence_table_rejects_a_bad_chunk_size_and_bad_encoder_output(corpus):
    df, _, _, _ = corpus
    with pytest.raises(ParameterError, match="chunk_size"):
        compute_sentence_table(df, HashEncoder(), chunk_size=0)
    with pytest.raises(ParameterError, match="shape"):
        compute_sentence_table(df, lambda texts: np.ones((1, 3)))


@pytest.mark.parametrize("with_rerank", [False, True])
def test_a_shared_table_gives_the_same_summaries_and_syntheses_without_encoding_again(corpus, with_rerank):
    df, papers, topics, refs = corpus
    extra = {}
    if with_rerank:
        strong = HashEncoder()
        extra = {"rerank": strong, "paper_vectors": dict(zip(df["id"], strong(df["abstract"].tolist()))),
                 "shortlist": 3}
    before_summaries = compute_paper_summaries(df, encode=HashEncoder(), chunk_size=5)
    before_syntheses = compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder(), max_sentences=2,
                                         **extra)
    encoder = HashEncoder()
    table = compute_sentence_table(df, encoder, chunk_size=5)
    calls = len(encoder.calls)
    summaries = compute_paper_summaries(df, encode=encoder, chunk_size=5, sentences=table)
    syntheses = compute_syntheses(df, papers, topics, refs=refs, encode=encoder, max_sentences=2,
                                  sentences=table, **extra)
    assert len(encoder.calls) == calls  # neither call split-and-encoded again
    assert summaries.equals(before_summaries) and syntheses.equals(before_syntheses)
    assert (table.matrix is None) == with_rerank  # the vectors are not held while the rerank runs


def test_a_table_of_other_abstracts_is_not_used(corpus):
    df, papers, topics, refs = corpus
    other = df.assign(abstract=df["abstract"].str.replace("graph", "tree", regex=False))
    table = compute_sentence_table(other, HashEncoder())
    encoder = HashEncoder()
    assert compute_paper_summaries(df, encode=encoder, sentences=table).equals(
        compute_paper_summaries(df, encode=HashEncoder()))
    assert len(encoder.calls) == 1  # read the abstracts itself
    encoder = HashEncoder()
    assert compute_syntheses(df, papers, topics, refs=refs, encode=encoder, sentences=table).equals(
        compute_syntheses(df, papers, topics, refs=refs, encode=HashEncoder()))
    assert len(encoder.calls) == 1
