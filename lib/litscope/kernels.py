"""The kernel a review notebook runs in: ipykernel of the running interpreter.

:func:`litscope.execute.run_review` starts one per review (``litscope batch`` keeps one for
all its reviews, :mod:`litscope.batch.kernel`); the tests that run notebooks start them too.
"""

from __future__ import annotations

import sys

from . import cleanup

__all__ = ["current_python_kernel_manager"]


def current_python_kernel_manager() -> type:
    """A kernel manager that always starts ipykernel in *this* interpreter.

    Whatever ``python3`` kernelspec a user has installed elsewhere, the review runs
    with the packages (litscope included) of the environment running litscope.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class CurrentPythonKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):  # type: ignore[override]
            if self._kernel_spec is None:
                spec = get_kernel_dict()
                # log level ERROR: ipykernel warns about unencrypted TCP on every start,
                # which is noise for a kernel on the loopback interface.
                spec["argv"] = ([sys.executable] + list(spec["argv"][1:])
                                + ["--IPKernelApp.log_level=ERROR"])
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **spec)
            return self._kernel_spec

        async def _async_interrupt_kernel(self) -> None:  # type: ignore[override]
            # jupyter_client interrupts the kernel before every shutdown; an idle kernel (after
            # the last cell, or a failed one) then logs "KeyboardInterrupt caught in kernel"
            # on the user's terminal. Shutting down needs no interrupt: the shutdown request,
            # then SIGTERM/SIGKILL, follow. A timeout's interrupt (not shutting down) still goes.
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

        async def _async_launch_kernel(self, kernel_cmd, **kw):  # type: ignore[override]
            await super()._async_launch_kernel(kernel_cmd, **kw)
            # The kernel leads its own process group, out of reach of a terminal's Ctrl-C:
            # an interrupted run kills that group (the kernel and what the notebook started).
            process = getattr(self.provisioner, "process", None)
            if process is not None:
                cleanup.track(process)

    return CurrentPythonKernelManager
