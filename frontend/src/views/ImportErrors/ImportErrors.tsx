import { useImportErrors } from "../../api/hooks";
import { EmptyState } from "../../components/EmptyState";
import { Pagination } from "../../components/Pagination";
import { QueryView } from "../../components/QueryView";
import { formatDate, formatRelative } from "../../lib/format";
import { usePaging } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { ReparseButton } from "../Operations/Operations";

/** Files that failed their latest parse; their DAGs keep showing the last good version. */
export function ImportErrors() {
  const { limit, offset, setPage } = usePaging();
  const errors = useImportErrors({ limit, offset });
  return (
    <div className="page">
      <h1 className="page-title">Import errors</h1>
      <QueryView query={errors}>
        {(data) =>
          data.import_errors.length === 0 ? (
            <EmptyState title="No import errors: every DAG file parsed.">
              Files that fail to import are listed here with their traceback.
            </EmptyState>
          ) : (
            <>
              <ul className="import-errors">
                {data.import_errors.map((error) => (
                  <li key={error.import_error_id} className="card" data-testid={TID.importError}>
                    <header className="card-head">
                      <code className="filename">{error.filename}</code>
                      <span className="muted small" title={formatDate(error.timestamp)}>
                        {formatRelative(error.timestamp)}
                      </span>
                    </header>
                    <p className="error-message">{error.message}</p>
                    <ReparseButton fileloc={error.filename} />
                    {error.stack_trace && (
                      <details>
                        <summary>Traceback</summary>
                        <pre className="log">{error.stack_trace}</pre>
                      </details>
                    )}
                  </li>
                ))}
              </ul>
              <Pagination offset={offset} limit={limit} total={data.total_entries} onChange={setPage} />
            </>
          )
        }
      </QueryView>
    </div>
  );
}
