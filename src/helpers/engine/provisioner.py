"""The kernel provisioner that forks kernels from a template (engine.forking).

jupyter_client's public way to change how a kernel is launched: a provisioner, registered
under the `jupyter_client.kernel_provisioners` entry point (pyproject.toml) and chosen with
`KernelProvisionerFactory.default_provisioner_name` in the build's workers (`use()`)."""

from __future__ import annotations

import os

from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner

from helpers.engine import forking

NAME = "jjj-forking"


class ForkingProvisioner(LocalProvisioner):
    """LocalProvisioner, but the kernel process is forked from a template where it can be
    (else started as usual)."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        private = os.path.dirname(self.parent.connection_file)  # the worker's socket folder
        proc = forking.launch(cmd, kwargs, private)
        if proc is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process, self.pid, self.pgid = proc, proc.pid, proc.pid  # its own session
        return self.connection_info

    async def kill(self, restart: bool = False) -> None:
        if isinstance(self.process, forking.Forked) and not restart:
            await self.process.finish()  # notes its imports for the template, then exits
        await super().kill(restart)


def use() -> None:
    """Kernels this process starts from now on are forked where they can be."""
    if forking.enabled():
        KernelProvisionerFactory.instance().default_provisioner_name = NAME
