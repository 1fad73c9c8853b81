"""One Jupyter kernel for every review of a batch.

``litscope review`` runs the notebook with papermill, which starts a fresh kernel per
notebook: every review pays for Python's imports (torch, sentence-transformers, BERTopic,
UMAP, numba's compiled functions) and for loading the embedding model. papermill passes
its engine keyword arguments on to nbclient's ``NotebookClient``, which accepts a
kernel manager ``km``: a client given a manager that already runs a kernel executes the
notebook there and leaves the kernel running afterwards (``owns_km`` is false). A
:class:`SharedKernel` keeps one such manager (a kernel of this interpreter,
:func:`litscope.kernels.current_python_kernel_manager`, as
:func:`litscope.execute.run_review` starts) for the whole batch, and hands it to each
review through ``run_review(kernel=shared.prepare)``.

Before each notebook, :meth:`SharedKernel.prepare` runs, outside the notebook's history:

* ``%reset -f`` and a garbage collection: the previous review's variables are gone, so a
  review cannot read another's data; imported modules and loaded models stay;
* the environment variables by which ``run_review`` tells the kernel where this review
  publishes (:data:`litscope.drafts.ENV_VAR`) and where its progress goes
  (:data:`litscope.progress.ENV_VAR`), and the working directory: a kernel started for an
  earlier review inherited that review's.

The embedders of every review in the kernel reuse a model already loaded there
(:mod:`litscope.embedders.loaded`); :meth:`SharedKernel.model_state` reads how many were
loaded and reused. A kernel that died (a review crashed it) is replaced by a fresh one;
:attr:`SharedKernel.starts` counts them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import drafts, progress as progress_

__all__ = ["SharedKernel"]

_PREPARE = """\
def _litscope_prepare(env, cwd):
    import gc, os
    get_ipython().run_line_magic("reset", "-f")
    gc.collect()
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    if cwd:
        os.chdir(cwd)
_litscope_prepare({env!r}, {cwd!r})
globals().pop("_litscope_prepare", None)  # %reset removed it already; be sure
"""

_STATE = "import json as _j, litscope.embedders.loaded as _m; print(_j.dumps(_m.state())); del _j, _m"


class SharedKernel:
    """A kernel of this interpreter kept alive across notebooks (see the module docstring).

    Use it as a context manager; the kernel is shut down on exit.
    """

    def __init__(self) -> None:
        self.km: Any = None
        self.starts = 0

    def __enter__(self) -> "SharedKernel":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()

    def _run(self, coroutine_fn: Any, *args: Any, **kwargs: Any) -> Any:
        from jupyter_core.utils import run_sync

        return run_sync(coroutine_fn)(*args, **kwargs)

    def ensure_started(self, cwd: str | None = None) -> None:
        """Start the kernel, or a new one when the previous one died."""
        from ..kernels import current_python_kernel_manager

        if self.km is not None and self._run(self.km.is_alive):
            return
        if self.km is not None:
            self._run(self.km.cleanup_resources)
        self.km = current_python_kernel_manager()(kernel_name="python3")
        self._run(self.km.start_kernel, cwd=cwd or os.getcwd())
        self.starts += 1

    def execute(self, code: str, timeout: float = 120.0) -> str:
        """Run ``code`` in the kernel outside its history; its printed output.

        Raises
        ------
        RuntimeError
            The code raised in the kernel (the message is the kernel's error).
        """
        printed: list[str] = []

        def hook(msg: dict) -> None:
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])

        async def run() -> dict:
            # The manager's own client: it asks the manager whether the kernel lives (a bare
            # client judges by heartbeats, which a kernel just started has not sent yet).
            client = self.km.client()
            client.start_channels()
            try:
                await client.wait_for_ready(timeout=timeout)
                return await client.execute_interactive(code, store_history=False, allow_stdin=False,
                                                        timeout=timeout, output_hook=hook)
            finally:
                client.stop_channels()

        reply = self._run(run)
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")
        return "".join(printed)

    def prepare(self, cwd: str | os.PathLike | None = None) -> Any:
        """Make the kernel ready for the next notebook (see the module docstring); its manager.

        The ``kernel`` of :func:`litscope.execute.run_review`, which calls it with the review's
        environment variables set.
        """
        cwd = str(Path(cwd).resolve()) if cwd else None
        self.ensure_started(cwd)
        env = {name: os.environ.get(name) for name in (drafts.ENV_VAR, progress_.ENV_VAR)}
        self.execute(_PREPARE.format(env=env, cwd=str(cwd or "")))
        return self.km

    def model_state(self) -> dict[str, Any]:
        """:func:`litscope.embedders.loaded.state` of the kernel: its pid, model loads and reuses."""
        if self.km is None or not self._run(self.km.is_alive):
            return {}
        return json.loads(self.execute(_STATE).strip().splitlines()[-1])

    def shutdown(self) -> None:
        """Stop the kernel (if running)."""
        if self.km is None:
            return
        try:
            if self._run(self.km.is_alive):
                self._run(self.km.shutdown_kernel, now=False)
        finally:
            self._run(self.km.cleanup_resources)
            self.km = None

