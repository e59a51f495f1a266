"""The kernel provisioner that forks kernels from a template (engine.forking).

jupyter_client's public way to change how a kernel is launched is a provisioner. This one is
registered by `use()` in the process that starts kernels (the factory's `provisioners` table,
which its entry points fill) and made the default there, not through package metadata: a
source tree on PYTHONPATH with stale metadata (a copied `*.egg-info`) would otherwise hide it,
and jupyter_client then says "No such kernel named python3"."""

from __future__ import annotations

import os
from importlib.metadata import EntryPoint

from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner

from helpers.engine import forking

NAME = "jjj-forking"
GROUP = "jupyter_client.kernel_provisioners"


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
        factory = KernelProvisionerFactory.instance()
        factory.provisioners[NAME] = EntryPoint(NAME, f"{__name__}:ForkingProvisioner", GROUP)
        factory.default_provisioner_name = NAME
