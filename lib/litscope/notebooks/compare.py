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

# %% [markdown]
# # Compare two runs of a review
#
# A review re-run under the same name keeps its earlier runs in `reports/NAME/history/DATE/`. This notebook compares any two of them (or an earlier one with the current report): new papers, removed papers and why, topics that appeared, grew, shrank, merged or disappeared, and papers that changed topic. Set the parameters below, or run it with papermill: `papermill notebooks/compare.ipynb out.ipynb -p report NAME -p previous 2026-01-01T10-00-00Z`.

# %% tags=["parameters"]
report: str = "sample"  # report name: the folder under reports/
previous: str = ""  # the earlier run: a DATE folder of reports/NAME/history/; empty: the newest archived run
current: str = "current"  # the later run: "current" (the published report) or a DATE folder
reports_dir: str = ""  # where the reports are; empty: litscope's reports folder

# %%
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from litscope import paths
from litscope.living import compute_changes, display_changes, list_runs, read_run_snapshot

folder = (Path(reports_dir) if reports_dir else paths.reports_dir()) / report
runs = dict(list_runs(folder))
display(pd.DataFrame({"run": list(runs), "folder": [str(p) for p in runs.values()]}))

# %%
archived = [label for label in runs if label != "current"]
before_label = previous or (archived[-1] if archived else "")
comparable = before_label in runs and current in runs and before_label != current
if comparable:
    before, after = read_run_snapshot(runs[before_label]), read_run_snapshot(runs[current])
    changes = compute_changes(before, after)
else:
    changes = None
    display(HTML("<p>Two runs with snapshots are needed: this report has "
                 f"{len(runs)} ({', '.join(runs) or 'none'}). Re-run the review under the same name, "
                 "or choose <code>previous</code> and <code>current</code> among the runs listed above.</p>"))

# %%
if changes is not None:
    display_changes(changes)

# %% [markdown]
# ## Every topic, side by side
#
# The full matching table, with the number of shared papers and the cosine similarity of the topics' mean embeddings (empty when either run kept no centroids or the runs used different embedders).

# %%
if changes is not None:
    display(changes.topics)
