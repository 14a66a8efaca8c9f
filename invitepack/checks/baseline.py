"""The commit a pack's templates are compared with for version bumps: HEAD (what pre-commit
is about to build on) or `validate --base REF` (a pull request's merge base, in CI).

When there is nothing to compare with, the run says so (a notice), rather than passing in
silence; when an asked-for REF cannot be read, that is an error (exit 2)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from invitepack.errors import LoadError

HEAD = "HEAD"
_SHA = re.compile(r"^[0-9a-f]{40}$")
_SHALLOW_HINT = (
    "this clone is shallow (CI checkouts are, by default): fetch the history the comparison "
    "needs, e.g. `fetch-depth: 0` for actions/checkout, or `git fetch --unshallow`"
)


@dataclass(frozen=True)
class Baseline:
    """A commit of the git work tree around a pack, to read files as they were there."""

    ref: str  # as given: HEAD, HEAD~1, origin/main, a commit id
    top: Path  # the work tree's top folder
    # The commit id an explicit REF resolved to; None for HEAD, which is read as it is at each
    # read, so a long-running caller (the language server) follows new commits.
    commit: str | None = None

    @property
    def described(self) -> str:
        """How messages name it: "the last commit", or the REF given to --base."""
        if self.ref == HEAD:
            return "the last commit"
        return self.ref[:12] if _SHA.match(self.ref) else self.ref

    def read(self, path: Path) -> str | None:
        """The file as of this commit (LF line endings), or None: outside the work tree, or
        not in that commit (a new file)."""
        resolved = path.resolve()
        if not resolved.is_relative_to(self.top):
            return None
        rel = resolved.relative_to(self.top).as_posix()
        shown = _git(self.top, "show", f"{self.commit or HEAD}:{rel}")
        if shown is None or shown.returncode != 0:
            return None
        return shown.stdout.decode("utf-8", "replace").replace("\r\n", "\n")


def find_baseline(folder: Path, base: str | None = None) -> tuple[Baseline | None, str | None]:
    """The commit to compare `folder`'s pack with, and a notice when there is none or the
    comparison is weaker than it looks. `base` None means HEAD (None outside git; before the
    first commit, a HEAD that reads nothing yet); an explicit `base` that cannot be read
    raises LoadError naming the cause (not a repository, an unknown or unfetched commit)
    instead of a notice, because the caller asked for it."""
    asked = f"--base {base}: " if base is not None else ""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        if base is not None:
            raise LoadError(f"{asked}git was not found", hint="install git, or drop --base")
        return None, "version bumps not checked: git was not found"
    if top.returncode != 0:
        if base is not None:
            raise LoadError(
                f"{asked}the pack is not in a git repository ({folder})",
                hint="run it in a clone of the template repository",
            )
        return None, "version bumps not checked: the pack is not in a git repository"
    root = Path(top.stdout.decode().strip()).resolve()
    shallow = _is_shallow(root)
    if base is None:
        notice = None
        if _resolve(root, HEAD) is None:
            notice = "version bumps not checked: the repository has no commits yet"
        elif shallow:
            notice = (
                "version bumps compared with the last commit only, and this clone is shallow "
                "(a CI checkout?): pass --base with the merge base of the change to check what "
                "it changed"
            )
        return Baseline(HEAD, root), notice
    commit = _resolve(root, base)
    if commit is None:
        raise LoadError(
            f"{asked}no such commit in this clone",
            hint=_SHALLOW_HINT
            if shallow
            else f"fetch it first (e.g. `git fetch origin main`), or check the name with "
            f"`git rev-parse {base}`",
        )
    return Baseline(base, root, commit), None


def _resolve(top: Path, ref: str) -> str | None:
    if ref.startswith("-"):
        return None  # never an option to git
    found = _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if found is None or found.returncode != 0:
        return None
    return found.stdout.decode().strip() or None


def _is_shallow(top: Path) -> bool:
    found = _git(top, "rev-parse", "--is-shallow-repository")
    return found is not None and found.stdout.decode().strip() == "true"


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run git; None when git cannot be run at all."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
