"""Review parameters: declared by the notebook, checked by one function.

The notebook's cell tagged ``parameters`` declares every parameter as
``name: type = default  # help`` (:func:`notebook_parameters` reads it with Python's
own parser). :func:`validate` is the single check of a set of values against that
declaration: unknown names, types, then the ranges and choices of :data:`RULES`.
``litscope review`` calls it (through :func:`resolve_parameters`) before anything
is loaded or embedded, and the notebook calls it in its first cell after the
parameters (:func:`check_notebook`), so a run by plain papermill or in JupyterLab
refuses the same values with the same message.

Examples
--------
>>> known = {"n_topics": NotebookParameter("n_topics", "int", "0", ""),
...          "inputs": NotebookParameter("inputs", "list", "[]", "")}
>>> resolve_parameters(known, params=dict([parse_param("n_topics=8"),
...                                        parse_param("inputs=[a.ris, b.bib]")]))
{'n_topics': 8, 'inputs': ['a.ris', 'b.bib']}
>>> validate({"n_topics": -1}, known)
Traceback (most recent call last):
...
litscope.errors.ParameterError: parameter 'n_topics' must be between 0 and 10000, got -1

Modules: :mod:`.declaration` (the notebook's parameters cell), :mod:`.values` (command-line
and YAML values), :mod:`.checks` (:func:`validate` and :data:`RULES`) and
:mod:`.in_notebook` (:func:`check_notebook`).
"""

from __future__ import annotations

from ..names import check_name
from .checks import RULES, resolve_parameters, validate
from .declaration import NotebookParameter, notebook_parameters, parameters_from_source
from .in_notebook import check_notebook
from .values import MAX_PARAMS_FILE, ParamText, parse_param, read_params_file

__all__ = ["MAX_PARAMS_FILE", "NotebookParameter", "ParamText", "RULES", "check_name", "check_notebook",
           "notebook_parameters", "parameters_from_source", "parse_param", "read_params_file",
           "resolve_parameters", "validate"]
