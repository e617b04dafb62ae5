"""Which revision of the DAG folder a pass read: the symlink target and the git commit.

A sync side-car (git-sync) checks every revision out into its own folder and
swaps a symlink to it. Each pass resolves the link once and reads only that
folder, and the versions it creates record the target and, where the folder
is a git work tree, the commit, so users see which checkout a version came
from. Git's own files are read directly: no git binary is needed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_OBJECT_ID = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class Revision:
    root: Path  # the real folder this pass reads (the link target, or the folder itself)
    target: str | None  # the root, when the configured folder goes through a symlink
    commit: str | None  # the checked-out commit, when the root is inside a git work tree


def read_revision(folder: Path) -> Revision:
    """Resolve ``folder`` now (a later swap does not change what this pass reads)."""
    root = Path(os.path.realpath(folder))
    target = str(root) if root != Path(os.path.abspath(folder)) else None
    return Revision(root, target, git_commit(root))


def git_commit(folder: Path) -> str | None:
    """The commit checked out in the work tree holding ``folder``, or None."""
    for candidate in (folder, *folder.parents):
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            return _head(dot_git)
        if dot_git.is_file():  # a linked work tree: "gitdir: <path>"
            text = _read(dot_git)
            if text and text.startswith("gitdir:"):
                return _head((candidate / text.removeprefix("gitdir:").strip()).resolve())
            return None
    return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except (OSError, UnicodeDecodeError):
        return None


def _head(git_dir: Path) -> str | None:
    head = _read(git_dir / "HEAD")
    if head is None or not head.startswith("ref:"):
        return head if head and _OBJECT_ID.match(head) else None
    ref = head.removeprefix("ref:").strip()
    common = _read(git_dir / "commondir")
    for base in (git_dir, (git_dir / common).resolve() if common else None):
        if base is None:
            continue
        found = _read(base / ref)
        if found and _OBJECT_ID.match(found):
            return found
        for line in (_read(base / "packed-refs") or "").splitlines():
            object_id, _, name = line.partition(" ")
            if name == ref and _OBJECT_ID.match(object_id):
                return object_id
    return None
