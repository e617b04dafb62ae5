/** Two stored sources of a DAG compared line by line, highlighted, unified or side by side. */
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import { useMemo } from "react";
import type { DagSource } from "../../api/types";
import { TID } from "../../testids";
import "../../theme/diff.css";
import "../Code/highlight.css";
import "./versions.css";
import { type DiffLine, diffLinesOf, type Fold, foldContext, type SplitRow, splitHighlighted, splitRows } from "./codeDiff";

hljs.registerLanguage("python", python);

export type DiffMode = "split" | "unified";

const SIGN = { added: "+", removed: "−", context: " " } as const;

function highlightLines(source: string) {
  // highlight.js escapes the source; its output holds only its own span markup.
  return splitHighlighted(hljs.highlight(source, { language: "python" }).value);
}

const isFold = (row: unknown): row is Fold => typeof row === "object" && row !== null && "fold" in row;

export function CodeDiff({ before, after, mode }: { before: DagSource; after: DagSource; mode: DiffMode }) {
  const oldHtml = useMemo(() => highlightLines(before.source), [before.source]);
  const newHtml = useMemo(() => highlightLines(after.source), [after.source]);
  const lines = useMemo(() => diffLinesOf(before.source, after.source), [before.source, after.source]);
  const changed = lines.some((line) => line.kind !== "context");
  const rows = useMemo(
    () =>
      mode === "unified"
        ? foldContext(lines, (line) => line.kind === "context")
        : foldContext(splitRows(lines), (row) => row.left?.kind === "context"),
    [lines, mode],
  );
  const code = (html: string | undefined) => (
    // biome-ignore lint/security/noDangerouslySetInnerHtml: highlight.js escapes the source and adds only its own spans
    <code dangerouslySetInnerHTML={{ __html: html ?? "" }} />
  );
  const codeCell = (line: DiffLine) => (
    <td className={`diff-code diff-${line.kind}`} data-testid={TID.diffLine} data-diff={line.kind}>
      <span className="diff-sign" aria-hidden>
        {SIGN[line.kind]}
      </span>
      {code(line.kind === "removed" ? oldHtml[line.oldNo! - 1] : newHtml[line.newNo! - 1])}
    </td>
  );
  const side = (line: DiffLine | null, which: "old" | "new") =>
    line ? (
      <>
        <td className="diff-no">{which === "old" ? line.oldNo : line.newNo}</td>
        {codeCell(line)}
      </>
    ) : (
      <>
        <td className="diff-no" />
        <td className="diff-code diff-empty" />
      </>
    );
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard (WCAG 2.1.1)
    <div className="code-diff hljs" data-testid={TID.codeDiff} data-mode={mode} tabIndex={0} role="region" aria-label="Code changes">
      {!changed && <p className="muted small">The two versions have the same source.</p>}
      <table className="diff-table">
        <caption className="sr-only">
          Source of {before.fileloc} at v{before.version_number} compared with v{after.version_number}
        </caption>
        <thead className="sr-only">
          <tr>
            {mode === "unified" ? (
              <>
                <th scope="col">old line</th>
                <th scope="col">new line</th>
                <th scope="col">code</th>
              </>
            ) : (
              <>
                <th scope="col">v{before.version_number} line</th>
                <th scope="col">v{before.version_number} code</th>
                <th scope="col">v{after.version_number} line</th>
                <th scope="col">v{after.version_number} code</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) =>
            isFold(row) ? (
              <tr key={`fold${row.at}`} className="diff-fold">
                <td colSpan={mode === "unified" ? 3 : 4}>⋯ {row.fold} unchanged lines</td>
              </tr>
            ) : mode === "unified" ? (
              <tr key={`${(row as DiffLine).oldNo}:${(row as DiffLine).newNo}`}>
                <td className="diff-no">{(row as DiffLine).oldNo ?? ""}</td>
                <td className="diff-no">{(row as DiffLine).newNo ?? ""}</td>
                {codeCell(row as DiffLine)}
              </tr>
            ) : (
              <tr key={`${(row as SplitRow).left?.oldNo}:${(row as SplitRow).right?.newNo}`}>
                {side((row as SplitRow).left, "old")}
                {side((row as SplitRow).right, "new")}
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
