import { useDagDetails } from "../../api/hooks";
import { Markdown } from "../../components/Markdown";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";

/** The DAG's attributes, params and doc_md. */
export default function Details({ dagId }: { dagId: string }) {
  const details = useDagDetails(dagId);
  return (
    <QueryView query={details}>
      {(dag) => (
        <div className="details">
          {dag.doc_md && <Markdown text={dag.doc_md} className="card" testId={TID.docMd} />}
          <section className="card">
            <h3>Attributes</h3>
            <dl className="attributes">
              {dag.display_name && (
                <>
                  <dt>Display name</dt>
                  <dd data-testid={TID.dagDisplayName}>{dag.display_name}</dd>
                </>
              )}
              <dt>Description</dt>
              <dd>{dag.description ?? "—"}</dd>
              <dt>Schedule</dt>
              <dd>
                <code>{dag.schedule.expression ?? dag.schedule.kind}</code> · {dag.schedule.summary}
              </dd>
              <dt>Timezone</dt>
              <dd>{dag.timezone}</dd>
              <dt>Start / end</dt>
              <dd>
                {formatDate(dag.start_date)} → {dag.end_date ? formatDate(dag.end_date) : "no end"}
              </dd>
              <dt>Catchup</dt>
              <dd>{dag.catchup ? "yes" : "no"}</dd>
              <dt>Max active runs / tasks</dt>
              <dd>
                {dag.max_active_runs} / {dag.max_active_tasks}
              </dd>
              {dag.dagrun_timeout !== null && (
                <>
                  <dt>Run timeout</dt>
                  <dd>{dag.dagrun_timeout} s</dd>
                </>
              )}
              <dt>Owners</dt>
              <dd>{dag.owners.join(", ") || "—"}</dd>
              <dt>Tags</dt>
              <dd>{dag.tags.join(", ") || "—"}</dd>
              <dt>Tasks</dt>
              <dd>{dag.task_count}</dd>
              <dt>File</dt>
              <dd>
                <code>{dag.fileloc}</code>
              </dd>
              <dt>Version</dt>
              <dd>
                v{dag.version_number} · <code title={dag.hash}>{dag.hash?.slice(0, 12)}</code>
              </dd>
              <dt>Last parsed</dt>
              <dd>{formatDate(dag.last_parsed_at)}</dd>
            </dl>
          </section>
          <section className="card">
            <h3>Params</h3>
            {Object.keys(dag.params ?? {}).length === 0 ? (
              <p className="muted small">No params.</p>
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>Type</th>
                    <th>Default</th>
                    <th>Description</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(dag.params).map(([name, param]) => (
                    <tr key={name}>
                      <td>
                        <code>{name}</code>
                        {param.required && param.default === null && (
                          <span className="required" title="required">
                            {" "}
                            *
                          </span>
                        )}
                      </td>
                      <td className="small">
                        {Array.isArray(param.type) ? param.type.join(" | ") : (param.type ?? "any")}
                        {param.enum ? ` ∈ {${param.enum.map((v) => JSON.stringify(v)).join(", ")}}` : ""}
                      </td>
                      <td>
                        <code className="small">{param.default === null ? "—" : JSON.stringify(param.default)}</code>
                      </td>
                      <td className="small">{param.description ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {Object.keys(dag.default_args ?? {}).length > 0 && (
            <section className="card">
              <h3>Default args</h3>
              <pre className="log">{JSON.stringify(dag.default_args, null, 2)}</pre>
            </section>
          )}
        </div>
      )}
    </QueryView>
  );
}
