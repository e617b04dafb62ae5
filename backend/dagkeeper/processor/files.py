"""Which files in the DAG folder are DAG files.

Every ``*.py`` file under the folder, recursively, except what a
``.dagkeeperignore`` file excludes. Each such file holds gitignore-style
patterns that apply to the folder it sits in and everything below it, exactly
like a ``.gitignore``. Every remaining file is parsed: there is no "might
contain a DAG" heuristic, so a DAG built by a helper function is never missed.
"""

from __future__ import annotations

import os
from pathlib import Path

from pathspec import GitIgnoreSpec

IGNORE_FILE = ".dagkeeperignore"
_SKIPPED_DIRS = {"__pycache__"}

_Rules = list[tuple[Path, GitIgnoreSpec]]  # (folder the patterns are relative to, patterns)


def _with_rules_of(folder: Path, rules: _Rules) -> _Rules:
    ignore_file = folder / IGNORE_FILE
    if not ignore_file.is_file():
        return rules
    lines = ignore_file.read_text(errors="replace").splitlines()
    return [*rules, (folder, GitIgnoreSpec.from_lines(lines))]


def _ignored(path: Path, rules: _Rules, *, is_dir: bool) -> bool:
    for base, spec in rules:
        relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
        if spec.match_file(relative):
            return True
    return False


def find_dag_files(folder: Path) -> list[str]:
    """Every DAG file under ``folder`` as a path relative to it, sorted, honouring
    ``.dagkeeperignore`` files.

    Symlinked sub-folders are followed (a sync side-car may link team folders in),
    each real folder once, so a link loop cannot make the walk endless. Plain
    strings, not ``Path`` objects: a re-scan of 10,000 files walks this every time.
    """
    folder = Path(folder)
    top = str(folder)
    found: list[str] = []
    rules_of: dict[str, _Rules] = {top: _with_rules_of(folder, [])}
    seen = {os.path.realpath(folder)}
    for root, dirs, files in os.walk(top, followlinks=True):
        rules = rules_of.pop(root)
        prefix = "" if root == top else os.path.relpath(root, top).replace(os.sep, "/") + "/"
        kept = []
        for name in sorted(dirs):
            child = os.path.join(root, name)
            if name in _SKIPPED_DIRS or rules and _ignored(Path(child), rules, is_dir=True):
                continue
            real = os.path.realpath(child)
            if real not in seen:
                seen.add(real)
                rules_of[child] = _with_rules_of(Path(child), rules)
                kept.append(name)
        dirs[:] = kept
        found += (
            prefix + name
            for name in files
            if name.endswith(".py")
            and not (rules and _ignored(Path(root, name), rules, is_dir=False))
        )
    return sorted(found)


def is_dag_file(folder: Path, path: Path) -> bool:
    """Whether ``path`` (inside ``folder``) is a DAG file, checking the ignore rules above it."""
    folder, path = Path(folder), Path(path)
    if path.suffix != ".py" or not path.is_relative_to(folder):
        return False
    rules = _with_rules_of(folder, [])
    current = folder
    for part in path.relative_to(folder).parts[:-1]:
        current = current / part
        if part in _SKIPPED_DIRS or _ignored(current, rules, is_dir=True):
            return False
        rules = _with_rules_of(current, rules)
    return not _ignored(path, rules, is_dir=False)
