"""JupyterLab's contents manager for ``make lab``: a shipped notebook opens unmodified.

When a notebook's kernel starts, JupyterLab writes the kernel's ``language_info`` (with the
exact Python version, ``3.11.7``) into the notebook's metadata, and a changed value marks the
notebook modified (jupyter/notebook#2123). A notebook in git cannot carry every user's Python
version, so review.ipynb, screen.ipynb and compare.ipynb showed as modified the moment they
opened. :class:`LabContentsManager` (jupytext's pairing, as before) serves a notebook with the
``language_info`` its kernel will report when that kernel runs this same Python, which is what Lab
would write; the file on disk changes only when the user saves.

``make lab`` selects it with ``--ServerApp.contents_manager_class=litscope.lab.LabContentsManager``.
"""

from __future__ import annotations

import os
import sys

from ._optional import import_optional

__all__ = ["LabContentsManager", "compute_language_info"]

_PURPOSE = "Opening the notebooks in JupyterLab"
_largefile = import_optional("jupyter_server.services.contents.largefilemanager", _PURPOSE, "lab",
                             name="jupyter_server")
_jupytext = import_optional("jupytext.async_contentsmanager", _PURPOSE, "lab", name="jupytext")


def compute_language_info() -> dict:
    """The ``language_info`` an ipykernel running this Python reports (and Lab writes).

    Examples
    --------
    >>> info = compute_language_info()
    >>> info["name"], info["version"] == sys.version.split()[0]
    ('python', True)
    """
    from ipykernel.ipkernel import IPythonKernel

    return dict(IPythonKernel.language_info)


def _runs_this_python(kernel_name: str, kernel_spec_manager) -> bool:
    """Whether kernelspec ``kernel_name`` starts this interpreter (so reports its version)."""
    try:
        argv = kernel_spec_manager.get_kernel_spec(kernel_name).argv
    except Exception:  # jupyter_client raises NoSuchKernel (a KeyError) or a JSON error: no match
        return False
    return bool(argv) and os.path.realpath(argv[0]) == os.path.realpath(sys.executable)


class LabContentsManager(_jupytext.build_async_jupytext_contents_manager_class(_largefile.AsyncLargeFileManager)):
    """Jupytext's contents manager, serving a notebook with its kernel's ``language_info``.

    A notebook whose kernel is another Python, or not installed, is served as it is on disk.
    """

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if content and model.get("type") == "notebook":
            metadata = model["content"].metadata
            kernel_name = metadata.get("kernelspec", {}).get("name")
            specs = getattr(self.parent, "kernel_spec_manager", None)
            if (kernel_name and specs is not None
                    and metadata.get("language_info", {}).get("name", "python") == "python"
                    and _runs_this_python(kernel_name, specs)):
                metadata["language_info"] = compute_language_info()
        return model
