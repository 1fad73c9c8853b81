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
inputs: list = ["data/samples/hf-papers-listing.txt"]  # files, folders or globs to screen (as the review's inputs)
decisions: str = "reports/screening/decisions.csv"  # the decisions CSV; created when absent; the review's decisions parameter
research_question: str = ""  # orders the records before the first decisions; empty: a seeded random order
reviewer: str = ""  # your name or initials, written with each decision
deduplicate: bool = True  # merge records of the same paper, as the review does
embedder: str = "static"  # embeds papers and question for the order (static: fast, offline)
seed: int = 0  # tie-breaks; the order without a question

# %%
from litscope import params, report
from litscope.screen import ScreenSession

params.check_notebook(globals())  # refuse unknown names, wrong types, out-of-range values

# Relative paths are taken from the project root, as the review notebook takes them.
decisions_file = report.resolve_inputs(decisions)[0]
session = ScreenSession.from_inputs(report.resolve_inputs(inputs), decisions_file, deduplicate=deduplicate,
                                    question=research_question, reviewer=reviewer, embedder=embedder, seed=seed)
print(f"{len(session.papers):,} papers; decisions in {decisions_file}")

# %% [markdown]
# # Screening
#
# The records come one at a time, most likely relevant first: ordered by relevance to the research question until there are decisions to learn from, then by a model trained on the decisions made so far (it learns from every click). Type a reason if you like, then click **Include**, **Exclude** or **Maybe**. Each decision is written to the decisions file at once, so closing the browser or restarting the kernel loses nothing: run the notebook again and it continues where you stopped. The file can also be edited in a spreadsheet; give it to the review as its `decisions` parameter, and the report's PRISMA diagram counts every decision and reason.

# %%
from litscope.screen.widget import display_screener

screener = display_screener(session)

# %% [markdown]
# ## Next in line
#
# The next records in the order, and the estimate of how many relevant records remain among the unscreened (once the model has been trained).

# %%
from litscope.screen.widget import progress_text

print(progress_text(session))
print(session.method)
session.queue().head(20)
