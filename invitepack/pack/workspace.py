"""What one command works on: the config in force, the pack and its channels."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from invitepack.pack.channels import Channel, load_channels
from invitepack.pack.config import Config, load_config
from invitepack.pack.manifest import locate_pack

TYPE_CHECKING = False
if TYPE_CHECKING:
    from invitepack.pack.loader import Pack


class Workspace:
    """Loads lazily, so a command pays only for what it uses."""

    def __init__(
        self,
        pack_spec: str | None = None,
        config_path: Path | None = None,
        isolated: bool = False,
        account_override: str | None = None,
        cwd: Path | None = None,
        trust_local_plugins: bool = False,
    ) -> None:
        self.pack_spec = pack_spec
        self.config_path = config_path
        self.isolated = isolated
        self.account_override = account_override
        self.cwd = Path.cwd() if cwd is None else cwd
        # --trust-local-plugins: run the pack's plugin files without a recorded trust (hooks, CI)
        self.trust_local_plugins = trust_local_plugins

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path, self.isolated, self.cwd)

    @property
    def account(self) -> str:
        return self.account_override or self.config.account

    @cached_property
    def pack_root(self) -> Path:
        return locate_pack(self.pack_spec, self.cwd)

    @cached_property
    def pack(self) -> Pack:
        from invitepack.pack.loader import load_pack  # `check` of a note needs no templates

        return load_pack(self.pack_root, self.config.limits)

    @cached_property
    def channels(self) -> dict[str, Channel]:
        return load_channels(self.config.channels)
