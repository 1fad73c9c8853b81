"""The check run inside the notebook, in the first cell after the parameters."""

from __future__ import annotations

from typing import Any, MutableMapping

from ..errors import ParameterError
from .checks import validate
from .declaration import NotebookParameter, parameters_from_source


def _injected(source: str) -> bool:
    """A cell papermill inserted after the parameters cell (it starts ``# Parameters``)."""
    return source.lstrip().startswith("# Parameters")


def _declared_in_history(history: list) -> tuple[dict[str, NotebookParameter] | None, set[str]]:
    """The latest parameters cell run, and the names injected after it (papermill's cell)."""
    given: set[str] = set()
    for source in reversed(history[:-1]):  # the last entry is the cell running now
        if not isinstance(source, str) or not source.strip():
            continue
        try:
            if _injected(source):
                given |= set(parameters_from_source(source))
                continue
            declared = parameters_from_source(source, annotated_only=True)
        except ParameterError:
            continue
        if declared:
            return declared, given
    return None, given


def check_notebook(namespace: MutableMapping[str, Any]) -> dict[str, Any]:
    """Check a notebook's parameters inside the notebook: ``check_notebook(globals())``.

    Run in the first cell after the parameters, it refuses what ``litscope review``
    refuses (:func:`validate`): names papermill injected that the parameters cell does not
    declare, values of the wrong type, values out of range. The declaration is the
    parameters cell as last run (from IPython's input history; outside IPython, the
    annotations of the namespace). Checked values replace the namespace's (``"8"`` given
    to an ``int`` becomes ``8``).

    Returns
    -------
    dict
        The checked parameters.

    Raises
    ------
    ParameterError
        As :func:`validate`, before anything is loaded.
    """
    history = namespace.get("In")
    declared, given = (_declared_in_history(history) if isinstance(history, list)
                       else (None, set()))
    if declared is None:
        annotations = namespace.get("__annotations__") or {}
        declared = {k: NotebookParameter(k, t if isinstance(t, str) else getattr(t, "__name__", ""),
                                         "", "") for k, t in annotations.items()}
    values = {k: namespace[k] for k in [*declared, *sorted(given)] if k in namespace}
    checked = validate(values, declared)
    namespace.update(checked)
    return checked
