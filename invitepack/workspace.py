"""What one command works on: the config in force, the pack, its channels and a renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from invitepack.channels import Channel, load_channels
from invitepack.config import Config, load_config
from invitepack.pack import Pack, load_pack, locate_pack

if TYPE_CHECKING:
    from invitepack.render import Renderer


@dataclass
class Workspace:
    """Loads lazily, so a command pays only for what it uses."""

    pack_spec: str | None = None
    config_path: Path | None = None
    isolated: bool = False
    account_override: str | None = None
    cwd: Path = field(default_factory=Path.cwd)

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
        return load_pack(self.pack_root, self.config.limits)

    @cached_property
    def channels(self) -> dict[str, Channel]:
        return load_channels(self.config.channels)

    @cached_property
    def renderer(self) -> Renderer:
        from invitepack.render import Renderer  # Jinja2 only for commands that render

        return Renderer(self.pack.root, self.config.limits)
