import { useState } from "react";
import { useBackfillDryRun, useCreateBackfill } from "../../api/backfills";
import { ApiError } from "../../api/client";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Modal } from "../../components/Modal";
import { formatDate } from "../../lib/format";
import { TID } from "../../testids";
import { type BackfillForm, bodyFromForm, EMPTY_FORM } from "./backfillModel";

const REPROCESS: [BackfillForm["reprocess"], string][] = [
  ["none", "Skip dates that already have a run"],
  ["failed", "Re-run dates whose run failed"],
  ["completed", "Re-run every finished date"],
];

/** Create a backfill: a date range and its options, with a live preview of the runs it would queue. */
export function BackfillDialog({ dagId, onClose, onCreated }: { dagId: string; onClose: () => void; onCreated: () => void }) {
  const [form, setForm] = useState<BackfillForm>(EMPTY_FORM);
  const set = <K extends keyof BackfillForm>(key: K, value: BackfillForm[K]) => setForm((current) => ({ ...current, [key]: value }));
  const built = bodyFromForm(dagId, form);
  const body = "body" in built ? built.body : null;
  const preview = useBackfillDryRun(dagId, body);
  const create = useCreateBackfill(dagId);
  const problem = create.error ?? preview.error;
  const fieldErrors = problem instanceof ApiError && problem.status < 500 ? problem.fieldErrors : {};
  const runs = body && preview.data && !preview.isError ? preview.data.backfills : null;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (body) create.mutate(body, { onSuccess: () => onCreated() });
  };

  return (
    <Modal title={`Backfill ${dagId}`} onClose={onClose} wide>
      <form onSubmit={submit} className="trigger-form" noValidate>
        <div className="field-row">
          <DateField
            label="From (UTC)"
            value={form.from}
            onChange={(v) => set("from", v)}
            testId={TID.backfillFrom}
            errors={fieldErrors.from_date}
          />
          <DateField label="To (UTC)" value={form.to} onChange={(v) => set("to", v)} testId={TID.backfillTo} errors={fieldErrors.to_date} />
        </div>
        <label className="field">
          <span className="field-label">Existing runs</span>
          <select
            value={form.reprocess}
            onChange={(event) => set("reprocess", event.target.value as BackfillForm["reprocess"])}
            data-testid={TID.backfillReprocess}
          >
            {REPROCESS.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
          <span className="field-help">Runs still queued or running are never touched.</span>
        </label>
        <label className="field">
          <span className="field-label">Max active runs</span>
          <input
            type="number"
            min={1}
            value={form.maxActiveRuns}
            onChange={(event) => set("maxActiveRuns", event.target.value)}
            data-testid={TID.backfillMaxActiveRuns}
          />
          <FieldErrors errors={fieldErrors.max_active_runs} />
        </label>
        <label className="field field-inline">
          <input type="checkbox" checked={form.runBackwards} onChange={(event) => set("runBackwards", event.target.checked)} />
          <span>Newest date first</span>
        </label>
        <details className="advanced">
          <summary>Run conf</summary>
          <label className="field">
            <span className="field-label">Conf of every run (JSON object)</span>
            <textarea
              className="mono"
              rows={5}
              value={form.conf}
              onChange={(event) => set("conf", event.target.value)}
              spellCheck={false}
            />
          </label>
        </details>
        {Object.entries(fieldErrors)
          .filter(([field]) => !["from_date", "to_date", "max_active_runs"].includes(field))
          .map(([field, messages]) => (
            <p key={field} className="field-error" data-testid={TID.fieldError}>
              {field}: {messages.join("; ")}
            </p>
          ))}
        {problem && !(problem instanceof ApiError && problem.status < 500) ? <ErrorPanel error={problem} /> : null}
        {create.error instanceof ApiError && create.error.status === 409 ? (
          <p className="field-error">{create.error.problem.detail}</p>
        ) : null}
        <section className="backfill-preview" aria-live="polite">
          {"problem" in built ? (
            <p className="muted">{built.problem}</p>
          ) : runs ? (
            <>
              <p>
                {runs.length === 0
                  ? "No run to create: every date already has one."
                  : `${runs.length} run${runs.length === 1 ? "" : "s"} will be queued:`}
              </p>
              <ol className="backfill-runs small" data-testid={TID.backfillPreview}>
                {runs.map((run) => (
                  <li key={run.logical_date} data-logical-date={run.logical_date} data-action={run.action}>
                    {formatDate(run.logical_date)}
                    {run.action === "reprocess" && <span className="muted"> (re-run)</span>}
                  </li>
                ))}
              </ol>
            </>
          ) : preview.isFetching ? (
            <p className="muted">Working out the runs…</p>
          ) : null}
        </section>
        <footer className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!runs || create.isPending} data-testid={TID.backfillSubmit}>
            {create.isPending ? "Creating…" : "Create backfill"}
          </button>
        </footer>
      </form>
    </Modal>
  );
}

function DateField({
  label,
  value,
  onChange,
  testId,
  errors,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  errors?: string[];
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type="datetime-local" value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId} />
      <FieldErrors errors={errors} />
    </label>
  );
}

function FieldErrors({ errors }: { errors?: string[] }) {
  return errors?.length ? (
    <span className="field-error" data-testid={TID.fieldError}>
      {errors.join("; ")}
    </span>
  ) : null;
}
