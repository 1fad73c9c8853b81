"""Where the review notebook writes: the published report, or a draft when run in JupyterLab.

``litscope review`` runs the notebook in a folder that it publishes only when everything
worked, and says so to the kernel through the environment variable :data:`ENV_VAR`. A
notebook run any other way (JupyterLab, nbclient, papermill by hand) has no such
guarantee, so whatever it would write under ``reports/`` goes to
``reports/.drafts/...`` instead: a half-run notebook in Lab never overwrites the files of a
published report. An ``output_dir`` outside ``reports/`` is used as given.

Examples
--------
>>> import os, tempfile
>>> from pathlib import Path
>>> from litscope import drafts
>>> os.environ["LITSCOPE_REPORTS"] = reports = tempfile.mkdtemp()
>>> drafts.draft_target("", "mine") == Path(reports).resolve() / ".drafts" / "mine"
True
>>> outside = Path(tempfile.mkdtemp()).resolve()
>>> drafts.draft_target(str(outside), "mine") == outside
True
>>> del os.environ["LITSCOPE_REPORTS"]
"""

from __future__ import annotations

import os
from pathlib import Path

from . import paths

__all__ = ["ENV_VAR", "publishing", "draft_target", "resolve_output_dir"]

#: Set (to the folder being published) by ``litscope review`` for the kernel it starts.
ENV_VAR = "LITSCOPE_PUBLISH"


def publishing() -> bool:
    """Whether this process runs the notebook for ``litscope review`` (which publishes)."""
    return bool(os.environ.get(ENV_VAR))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def draft_target(output_dir: str | os.PathLike | None, name: str) -> Path:
    """The folder a notebook run outside ``litscope review`` writes to (not created).

    Parameters
    ----------
    output_dir : str or path-like or None
        The notebook's ``output_dir`` parameter; empty means ``reports/<name>``.
    name : str
        The report name.

    Returns
    -------
    Path
        ``output_dir`` itself when it lies outside ``reports/`` (or already in the drafts);
        otherwise the same place under ``reports/.drafts/``.
    """
    reports, drafts = paths.reports_dir().resolve(), paths.drafts_dir().resolve()
    if output_dir:
        path = Path(os.path.expanduser(os.fspath(output_dir)))
        path = (path if path.is_absolute() else paths.project_root() / path).resolve()
    else:
        path = reports / (name or "review")
    if not _within(path, reports) or _within(path, drafts):
        return path
    # reports/NAME/sub -> reports/.drafts/NAME/sub; reports/ itself -> reports/.drafts/NAME
    relative = path.relative_to(reports)
    return drafts / relative if relative.parts else drafts / (name or "review")


def resolve_output_dir(output_dir: str | os.PathLike | None, name: str) -> Path:
    """The folder the review notebook writes to (created).

    Under ``litscope review`` this is :func:`litscope.report.resolve_output_dir` unchanged;
    otherwise :func:`draft_target`, with a line saying where the draft goes.

    Parameters
    ----------
    output_dir : str or path-like or None
        The notebook's ``output_dir`` parameter.
    name : str
        The report name.

    Returns
    -------
    Path
        The resolved, existing folder.
    """
    from . import report  # heavy (pandas, plotly); the notebook imports it anyway

    if publishing():
        return report.resolve_output_dir(output_dir, name)
    target = draft_target(output_dir, name)
    resolved = report.resolve_output_dir(target, name)
    if _within(resolved, paths.drafts_dir().resolve()):
        print(f"draft: writing to {resolved} (litscope review --name {name} publishes the report)")
    return resolved
