import { lazy, Suspense } from "react";
import { Link } from "react-router";
import { useSource, useVersions } from "../../api/hooks";
import { useStructureDiff } from "../../api/insights";
import type { DagVersion } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { QueryView } from "../../components/QueryView";
import { Skeleton } from "../../components/Skeleton";
import { formatDate } from "../../lib/format";
import { useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import type { DiffMode } from "./CodeDiff";
import { StructureChanges } from "./StructureChanges";

/** Which checkout of the DAG folder a version was read from: the swapped-in folder and its commit. */
function Revision({ revision, commit }: { revision: string | null; commit: string | null }) {
  if (!revision && !commit) return <span className="muted">-</span>;
  const folder = revision?.split("/").filter(Boolean).pop();
  return (
    <span title={[revision, commit].filter(Boolean).join("\n")}>
      {folder}
      {folder && commit ? " " : ""}
      {commit ? <code>{commit.slice(0, 12)}</code> : null}
    </span>
  );
}

// The highlighter and the diff library load only when a comparison is shown.
const CodeDiff = lazy(() => import("./CodeDiff").then((m) => ({ default: m.CodeDiff })));

/** Immutable versions of the DAG, and what changed between any two of them (structure and code). */
export function Versions({ dagId }: { dagId: string }) {
  const versions = useVersions(dagId);
  const enc = encodeURIComponent(dagId);
  return (
    <QueryView query={versions}>
      {(data) =>
        data.versions.length === 0 ? (
          <EmptyState title="No versions stored." />
        ) : (
          <>
            {data.versions.length > 1 && <Compare dagId={dagId} versions={data.versions} />}
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Created</th>
                    <th>Tasks</th>
                    <th>Hash</th>
                    <th>Revision</th>
                    <th>
                      <span className="sr-only">Links</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.versions.map((version) => (
                    <tr key={version.version_number} data-testid={TID.versionRow} data-version={version.version_number}>
                      <td>v{version.version_number}</td>
                      <td className="small">{formatDate(version.created_at)}</td>
                      <td className="small">{version.task_count}</td>
                      <td>
                        <code className="small" title={version.hash}>
                          {version.hash.slice(0, 12)}
                        </code>
                      </td>
                      <td className="small" data-testid={TID.versionRevision}>
                        <Revision revision={version.revision} commit={version.git_commit} />
                      </td>
                      <td className="small">
                        <Link to={`/dags/${enc}/code?version=${version.version_number}`}>code</Link>
                        {version.version_number > 1 && (
                          <>
                            {" · "}
                            <Link to={`/dags/${enc}/versions?from=${version.version_number - 1}&to=${version.version_number}`}>
                              changes from v{version.version_number - 1}
                            </Link>
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      }
    </QueryView>
  );
}

function Compare({ dagId, versions }: { dagId: string; versions: DagVersion[] }) {
  const [params, update] = useUrlState();
  const newest = versions[0].version_number;
  const from = Number(params.get("from")) || versions[1].version_number;
  const to = Number(params.get("to")) || newest;
  const mode: DiffMode = params.get("mode") === "unified" ? "unified" : "split";
  const diff = useStructureDiff(dagId, { version: from }, { version: to });
  const before = useSource(dagId, from);
  const after = useSource(dagId, to);
  const select = (name: "from" | "to", value: number) => (
    <select
      value={value}
      onChange={(event) => update({ [name]: event.target.value })}
      aria-label={name === "from" ? "Compare from version" : "Compare to version"}
    >
      {!versions.some((v) => v.version_number === value) && <option value={value}>v{value}</option>}
      {versions.map((v) => (
        <option key={v.version_number} value={v.version_number}>
          v{v.version_number} · {formatDate(v.created_at)}
        </option>
      ))}
    </select>
  );
  const source = (data: typeof before.data) =>
    data && (
      <span className="muted small">
        v{data.version_number}: <code>{data.fileloc}</code> · source <code title={data.source_hash}>{data.source_hash.slice(0, 10)}</code>
      </span>
    );
  return (
    <section className="compare-versions" aria-label="Compare versions">
      <div className="compare-bar">
        <span className="small">
          Compare {select("from", from)} with {select("to", to)}
        </span>
        <div className="segmented" role="group" aria-label="Code diff layout">
          {(["split", "unified"] as const).map((value) => (
            <button
              type="button"
              key={value}
              className={mode === value ? "active" : ""}
              aria-pressed={mode === value}
              onClick={() => update({ mode: value === "split" ? null : value })}
            >
              {value === "split" ? "side by side" : "unified"}
            </button>
          ))}
        </div>
        {source(before.data)}
        {source(after.data)}
      </div>
      {diff.isError ? (
        <ErrorPanel error={diff.error} />
      ) : diff.data ? (
        <StructureChanges dagId={dagId} diff={diff.data} toIsCurrent={to === newest} />
      ) : (
        <Skeleton rows={2} />
      )}
      {before.isError || after.isError ? (
        <ErrorPanel error={before.error ?? after.error} />
      ) : before.data && after.data && before.data.version_number === from && after.data.version_number === to ? (
        <Suspense fallback={<Skeleton rows={8} />}>
          <CodeDiff before={before.data} after={after.data} mode={mode} />
        </Suspense>
      ) : (
        <Skeleton rows={8} />
      )}
    </section>
  );
}
