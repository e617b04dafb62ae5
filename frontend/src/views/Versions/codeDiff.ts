/**
 * Rows of a code diff from jsdiff's line diff: unified (one column) or split (old beside new),
 * with long unchanged stretches folded to a few lines of context around each change.
 */
import { diffLines } from "diff";

export type LineKind = "added" | "removed" | "context";

export interface DiffLine {
  kind: LineKind;
  /** 1-based line numbers in the old / new text (null where the line is not on that side). */
  oldNo: number | null;
  newNo: number | null;
}

/** A fold: `count` unchanged lines not shown. */
export interface Fold {
  fold: number;
  /** Index of the first folded row (a stable key). */
  at: number;
}

export interface SplitRow {
  left: DiffLine | null;
  right: DiffLine | null;
}

function splitText(value: string): number {
  const lines = value.split("\n");
  return lines.at(-1) === "" ? lines.length - 1 : lines.length;
}

/** Every line of both texts in order, as jsdiff's line diff orders them. */
export function diffLinesOf(oldText: string, newText: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 1;
  let newNo = 1;
  for (const part of diffLines(oldText, newText)) {
    const count = splitText(part.value);
    for (let i = 0; i < count; i++) {
      if (part.added) out.push({ kind: "added", oldNo: null, newNo: newNo++ });
      else if (part.removed) out.push({ kind: "removed", oldNo: oldNo++, newNo: null });
      else out.push({ kind: "context", oldNo: oldNo++, newNo: newNo++ });
    }
  }
  return out;
}

/** Keeps `context` unchanged lines around each change and folds the rest. */
export function foldContext<T extends { kind: LineKind } | SplitRow>(rows: T[], isContext: (row: T) => boolean, context = 3): (T | Fold)[] {
  const keep = rows.map(() => false);
  rows.forEach((row, i) => {
    if (isContext(row)) return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) keep[j] = true;
  });
  const out: (T | Fold)[] = [];
  let hidden = 0;
  rows.forEach((row, i) => {
    if (keep[i]) {
      if (hidden) out.push({ fold: hidden, at: i - hidden });
      hidden = 0;
      out.push(row);
    } else hidden++;
  });
  if (hidden) out.push({ fold: hidden, at: rows.length - hidden });
  return out;
}

/** Pairs each run of removed lines with the added lines that follow it, side by side. */
export function splitRows(lines: DiffLine[]): SplitRow[] {
  const rows: SplitRow[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].kind === "context") {
      rows.push({ left: lines[i], right: lines[i] });
      i++;
      continue;
    }
    const removed: DiffLine[] = [];
    const added: DiffLine[] = [];
    while (i < lines.length && lines[i].kind === "removed") removed.push(lines[i++]);
    while (i < lines.length && lines[i].kind === "added") added.push(lines[i++]);
    for (let j = 0; j < Math.max(removed.length, added.length); j++) rows.push({ left: removed[j] ?? null, right: added[j] ?? null });
  }
  return rows;
}

/**
 * highlight.js output split into lines, each with its open spans closed and reopened, so a
 * multi-line string or docstring stays coloured on every line it spans.
 */
export function splitHighlighted(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let current = "";
  const tag = /<span[^>]*>|<\/span>|\n/g;
  let last = 0;
  for (let match = tag.exec(html); match; match = tag.exec(html)) {
    current += html.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0] === "\n") {
      lines.push(current + "</span>".repeat(open.length));
      current = open.join("");
    } else if (match[0] === "</span>") {
      open.pop();
      current += match[0];
    } else {
      open.push(match[0]);
      current += match[0];
    }
  }
  lines.push(current + html.slice(last));
  return lines;
}
