"""Rewriting the import statements of one file, found with the standard ``ast``.

Each peer import statement is replaced by the same number of lines: the new
statements joined with ``;`` on its first line, the last one parenthesised
and padded with newlines, which Python allows inside parentheses at any
indentation. Code that is not an import is never touched.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass

from dagkeeper.convert.names import is_peer_module, target_of


@dataclass(frozen=True)
class Unmapped:
    line: int
    what: str  # "airflow.models.Variable", "import airflow"


def _render(statements: list[tuple[str, list[str]]], extra_lines: int) -> str:
    parts = [f"from {module} import {', '.join(names)}" for module, names in statements[:-1]]
    module, names = statements[-1]
    if extra_lines:
        parts.append(f"from {module} import ({', '.join(names)}" + "\n" * extra_lines + ")")
    else:
        parts.append(f"from {module} import {', '.join(names)}")
    return "; ".join(parts)


def _alias(name: str, local: str) -> str:
    return name if name == local else f"{name} as {local}"


def _replacement(node: ast.ImportFrom) -> tuple[str, list[Unmapped]]:
    """The new text of one ``from airflow... import ...`` and the names left unmapped."""
    module = node.module or ""
    groups: dict[str, list[str]] = defaultdict(list)
    kept: list[str] = []  # the names we cannot map stay in an import from the peer's module
    unmapped: list[Unmapped] = []
    for alias in node.names:
        local = alias.asname or alias.name
        target = None if alias.name == "*" else target_of(module, alias.name)
        if target is None:
            kept.append(_alias(alias.name, local))
            unmapped.append(Unmapped(node.lineno, f"{module}.{alias.name}"))
        else:
            groups[target[0]].append(_alias(target[1], local))
    extra = (node.end_lineno or node.lineno) - node.lineno
    return _render([*groups.items(), *([(module, kept)] if kept else [])], extra), unmapped


def convert_source(source: str) -> tuple[str, list[Unmapped]]:
    """``source`` with the peer's imports rewritten, and what could not be mapped.

    Raises ``SyntaxError`` for a file Python cannot parse.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits: list[tuple[ast.stmt, str]] = []
    unmapped: list[Unmapped] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and is_peer_module(node.module or "")
        ):
            text, missing = _replacement(node)
            edits.append((node, text))
            unmapped += missing
        elif isinstance(node, ast.Import):
            unmapped += [
                Unmapped(node.lineno, f"import {alias.name}")
                for alias in node.names
                if is_peer_module(alias.name)
            ]
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        lines = _splice(lines, node, text)
    return "".join(lines), sorted(unmapped, key=lambda u: (u.line, u.what))


def _splice(lines: list[str], node: ast.stmt, text: str) -> list[str]:
    """Replace the node's span (ast offsets count UTF-8 bytes) with ``text``."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    head = lines[first].encode()[: node.col_offset].decode()
    tail = lines[last].encode()[node.end_col_offset :].decode()
    return [*lines[:first], *(head + text + tail).splitlines(keepends=True), *lines[last + 1 :]]
