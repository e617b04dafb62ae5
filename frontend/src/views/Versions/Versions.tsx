import { Link } from "react-router";
import { useVersions } from "../../api/hooks";
import { EmptyState } from "../../components/EmptyState";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";

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

/** Immutable versions of the DAG: a new one for every change of its canonical document. */
export function Versions({ dagId }: { dagId: string }) {
  const versions = useVersions(dagId);
  return (
    <QueryView query={versions}>
      {(data) =>
        data.versions.length === 0 ? (
          <EmptyState title="No versions stored." />
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Created</th>
                  <th>Tasks</th>
                  <th>Hash</th>
                  <th>Revision</th>
                  <th />
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
                      <Link to={`/dags/${encodeURIComponent(dagId)}/code?version=${version.version_number}`}>code</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </QueryView>
  );
}
