/** Beside the graph while comparing: the legend and every change, each a button that zooms to it. */
import { useState } from "react";
import type { StructureDiff } from "../../api/types";
import "../../theme/diff.css";
import "./compare.css";
import { TID } from "../../testids";
import { changeList } from "./compareStructures";

const LIST_LIMIT = 200;
const MARK_LABEL = { added: "added", removed: "removed", changed: "changed" } as const;

export function CompareLegend() {
  return (
    <ul className="diff-legend small" aria-label="Comparison legend">
      <li>
        <span className="diff-swatch diff-added" aria-hidden /> added
      </li>
      <li>
        <span className="diff-swatch diff-removed" aria-hidden /> removed (ghost)
      </li>
      <li>
        <span className="diff-swatch diff-changed" aria-hidden /> changed
      </li>
    </ul>
  );
}

export function ComparePanel({ diff, focus, onFocus }: { diff: StructureDiff; focus: string | null; onFocus: (taskId: string) => void }) {
  const items = changeList(diff);
  // Thousands of changes (a big refactor) list quickly: the first ones, the rest on demand.
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? items : items.slice(0, LIST_LIMIT);
  return (
    <aside
      className="compare-panel"
      aria-label={`Changes from v${diff.from_version} to v${diff.to_version}`}
      data-testid={TID.comparePanel}
    >
      <h2 className="small">
        v{diff.from_version} → v{diff.to_version}: {items.length === 0 ? "no structural change" : `${items.length} changes`}
      </h2>
      <CompareLegend />
      {diff.dag_fields.length > 0 && <p className="small muted">DAG attributes changed: {diff.dag_fields.join(", ")}</p>}
      <ul className="compare-list">
        {shown.map((item) => (
          <li key={`${item.mark}:${item.kind}:${item.text}`}>
            <button
              type="button"
              className={`compare-item diff-${item.mark}${item.taskId === focus ? " active" : ""}`}
              onClick={() => onFocus(item.taskId)}
              data-testid={TID.compareItem}
              data-mark={item.mark}
              data-kind={item.kind}
              data-task-id={item.taskId}
            >
              <span className="compare-mark">{MARK_LABEL[item.mark]}</span> <span className="compare-text">{item.text}</span>
              {item.detail && <span className="compare-detail"> · {item.detail}</span>}
            </button>
          </li>
        ))}
      </ul>
      {shown.length < items.length && (
        <button type="button" className="link-button small" onClick={() => setShowAll(true)}>
          Show all {items.length.toLocaleString()} changes
        </button>
      )}
    </aside>
  );
}
