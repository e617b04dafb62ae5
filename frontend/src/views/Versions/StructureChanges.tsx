/** The structure diff of two versions as lists, linking to the graph overlay. */
import { Link } from "react-router";
import type { StructureDiff } from "../../api/types";
import { TID } from "../../testids";

export function StructureChanges({ dagId, diff, toIsCurrent }: { dagId: string; diff: StructureDiff; toIsCurrent: boolean }) {
  const edge = ([up, down]: string[]) => `${up} → ${down}`;
  const sections: [string, string[]][] = [
    ["Tasks added", diff.tasks.added],
    ["Tasks removed", diff.tasks.removed],
    ["Tasks changed", diff.tasks.changed.map((c) => `${c.task_id} (${c.fields.join(", ")})`)],
    ["Edges added", diff.edges.added.map(edge)],
    ["Edges removed", diff.edges.removed.map(edge)],
    ["DAG attributes changed", diff.dag_fields],
  ];
  const shown = sections.filter(([, items]) => items.length > 0);
  return (
    <section className="structure-diff" data-testid={TID.structureDiff} aria-label="Structure changes">
      {shown.length === 0 ? (
        <p className="small muted">
          No structural change from v{diff.from_version} to v{diff.to_version}.
        </p>
      ) : (
        shown.map(([title, items]) => (
          <div key={title}>
            <h3>
              {title} ({items.length})
            </h3>
            <ul>
              {items.slice(0, 50).map((item) => (
                <li key={item}>{item}</li>
              ))}
              {items.length > 50 && <li className="muted">… {items.length - 50} more</li>}
            </ul>
          </div>
        ))
      )}
      {toIsCurrent && (
        <p className="small">
          <Link to={`/dags/${encodeURIComponent(dagId)}/graph?compare=${diff.from_version}`}>Show these changes on the graph</Link>
        </p>
      )}
    </section>
  );
}
