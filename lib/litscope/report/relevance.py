"""The report's question sections: papers most relevant to the question, topic relevance, the cited answer.

Every text from an input (titles, sentences, terms, topic labels) is escaped; the answer's
sentences are quoted verbatim from the abstracts, each followed by the ``[n]`` of its paper,
linked to the reference list.

Examples
--------
>>> import pandas as pd
>>> answer = pd.DataFrame({"topic": [0], "id": ["p"], "rank": [1], "relevance": [0.9],
...                        "sentence": ["Screening <works>."], "start": [0], "end": [18], "similarity": [0.5]})
>>> topics = pd.DataFrame({"topic": [0], "label": ["Screening tools"]})
>>> answer_html(answer, {"p": 3}, topics)  # doctest: +ELLIPSIS
'...<h4>Screening tools</h4><p class="ls-synthesis">Screening &lt;works&gt;. <a class="ls-cite" href="#ref-3">[3]</a></p>...'
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from .html import _display_html, _esc, _plural, html_table, link_citations
from .references import _ref_map

__all__ = ["MOST_RELEVANT", "relevance_html", "topic_relevance_html", "answer_html", "display_relevance",
           "display_answer"]

#: Papers listed in "Papers most relevant to the question".
MOST_RELEVANT = 15


def _topic_labels(topics: pd.DataFrame | None) -> dict[Any, str]:
    labels: dict[Any, str] = {-1: "Unassigned"}
    if topics is not None and len(topics):
        labels.update(zip(topics["topic"], topics["label"].astype(str)))
    return labels


def relevance_html(relevance: pd.DataFrame, papers: pd.DataFrame, refs: pd.DataFrame | Mapping[str, int],
                   question: str, *, n: int = MOST_RELEVANT, outcome: pd.DataFrame | None = None) -> str:
    """The ``n`` most relevant papers: rank, [n], title, score, matched terms, closest sentence."""
    numbers = _ref_map(refs)
    top = relevance.sort_values("rank").head(n)
    titles = dict(zip(papers["id"].astype(str), papers["title"]))
    status = {} if outcome is None else dict(zip(outcome["id"].astype(str), outcome["status"]))
    rows = pd.DataFrame({
        "rank": top["rank"].astype(int).to_numpy(),
        "ref": [f'<a class="ls-cite" href="#ref-{numbers[i]}">[{numbers[i]}]</a>' if i in numbers else ""
                for i in top["id"].astype(str)],
        "title": [titles.get(i, "") for i in top["id"].astype(str)],
        "score": [f"{v:.3f}" for v in top["relevance"]],
        "terms": [", ".join(t) if len(t) else "—" for t in top["matched_terms"]],
        "sentence": [s or "(no abstract)" for s in top["closest_sentence"]],
    })
    columns = {"rank": "#", "ref": "Ref.", "title": "Title", "score": "Relevance", "terms": "Matched terms",
               "sentence": "Closest sentence of the abstract"}
    if status:
        rows["status"] = [status.get(i, "") for i in top["id"].astype(str)]
        columns["status"] = "Screening"
    intro = (f"<p>Relevance of each of the {len(relevance):,} papers to the question "
             f"<i>{_esc(question)}</i>: the mean of two percentile ranks, one of the BM25 score of the "
             "question's words in the title, abstract and keywords, one of the cosine similarity of the "
             "paper's embedding to the question's (0 = least, 1 = most relevant). The full ranking is the "
             "<code>relevance</code> and <code>relevance_rank</code> columns of <code>papers.csv</code>. "
             "Matched terms are the question's word stems found in the paper; the closest sentence is the "
             "abstract's sentence nearest the question.</p>")
    widths = {"rank": "5%", "ref": "8%", "title": "25%", "score": "9%", "terms": "13%", "sentence": "40%"}
    if status:
        widths.update({"title": "22%", "sentence": "34%", "status": "9%"})
    return intro + html_table(rows, columns, widths=widths, html_columns=("ref",), numeric=("rank", "score"))


def topic_relevance_html(topic_relevance: pd.DataFrame, topics: pd.DataFrame | None) -> str:
    """Each topic's relevance: mean and best relevance of its papers, papers in the top tenth."""
    labels = _topic_labels(topics)
    rows = topic_relevance.assign(label=[labels.get(t, f"Topic {t}") for t in topic_relevance["topic"]])
    rows["mean_relevance"] = rows["mean_relevance"].map("{:.2f}".format)
    rows["max_relevance"] = rows["max_relevance"].map("{:.2f}".format)
    return ("<p>How relevant each topic is to the question, most relevant first: the mean relevance of "
            "its papers, its most relevant paper's, and how many of its papers rank in the top tenth of "
            "the corpus.</p>"
            + html_table(rows, {"label": "Topic", "papers": "Papers", "mean_relevance": "Mean relevance",
                                "max_relevance": "Best paper", "in_top_decile": "In the top tenth"},
                         numeric=("papers", "mean_relevance", "max_relevance", "in_top_decile"), narrow=True))


def answer_html(answer: pd.DataFrame, refs: pd.DataFrame | Mapping[str, int], topics: pd.DataFrame | None) -> str:
    """The cited answer: per topic, the quoted sentences, each followed by its ``[n]``."""
    numbers = _ref_map(refs)
    if answer is None or answer.empty:
        return "<p>No paper relevant to the question has an abstract to quote, so there is no answer.</p>"
    labels = _topic_labels(topics)
    parts = ["<p>Sentences quoted verbatim from the abstracts of the most relevant papers (excluded ones "
             "left out), the sentence of each closest to the question, grouped by topic, most relevant "
             "topic first. Nothing is paraphrased or generated: each sentence is followed by the number "
             "of the paper it is taken from.</p>"]
    for topic, group in answer.groupby("topic", sort=False, dropna=False):
        sentences = [f"{s.strip()} [{numbers[str(i)]}]" for s, i in zip(group["sentence"], group["id"])
                     if str(i) in numbers]
        parts.append(f"<h4>{_esc(labels.get(topic, f'Topic {topic}'))}</h4>"
                     f'<p class="ls-synthesis">{link_citations(" ".join(sentences), numbers.values())}</p>')
    return "".join(parts)


def display_relevance(review: Any, *, n: int = MOST_RELEVANT) -> None:
    """Show the section "Papers most relevant to the question" and the topics' relevance.

    Without a research question there is no such section: nothing is shown (the Scope section
    states the question when there is one).
    """
    question = (review.settings.get("research_question") or "").strip()
    if review.relevance is None:
        return
    outcome = None if review.outcome is None or not review.outcome.table["status"].ne("included").any() \
        else review.outcome.table
    _display_html("<h2>Papers most relevant to the question</h2>"
                  + relevance_html(review.relevance, review.corpus.papers, review.refs, question, n=n,
                                   outcome=outcome))
    if review.topic_relevance is not None and len(review.topic_relevance):
        _display_html("<h3>Relevance of each topic</h3>"
                      + topic_relevance_html(review.topic_relevance, review.topics.topics))


def display_answer(review: Any) -> None:
    """Show the cited extractive answer (nothing without a question)."""
    if review.answer is None:
        return
    _display_html("<h3>An answer from the abstracts</h3>" + answer_html(review.answer, review.refs, review.topics.topics)
                  + f"<p class='ls-note'>{_plural(len(review.answer), 'sentence')} from "
                    f"{_plural(review.answer['id'].nunique(), 'paper')}.</p>")
