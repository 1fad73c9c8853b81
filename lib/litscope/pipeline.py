"""The review pipeline, written once.

:func:`run` reads as the table of contents of a review: load the exports, merge
duplicates, number the references, embed the papers, rank them by relevance to the
research question, screen them, find the topics, summarise, answer the question,
write the artifacts.  Each step is a small function taking the :class:`Review`
and filling in its part, so the review notebook, the benchmarks and batch runs
all run the same steps in the same order, timed by one
:class:`~litscope.timing.StageTimer` (whose stage events are what the CLI relays
as progress).

The slow steps are cached across runs: embeddings per text (by the embedder),
the topic fit and the summaries by :class:`~litscope.stagecache.StageCache`,
keyed by their inputs and the settings read from the step functions' own
signatures.  An unchanged re-run therefore recomputes nothing, and a changed
one recomputes exactly what depends on the change.

Examples
--------
>>> from litscope import pipeline
>>> pipeline.STEPS
('load', 'dedupe', 'references', 'embed', 'relevance', 'screening', 'topics', 'summaries', 'answer', 'write')
>>> sorted(pipeline.run_settings(seed=7))[:3]
['cache', 'dask', 'decisions']
"""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from ._memory import release_freed_memory
from .corpus import Corpus
from .screen.steps import answer_question, rank_by_relevance, screen_papers
from .outputs import write_outputs, write_run_stats  # the review's files; importable from here
from .timing import StageTimer

__all__ = ["STEPS", "Review", "run", "run_settings", "write_run_stats", "describe_embedding"]

#: The steps of a review, in the order :func:`run` takes them.
STEPS = ("load", "dedupe", "references", "embed", "relevance", "screening", "topics", "summaries", "answer",
         "write")


@dataclass
class Review:
    """Everything one review computes, filled in step by step by :func:`run`.

    Attributes
    ----------
    settings : dict
        The arguments of :func:`run` that determine the result (see :func:`run_settings`).
    files : list of str
        The input files.
    output_dir : pathlib.Path
        Where the artifacts (``papers.csv``, ``topics.csv``, ...) are written.
    timer : StageTimer
        Seconds and peak memory of each stage.
    corpus : litscope.corpus.Corpus
        The corpus: loaded by the ``load`` step (records, load report, skipped records,
        notes), then de-duplicated by the ``dedupe`` step (``corpus.papers`` one row per paper).
    refs : DataFrame
        The numbered reference list; ``ref_numbers`` maps paper id to its number.
    citation_links : litscope.bibliometrics.BiblioResult
        Which papers of the corpus cite which (:func:`litscope.bibliometrics.compute_citation_links`).
    embedder : object
        The embedder of the papers (``model_name``, ``texts_embedded``, ``encode``).
    embeddings : numpy.ndarray
        One unit row per paper of ``corpus.papers``.
    topics : litscope.topics.TopicResult
        Topics, assignments, parent themes, similarity.
    summaries : Series
        One verbatim sentence per paper, indexed by id.
    syntheses : DataFrame
        One cited paragraph per topic.
    outputs : dict
        Name -> path of each artifact written.
    cache_status : dict
        ``"hit"`` or ``"miss"`` for each cached stage of this run.
    papers_embedded : int
        Papers the embedding model actually ran on (the others came from the cache).
    papers_per_second : float or None
        Embedding speed of this run (None when every paper came from the cache).
    languages : Series
        The language of each paper of ``corpus.papers`` (same index), detected offline.
    relevance : DataFrame or None
        With a research question: each paper's ``relevance``, ``rank``, ``matched_terms``,
        ``closest_sentence`` (row-aligned with ``corpus.papers``).
    screening : litscope.screening.Screening
        The criteria's exclusions, each with its reason.
    decisions : DataFrame
        The decisions the review starts from: the exports' labels, then the decisions file.
    applied : litscope.screening.AppliedDecisions
        Those decisions matched to the papers.
    outcome : litscope.screen.ScreeningOutcome
        Each paper included, excluded (with the reason) or awaiting a decision.
    analysed, analysed_embeddings : DataFrame, numpy.ndarray
        The papers the topics and syntheses are about (``scope``: all, or the included ones).
    answer : DataFrame or None
        The cited extractive answer (:func:`litscope.screening.compute_answer`), grouped by topic.
    topic_relevance : DataFrame or None
        Each topic's relevance to the question.
    """

    settings: dict[str, Any]
    files: list[str]
    output_dir: Path
    timer: StageTimer = field(default_factory=StageTimer)
    corpus: Corpus | None = None
    refs: pd.DataFrame | None = None
    ref_numbers: dict[str, int] = field(default_factory=dict)
    citation_links: Any = None
    embedder: Any = None
    embeddings: np.ndarray | None = None
    topics: Any = None
    summaries: pd.Series | None = None
    syntheses: pd.DataFrame | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    cache_status: dict[str, str] = field(default_factory=dict)
    papers_embedded: int = 0
    papers_per_second: float | None = None
    languages: pd.Series | None = None
    relevance: pd.DataFrame | None = None
    screening: Any = None
    decisions: pd.DataFrame | None = None
    applied: Any = None
    outcome: Any = None
    analysed: pd.DataFrame | None = None
    analysed_embeddings: np.ndarray | None = None
    answer: pd.DataFrame | None = None
    topic_relevance: pd.DataFrame | None = None


def run(inputs: Sequence[str | os.PathLike] | str | os.PathLike, *, output_dir: str | os.PathLike,
        seed: int = 42, n_topics: int = 0, granularity: str = "auto", min_topic_size: int = 0,
        synthesis_sentences: int = 4, deduplicate: bool = True, embedder: str = "minilm",
        dask: str = "", cache: bool = True, progress: bool = False, research_question: str = "",
        years: Sequence[int | None] = (), languages: Sequence[str] = (), document_types: Sequence[str] = (),
        include_terms: Sequence[str] = (), exclude_terms: Sequence[str] = (),
        term_fields: Sequence[str] = ("title", "abstract", "keywords"), min_relevance: float = 0.0,
        decisions: str = "", scope: str = "all", name: str = "", timer: StageTimer | None = None) -> Review:
    """Run a whole review: the steps of :data:`STEPS`, in order.

    Parameters
    ----------
    inputs : path or list of paths
        Export files (folders and globs are resolved by :func:`litscope.report.resolve_inputs`).
    output_dir : path
        Folder for ``papers.csv``, ``topics.csv`` and the corpus exports.
    seed : int
        Random seed of the topic model.
    n_topics : int
        Exact number of topics; 0 finds it automatically.
    granularity : {"auto", "coarser", "finer"}
        Fewer, larger topics or more, smaller ones.
    min_topic_size : int
        Smallest topic; 0 derives it from the corpus size.
    synthesis_sentences : int
        Most sentences in each topic synthesis.
    deduplicate : bool
        Merge records of the same paper.
    embedder : str
        ``"minilm"`` (default), ``"fast"`` (MiniLM on a sample, the rest projected into
        its space: for very large corpora) or ``"static"``; see
        :func:`litscope.embedders.make_embedder`.
    dask : str
        A Dask scheduler address (``tcp://host:8786``) or ``"local"`` to embed on a Dask
        cluster; empty embeds in this process.
    cache : bool
        Reuse embeddings, topics and summaries computed by earlier runs.
    progress : bool
        Show progress bars.
    research_question : str
        The question the review answers: each paper's relevance, the cited answer.
    years, languages, document_types, include_terms, exclude_terms, term_fields, min_relevance
        Screening criteria (:class:`litscope.screening.Criteria`); empty ones are not applied,
        ``min_relevance`` 0 is none.
    decisions : str
        A decisions CSV (id/DOI/title, decision, reason, reviewer, date): applied, then written
        back with the new papers added undecided.
    scope : {"all", "included"}
        Topics and syntheses of all papers, or of the included ones only.
    name : str
        The report name, recorded in the run's snapshot (``output_dir/snapshot/``, which a
        later run of the same name compares with); empty: the output folder's name.
    timer : StageTimer, optional
        Times the stages (a new one by default).

    Returns
    -------
    Review
    """
    from .report import resolve_inputs

    settings = run_settings(**{k: v for k, v in locals().items()
                               if k not in ("inputs", "output_dir", "timer", "resolve_inputs")})
    review = Review(settings=settings, files=resolve_inputs(inputs), output_dir=Path(output_dir),
                    timer=timer or StageTimer())
    load_records(review)
    merge_duplicates(review)
    number_references(review)
    embed_papers(review)
    rank_by_relevance(review)
    screen_papers(review)
    find_topics(review)
    summarise(review)
    answer_question(review)
    write_outputs(review)
    return review


def run_settings(**given: Any) -> dict[str, Any]:
    """The settings of a review: :func:`run`'s keyword defaults updated by ``given``.

    Read from the signature (as scikit-learn's ``get_params`` does), so a new setting
    is recorded the moment it is added to :func:`run`.

    >>> run_settings(seed=7)["seed"], run_settings()["embedder"]
    (7, 'minilm')
    """
    params = inspect.signature(run).parameters
    out = {name: p.default for name, p in params.items()
           if p.kind is inspect.Parameter.KEYWORD_ONLY and name not in ("output_dir", "timer")}
    unknown = set(given) - set(out)
    if unknown:
        from .errors import ParameterError

        raise ParameterError(f"unknown review setting(s): {sorted(unknown)}")
    out.update(given)
    return out


# ---------------------------------------------------------------- the steps

def load_records(review: Review) -> None:
    """Read every input file into ``review.corpus`` (bad records are listed, not dropped)."""
    from .sources import load

    with review.timer("load"):
        review.corpus = load(review.files)
        release_freed_memory()  # the parsers' intermediate rows; lowers dedupe's peak


def merge_duplicates(review: Review) -> None:
    """One row per paper in ``review.corpus.papers``."""
    from .report import merge_duplicates as merge

    with review.timer("dedupe"):
        review.corpus = merge(review.corpus, enabled=bool(review.settings["deduplicate"]))
        release_freed_memory()  # the matching's candidate tables would stay resident until the end


def number_references(review: Review) -> None:
    """The reference list, each paper's ``[n]``, and which papers cite which."""
    from .bibliometrics import compute_citation_links
    from .report import compute_references, reference_numbers

    with review.timer("references"):
        review.refs = compute_references(review.corpus.papers)
        review.ref_numbers = reference_numbers(review.refs)
        review.citation_links = compute_citation_links(review.corpus.papers, refs=review.ref_numbers,
                                                       progress=review.settings["progress"])
        release_freed_memory()


def embed_papers(review: Review) -> None:
    """One vector per paper (cached per text by the embedder)."""
    from .embed import embed_papers as embed
    from .embedders import make_embedder

    s = review.settings
    review.embedder = make_embedder(s["embedder"], dask=s["dask"] or None, progress=s["progress"],
                                    cache_dir=None if s["cache"] else False)
    with review.timer("embed"):
        review.embeddings = embed(review.corpus.papers, embedder=review.embedder)
        release_freed_memory()  # the texts and (fast embedder) TF-IDF matrices, before the topic step
    review.papers_embedded = int(getattr(review.embedder, "texts_embedded", 0))
    review.papers_per_second = getattr(review.embedder, "docs_per_second", None)


def _cached(review: Review, stage: str, parts: Sequence[Any], compute: Callable[[], Any]) -> Any:
    """``compute()``, or its stored result for the same ``parts``; timed as ``stage``."""
    from .stagecache import StageCache

    stages = StageCache(root=None if review.settings["cache"] else False)
    key = stages.key(stage, *parts)
    with review.timer(stage):
        value = stages.get_or_compute(stage, key, compute)
    review.cache_status[stage] = "hit" if stages.hits[stage] else "miss"
    return value


def find_topics(review: Review) -> None:
    """Topics of the corpus (the fit is cached by its inputs and settings)."""
    from .topics import compute_topics

    s = review.settings
    # Label phrases are a few batches: embedded here, not shipped to a Dask cluster.
    kwargs = dict(seed=s["seed"], n_topics=s["n_topics"] or None, granularity=s["granularity"],
                  min_topic_size=s["min_topic_size"] or None, embedder=_local(review.embedder),
                  progress=s["progress"])
    from .stagecache import settings_of

    settings = settings_of(compute_topics, **kwargs, exclude=("df", "embeddings", "embedder", "progress"))
    papers, embeddings = _scoped(review)
    from .topics.compute import code_fingerprint

    # The topic code's fingerprint: a changed algorithm never reuses a cached fit.
    parts = (_paper_key(papers), embeddings, review.embedder.model_name, settings, code_fingerprint())
    review.topics = _cached(review, "topics", parts, lambda: compute_topics(papers, embeddings, **kwargs))


#: Papers whose sentences are embedded at once for their summaries: bounds the sentence vectors
#: held (about 45,000 sentences, 45 MB); static vectors do not depend on the batch, so the
#: summaries are those of one call.
SUMMARY_CHUNK = 5_000


def summarise(review: Review) -> None:
    """One sentence per paper and one cited paragraph per topic (cached)."""
    from . import summarize
    from .embedders import make_embedder

    s = review.settings
    # Every sentence of every abstract is read in a static embedding space (encoding them all
    # with the transformer cost more than embedding the papers); the paper embedder re-ranks
    # only each topic's shortlist, so the syntheses keep the transformer's judgement.
    sentences = make_embedder("static", progress=s["progress"], cache_dir=False)
    rerank = None if review.embedder.model_name == sentences.model_name else _local(review.embedder)
    papers = review.topics.papers[["id", "topic"]]
    frame = review.corpus.papers  # one row per paper: every paper gets its summary
    scoped, vectors = _scoped(review)  # the syntheses are of the topics' papers
    parts = (_paper_key(frame), _paper_key(scoped), papers, review.topics.topics[["topic"]],
             sorted(review.ref_numbers.items()), sentences.model_name,
             getattr(rerank, "model_name", None), s["synthesis_sentences"])

    def compute() -> tuple[pd.Series, pd.DataFrame]:
        # every abstract split and embedded once for both (the static vectors do not depend on
        # their batch, so chunks of SUMMARY_CHUNK papers give the same rows as one call)
        table = summarize.compute_sentence_table(frame, sentences.encode, chunk_size=SUMMARY_CHUNK,
                                                 progress=s["progress"])
        summaries = summarize.compute_paper_summaries(frame, encode=sentences.encode, progress=s["progress"],
                                                      chunk_size=SUMMARY_CHUNK, sentences=table)
        extra: dict[str, Any] = {"sentences": table}
        if rerank is not None:
            extra.update(rerank=rerank.encode, paper_vectors=dict(zip(scoped["id"], vectors)))
        syntheses = summarize.compute_syntheses(scoped, papers, review.topics.topics,
                                                refs=review.ref_numbers, encode=sentences.encode,
                                                max_sentences=s["synthesis_sentences"],
                                                progress=s["progress"], **extra)
        return summaries, syntheses

    review.summaries, review.syntheses = _cached(review, "summaries", parts, compute)


def describe_embedding(review: Review) -> str:
    """One line for the appendix: model, device, and how many papers were embedded how fast.

    >>> from litscope.embed import Embedder
    >>> from litscope.corpus import Corpus
    >>> r = Review(settings={}, files=[], output_dir=Path("."), embedder=Embedder(progress=False),
    ...            corpus=Corpus.from_frame(pd.DataFrame({"id": ["a", "b"]})), papers_embedded=2,
    ...            papers_per_second=14.2)
    >>> describe_embedding(r)
    'all-MiniLM-L6-v2 (2 papers embedded at 14.2 docs/s, 0 from the cache)'
    """
    name = getattr(review.embedder, "model_name", str(review.embedder))
    n = 0 if review.corpus is None else len(review.corpus)
    cached = n - review.papers_embedded
    if not review.papers_embedded:
        return f"{name} (all {n:,} papers from the cache)"
    speed = f" at {review.papers_per_second:,.1f} docs/s" if review.papers_per_second else ""
    return f"{name} ({review.papers_embedded:,} papers embedded{speed}, {max(cached, 0):,} from the cache)"


# ---------------------------------------------------------------- cache keys

def _scoped(review: Review) -> tuple[pd.DataFrame, np.ndarray]:
    """The papers (and their vectors) the topics and syntheses are about: ``scope``."""
    if review.analysed is None:
        return review.corpus.papers, review.embeddings
    return review.analysed, review.analysed_embeddings


def _local(embedder: Any) -> Any:
    """The in-process embedder (the one a Dask embedder wraps), for small follow-up calls."""
    return getattr(embedder, "inner", embedder)


def _paper_key(corpus: pd.DataFrame) -> pd.DataFrame:
    """The part of the corpus a cached stage reads: ids, titles, abstracts, years."""
    cols = [c for c in ("id", "title", "abstract", "year") if c in corpus.columns]
    return corpus[cols]

