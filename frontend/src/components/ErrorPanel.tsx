import { ApiError } from "../api/client";
import { TID } from "../testids";

/** Shows the API's problem title and detail, never a blank area. */
export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const title = error instanceof ApiError ? error.problem.title : "Something went wrong";
  const detail = error instanceof ApiError ? error.problem.detail : error instanceof Error ? error.message : String(error);
  const status = error instanceof ApiError && error.status ? ` (${error.status})` : "";
  return (
    <div className="error-panel" role="alert" data-testid={TID.errorPanel}>
      <strong>
        {title}
        {status}
      </strong>
      {detail && <p>{detail}</p>}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
