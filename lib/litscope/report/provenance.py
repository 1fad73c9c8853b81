"""Reproducibility facts: package versions and input checksums."""

from __future__ import annotations

import hashlib
import os
import platform
from typing import Iterable

import pandas as pd

from .inputs import _display_path

#: Distributions whose versions the reproducibility appendix lists.
PACKAGES = ("litscope", "pandas", "numpy", "torch", "sentence-transformers", "bertopic", "umap-learn",
            "hdbscan", "scikit-learn", "plotly", "papermill", "nbconvert")


# ====================================================================== environment

def compute_environment(packages: Iterable[str] = PACKAGES) -> pd.DataFrame:
    """Python and package versions (package, version; 'not installed' when missing).

    >>> env = compute_environment(["pandas"])
    >>> env["package"].tolist()
    ['python', 'pandas']
    """
    from importlib import metadata

    rows = [("python", platform.python_version())]
    for name in packages:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return pd.DataFrame(rows, columns=["package", "version"])


def input_hashes(files: Iterable[str | os.PathLike]) -> pd.DataFrame:
    """SHA-256 and size of each input file (file, bytes, sha256).

    Examples
    --------
    >>> import tempfile, os
    >>> fd, p = tempfile.mkstemp(); os.write(fd, b"a"); os.close(fd)
    1
    >>> input_hashes([p])["sha256"].str[:12].tolist()
    ['ca978112ca1b']
    """
    rows = []
    for f in files:
        h = hashlib.sha256()
        size = 0
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
        rows.append((_display_path(f), size, h.hexdigest()))
    return pd.DataFrame(rows, columns=["file", "bytes", "sha256"])
