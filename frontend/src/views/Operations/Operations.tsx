/** "Reparse now" for a file, and deleting the metadata of a DAG that no file defines any more. */
import { useState } from "react";
import { useNavigate } from "react-router";
import { useAllowed } from "../../api/auth";
import { useDeleteDag, useReparse } from "../../api/insights";
import type { Dag } from "../../api/types";
import { Modal } from "../../components/Modal";
import { TID } from "../../testids";

/** Only for op and admin: a parse request needs the op role. */
export function ReparseButton({ fileloc }: { fileloc: string }) {
  const reparse = useReparse();
  if (!useAllowed("op").allowed) return null;
  return (
    <span className="reparse">
      <button
        type="button"
        className="button small"
        onClick={() => reparse.mutate(fileloc)}
        disabled={reparse.isPending}
        title={`Ask the processor to parse ${fileloc} again now`}
        data-testid={TID.reparseButton}
      >
        ⟳ Reparse
      </button>
      <span className="small muted" role="status">
        {reparse.isSuccess ? "requested: the processor parses it within a second" : reparse.isError ? String(reparse.error) : ""}
      </span>
    </span>
  );
}

/** Shown on the DAG page: reparse for op and admin; delete for admin, once no file defines the DAG. */
export function DagOperations({ dag }: { dag: Dag }) {
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteDag();
  const navigate = useNavigate();
  const admin = useAllowed("admin").allowed;
  return (
    <>
      <ReparseButton fileloc={dag.fileloc} />
      {!dag.is_active && admin && (
        <span className="small">
          <span className="field-error">No file defines this DAG any more.</span>{" "}
          <button type="button" className="button small danger" onClick={() => setConfirming(true)} data-testid={TID.deleteDagButton}>
            Delete…
          </button>
        </span>
      )}
      {confirming && (
        <Modal title={`Delete ${dag.dag_id}?`} onClose={() => setConfirming(false)}>
          <p>
            This deletes every version, run, task instance and log of <strong>{dag.dag_id}</strong> from the database. It cannot be undone.
          </p>
          {remove.isError && <p className="field-error">{String(remove.error)}</p>}
          <div className="modal-actions">
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button primary"
              disabled={remove.isPending}
              onClick={() => remove.mutate(dag.dag_id, { onSuccess: () => navigate("/") })}
              data-testid={TID.deleteDagConfirm}
            >
              Delete {dag.dag_id}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
