# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (litscope)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
inputs: list = ["data/samples/hf-papers-listing.txt"]  # files, folders or globs
name: str = "sample"  # report name: the folder under reports/
report_title: str = ""  # title of the report; empty: "Literature review: <name>"
research_question: str = ""  # the question the review answers; empty: none stated
output_dir: str = ""  # where papers.csv goes; empty: reports/<name> (in JupyterLab: reports/.drafts/<name>)
seed: int = 42  # random seed of the topic model (same seed, same report)
n_topics: int = 0  # number of topics; 0 means automatic
granularity: str = "auto"  # auto, coarser, finer
min_topic_size: int = 0  # smallest topic; 0 means derived from the corpus size
synthesis_sentences: int = 4  # most sentences in each topic synthesis
deduplicate: bool = True  # merge records of the same paper found in several inputs
embedder: str = "minilm"  # minilm (default); fast: MiniLM on a sample, the rest projected into its space (very large corpora); static
dask: str = ""  # Dask scheduler address (tcp://host:8786) or local to embed on a cluster; empty: in-process
cache: bool = True  # reuse embeddings, topics and summaries of earlier runs
years: list = []  # screening: publication years [first, last], inclusive (null leaves a side open); empty: any year
languages: list = []  # screening: language codes a paper must be in (e.g. [en]); empty: any language
document_types: list = []  # screening: accepted document types (e.g. [article, review]); empty: any type
include_terms: list = []  # screening: a paper must contain one of these words or phrases (child* matches children)
exclude_terms: list = []  # screening: a paper containing one of these is excluded
term_fields: list = ["title", "abstract", "keywords"]  # where include_terms and exclude_terms are looked for
min_relevance: float = 0.0  # screening: least relevance to the research question (0 to 1); 0: no minimum
decisions: str = ""  # decisions CSV (id/doi/title, decision, reason, reviewer, date): applied, then written back with new papers undecided
scope: str = "all"  # all: topics and syntheses of all papers; included: of the included papers only

# %%
import litscope
from litscope import drafts, params, pipeline, report
from litscope.timing import StageTimer

params.check_notebook(globals())  # refuse unknown names, wrong types, out-of-range values

timer = StageTimer()
parameters = dict(inputs=inputs, name=name, report_title=report_title, research_question=research_question,
                  output_dir=output_dir, seed=seed, n_topics=n_topics, granularity=granularity,
                  min_topic_size=min_topic_size, synthesis_sentences=synthesis_sentences,
                  deduplicate=deduplicate, embedder=embedder, dask=dask, cache=cache, years=years,
                  languages=languages, document_types=document_types, include_terms=include_terms,
                  exclude_terms=exclude_terms, term_fields=term_fields, min_relevance=min_relevance,
                  decisions=decisions, scope=scope)
title = report.resolve_title(report_title, name)
input_files = report.resolve_inputs(inputs)
# Run in JupyterLab (not by litscope review), this is a draft folder: published reports stay as they are.
out_dir = drafts.resolve_output_dir(output_dir, name)

# %%
review = pipeline.run(input_files, output_dir=out_dir, seed=seed, n_topics=n_topics, granularity=granularity,
                      min_topic_size=min_topic_size, synthesis_sentences=synthesis_sentences,
                      deduplicate=deduplicate, embedder=embedder, dask=dask, cache=cache, progress=True,
                      research_question=research_question, years=years, languages=languages,
                      document_types=document_types, include_terms=include_terms, exclude_terms=exclude_terms,
                      term_fields=term_fields, min_relevance=min_relevance, decisions=decisions, scope=scope,
                      name=name, timer=timer)
# One Corpus threads the review: records as loaded, papers after de-duplication, load report,
# skipped records, notes and duplicate clusters.
corpus, result = review.corpus, review.topics
topic_papers = review.analysed  # the papers the topics are about: all, or the included ones (scope)
refs, summaries, syntheses = review.refs, review.summaries, review.syntheses

# %%
report.display_title(title, research_question=research_question, inputs=input_files,
                     corpus=corpus, n_topics=len(result.topics))

# %%
# A living review: "What's new since DATE" when an earlier run of this report exists (the published
# reports/NAME, which this run replaces and archives under reports/NAME/history/DATE).
from litscope import living

changes = living.display_changes_since_previous(out_dir, name, refs=review.ref_numbers)

# %%
# Edge corpora (one paper, titles only, another language) say what they cannot give.
from litscope import caveats

caveats.display_caveats(caveats.compute_corpus_caveats(corpus.papers, result, syntheses,
                                                      languages=review.languages))

# %% [markdown]
# ## Corpus overview
#
# This section accounts for every record in the inputs: how many were read from each file, which could not be read and why, which were merged as duplicates, and how the remaining papers are distributed over time and over sources. Nothing is dropped silently: a record that is not part of the review is listed here.

# %%
report.display_corpus_overview(corpus)

# %% [markdown]
# ### De-duplication
#
# Exports from different databases often describe the same paper. Records are treated as the same paper when they share an identifier (DOI, arXiv id, PubMed id) or when their titles match closely and their years and first authors agree; different identifiers never merge.

# %%
with timer("figures"):
    # The PRISMA identification flow, unless the screening section draws the complete one.
    report.display_dedupe(corpus, identification_flow=not report.screening_ran(review))

# %% [markdown]
# ### Papers per year

# %%
with timer("figures"):
    report.display_years(corpus.papers)

# %% [markdown]
# ### Sources and venues

# %%
with timer("figures"):
    report.display_sources(corpus.papers)

# %% [markdown]
# ## Screening

# %%
# What screened the papers and the complete PRISMA 2020 flow, or one sentence when nothing did.
report.display_screening(review)

# %%
# "Papers most relevant to the question": a section only when a research question is set.
report.display_relevance(review)
report.display_answer(review)

# %% [markdown]
# ## Topic overview
#
# Each paper's title and abstract are embedded as one vector with a sentence-transformer model; BERTopic reduces the vectors with UMAP and clusters them with HDBSCAN (or k-means when a number of topics is requested). Each topic is labelled with a phrase from its most typical titles and described by key phrases drawn from its abstracts. Papers that lie too far from every cluster stay *unassigned* rather than being forced into a topic. The assignment confidence of a paper (0 to 1) says how clearly it belongs to its topic rather than to the next closest one.

# %%
with timer("figures"):
    report.display_topic_overview(result)

# %% [markdown]
# ### Map of the papers
#
# Every point is a paper, placed so that papers with similar titles and abstracts lie close together (a 2-D UMAP projection of the embeddings; the axes have no units). Hover over a point for its title, reference number and topic; click a legend entry to hide a topic.

# %%
with timer("figures"):
    report.display_topic_map(result, topic_papers, refs)

# %% [markdown]
# ### Similarity between topics
#
# Cosine similarity between the mean embeddings of the topics: high values mark topics that address neighbouring questions and may be read together.

# %%
with timer("figures"):
    report.display_topic_similarity(result)

# %% [markdown]
# ### Topics over time

# %%
with timer("figures"):
    report.display_topics_over_time(result, topic_papers)

# %% [markdown]
# The next sections take the topics one at a time, largest first. Each opens with its key phrases and an extractive synthesis: a few sentences chosen from the topic's abstracts to cover its main lines while avoiding repetition, each followed by the number of the paper it comes from in the reference list. A table then lists every paper of the topic with a one-sentence summary taken from its abstract.

# %%
with timer("figures"):
    report.display_topic_sections(result, topic_papers, syntheses, summaries, refs)

# %% [markdown]
# ## Unassigned papers

# %%
report.display_unassigned(result, topic_papers, summaries, refs)

# %% [markdown]
# ## Bibliometrics
#
# Who wrote the papers, where they were published, how often they are cited, which topics are rising or falling, and how the papers connect. These views read the metadata the exports carry (citation counts, cited references, affiliations, keywords); where no input gives what a view needs, it says so instead of showing an empty figure.

# %%
from litscope import bibliometrics

# %% [markdown]
# ### Most cited papers

# %%
with timer("figures"):
    bibliometrics.display_most_cited(bibliometrics.compute_most_cited(corpus.papers, refs=review.ref_numbers))

# %% [markdown]
# ### Authors, venues and countries
#
# #### Authors

# %%
bibliometrics.display_top_authors(bibliometrics.compute_top_authors(corpus.papers))

# %% [markdown]
# #### Venues

# %%
bibliometrics.display_top_venues(bibliometrics.compute_top_venues(corpus.papers))

# %% [markdown]
# #### Countries

# %%
bibliometrics.display_top_countries(bibliometrics.compute_top_countries(corpus.papers))

# %% [markdown]
# ### Emerging and declining topics

# %%
with timer("figures"):
    bibliometrics.display_topic_trends(bibliometrics.compute_review_trends(result, topic_papers))

# %% [markdown]
# ### Keywords that appear together

# %%
with timer("figures"):
    bibliometrics.display_keyword_network(bibliometrics.compute_keyword_network(corpus.papers,
                                                                                refs=review.ref_numbers))

# %% [markdown]
# ### Co-authors

# %%
with timer("figures"):
    bibliometrics.display_coauthor_network(bibliometrics.compute_coauthor_network(corpus.papers,
                                                                                  refs=review.ref_numbers))

# %% [markdown]
# ### Citations within the corpus

# %%
bibliometrics.display_citation_links(review.citation_links)

# %% [markdown]
# ## All papers

# %%
from litscope.report.papers_list import display_papers_list

display_papers_list(review)

# %% [markdown]
# ## References

# %%
report.display_references(refs)

# %% [markdown]
# ## Reproducibility appendix
#
# Running the review again with the same inputs, parameters and software gives the same topics, syntheses and reference numbers. The tables below record everything that determines the result. Written next to this report: `papers.csv` (one row per paper: reference number, topic, summary, source), `topics.csv` (labels, key phrases, syntheses), the reviewed corpus as `corpus.bib`, `corpus.ris` and `corpus.csv` for reference managers and screening tools, and `duplicates.csv`, the audit trail of every merged duplicate.

# %%
report.display_appendix(parameters, corpus=corpus, timer=timer, model=pipeline.describe_embedding(review),
                        topic_params=result.params)
_ = pipeline.write_run_stats(review)  # its path is not for the reader: a last value would print at the report's end
