"""Converting a file or a folder, in place or into a destination."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from dagkeeper.convert.imports import Unmapped, convert_source


@dataclass
class Report:
    converted: int = 0
    unmapped: list[tuple[Path, Unmapped]] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unmapped and not self.errors


def _pairs(source: Path, destination: Path) -> list[tuple[Path, Path]]:
    if source.is_file():
        target = destination / source.name if destination.is_dir() else destination
        return [(source, target)]
    return [
        (path, destination / path.relative_to(source))
        for path in sorted(source.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    ]


def convert_path(source: Path, destination: Path | None = None) -> Report:
    """Convert every ``*.py`` under ``source``; other files are copied along (templates)."""
    report = Report()
    for src, dest in _pairs(source, destination or source):
        if src.suffix != ".py":
            if src != dest:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
            continue
        try:
            text = src.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            report.errors.append((src, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
            continue
        try:
            new_text, unmapped = convert_source(text)
        except SyntaxError as exc:
            report.errors.append((src, f"{exc.lineno}: {exc.msg}"))
            new_text, unmapped = text, []
        report.unmapped += [(src, u) for u in unmapped]
        if new_text != text or src != dest:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(new_text, encoding="utf-8")
        report.converted += new_text != text
    return report
