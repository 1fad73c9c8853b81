"""Every path litscope uses, in one place.

The project root is found from this file when litscope runs from a checkout
(``pip install -e .``) and from the current directory otherwise; the
environment variables below override each location.

============================  =====================================  =========================
what                          default                                override
============================  =====================================  =========================
project root                  the checkout holding ``lib/litscope``  ``LITSCOPE_ROOT``
reports                       ``<root>/reports``                     ``LITSCOPE_REPORTS``
notebooks (JupyterLab)        ``<root>/notebooks``                   ``LITSCOPE_NOTEBOOKS``
review notebook               inside the package (``litscope/notebooks``) ``LITSCOPE_NOTEBOOKS``
drafts (notebook run in Lab)  ``<reports>/.drafts``                  --
sample corpus                 ``<root>/data/samples``                --
embedding cache               ``~/.cache/litscope``                  ``LITSCOPE_CACHE``
============================  =====================================  =========================

Examples
--------
>>> from litscope import paths
>>> paths.report_dir("sample").name
'sample'
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The project checkout (or the current directory when installed elsewhere)."""
    env = os.environ.get("LITSCOPE_ROOT")
    if env:
        return Path(env).expanduser().resolve()
    here = Path(__file__).resolve()
    candidate = here.parents[2]  # lib/litscope/paths.py -> root
    if (candidate / "notebooks").is_dir() and (candidate / "lib" / "litscope").is_dir():
        return candidate
    return Path.cwd()


def reports_dir() -> Path:
    """Where ``litscope review`` writes ``<name>/``."""
    env = os.environ.get("LITSCOPE_REPORTS")
    return Path(env).expanduser().resolve() if env else project_root() / "reports"


def report_dir(name: str) -> Path:
    """The folder of one named report."""
    return reports_dir() / name


def notebooks_dir() -> Path:
    """Folder of the parameterized notebooks."""
    env = os.environ.get("LITSCOPE_NOTEBOOKS")
    return Path(env).expanduser().resolve() if env else project_root() / "notebooks"


def packaged_notebooks_dir() -> Path:
    """The notebooks shipped inside the package (``notebooks/`` of a checkout links to them)."""
    return Path(__file__).resolve().parent / "notebooks"


def review_notebook() -> Path:
    """The review notebook papermill runs: package data, so an installed wheel finds it too."""
    env = os.environ.get("LITSCOPE_NOTEBOOKS")
    return (Path(env).expanduser().resolve() if env else packaged_notebooks_dir()) / "review.ipynb"


def drafts_dir() -> Path:
    """Where the review notebook writes when run in JupyterLab rather than by ``litscope review``."""
    return reports_dir() / ".drafts"


def samples_dir() -> Path:
    """Bundled sample corpora."""
    return project_root() / "data" / "samples"


def sample_corpus() -> Path:
    """The sample corpus reviewed by ``make review``."""
    return samples_dir() / "hf-papers-listing.txt"


def cache_dir() -> Path:
    """On-disk cache (embeddings), shared by every report."""
    env = os.environ.get("LITSCOPE_CACHE")
    base = Path(env).expanduser() if env else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "litscope"
    return base.resolve()
