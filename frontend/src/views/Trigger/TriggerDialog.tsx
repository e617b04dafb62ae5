import { useMemo, useState } from "react";
import { useNavigate } from "react-router";
import { ApiError } from "../../api/client";
import { useDagDetails, useTriggerDag } from "../../api/hooks";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Markdown } from "../../components/Markdown";
import { Modal } from "../../components/Modal";
import { Skeleton } from "../../components/Skeleton";
import { TID } from "../../testids";
import {
  confFromValues,
  type Field,
  type FieldValue,
  fieldsFromParams,
  optionLabel,
  placeServerErrors,
  valuesFromConf,
} from "./paramsForm";

/** Trigger a run: a form built from the DAG's params, or raw JSON conf. */
export function TriggerDialog({ dagId, onClose }: { dagId: string; onClose: () => void }) {
  const details = useDagDetails(dagId);
  return (
    <Modal title={`Trigger ${dagId}`} onClose={onClose} wide>
      {details.data ? (
        <TriggerForm dagId={dagId} params={details.data.params ?? {}} onClose={onClose} />
      ) : details.isError ? (
        <ErrorPanel error={details.error} />
      ) : (
        <Skeleton rows={4} />
      )}
    </Modal>
  );
}

function TriggerForm({ dagId, params, onClose }: { dagId: string; params: Parameters<typeof fieldsFromParams>[0]; onClose: () => void }) {
  const fields = useMemo(() => fieldsFromParams(params), [params]);
  const [values, setValues] = useState<Record<string, FieldValue>>(() => valuesFromConf(fields, {}));
  const [mode, setMode] = useState<"form" | "json">(fields.length ? "form" : "json");
  const [json, setJson] = useState("{}");
  const [runId, setRunId] = useState("");
  const [note, setNote] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [jsonError, setJsonError] = useState<string | null>(null);
  const trigger = useTriggerDag(dagId);
  const navigate = useNavigate();

  // In the JSON editor no field is on screen, so every message goes above it.
  const serverErrors =
    trigger.error instanceof ApiError && trigger.error.status === 400
      ? placeServerErrors(mode === "form" ? fields : [], trigger.error.fieldErrors)
      : null;

  const switchMode = (next: "form" | "json") => {
    if (next === mode) return;
    if (next === "json") {
      setJson(JSON.stringify(confFromValues(fields, values).conf, null, 2));
    } else {
      try {
        setValues(valuesFromConf(fields, JSON.parse(json) as Record<string, unknown>));
        setJsonError(null);
      } catch {
        setJsonError("Fix the JSON before switching back to the form.");
        return;
      }
    }
    setMode(next);
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    let conf: Record<string, unknown>;
    if (mode === "form") {
      const result = confFromValues(fields, values);
      setLocalErrors(result.errors);
      if (Object.keys(result.errors).length) return;
      conf = result.conf;
    } else {
      try {
        const parsed: unknown = JSON.parse(json);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
        conf = parsed as Record<string, unknown>;
        setJsonError(null);
      } catch {
        setJsonError('Conf must be a JSON object, e.g. {"key": "value"}.');
        return;
      }
    }
    trigger.mutate(
      { conf, ...(runId ? { run_id: runId } : {}), ...(note ? { note } : {}) },
      {
        onSuccess: (run) => {
          onClose();
          navigate(`/dags/${encodeURIComponent(dagId)}/grid?run_id=${encodeURIComponent(run.run_id)}`);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} className="trigger-form" noValidate>
      <div className="segmented" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={mode === "form"}
          className={mode === "form" ? "active" : ""}
          onClick={() => switchMode("form")}
        >
          Params ({fields.length})
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={mode === "json"}
          className={mode === "json" ? "active" : ""}
          onClick={() => switchMode("json")}
        >
          JSON conf
        </button>
      </div>
      {serverErrors?.general.length ? (
        <div className="error-panel" role="alert">
          <strong>{trigger.error instanceof ApiError ? trigger.error.problem.title : "Invalid"}</strong>
          <ul>
            {serverErrors.general.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {trigger.error && !(trigger.error instanceof ApiError && trigger.error.status === 400) ? <ErrorPanel error={trigger.error} /> : null}
      {mode === "form" ? (
        fields.length === 0 ? (
          <p className="muted">This DAG declares no params. Use the JSON conf tab to pass any conf.</p>
        ) : (
          fields.map((field) => (
            <ParamField
              key={field.name}
              field={field}
              value={values[field.name]}
              errors={[...(localErrors[field.name] ? [localErrors[field.name]] : []), ...(serverErrors?.fields[field.name] ?? [])]}
              onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            />
          ))
        )
      ) : (
        <label className="field">
          <span className="field-label">Conf (JSON object)</span>
          <textarea className="mono" rows={12} value={json} onChange={(event) => setJson(event.target.value)} spellCheck={false} />
          {jsonError && <span className="field-error">{jsonError}</span>}
        </label>
      )}
      <details className="advanced">
        <summary>Run id and note</summary>
        <label className="field">
          <span className="field-label">Run id (optional)</span>
          <input value={runId} onChange={(event) => setRunId(event.target.value)} placeholder="manual__<time>" />
        </label>
        <label className="field">
          <span className="field-label">Note (optional)</span>
          <input value={note} onChange={(event) => setNote(event.target.value)} />
        </label>
      </details>
      <footer className="modal-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={trigger.isPending} data-testid={TID.triggerSubmit}>
          {trigger.isPending ? "Triggering…" : "Trigger"}
        </button>
      </footer>
    </form>
  );
}

const INPUT_TYPES: Partial<Record<Field["kind"], string>> = {
  integer: "number",
  number: "number",
  date: "date",
  datetime: "datetime-local",
  time: "time",
  email: "email",
};

function ParamField({
  field,
  value,
  errors,
  onChange,
}: {
  field: Field;
  value: FieldValue;
  errors: string[];
  onChange: (value: FieldValue) => void;
}) {
  const id = `param-${field.name}`;
  const invalid = errors.length > 0;
  let input: React.ReactNode;
  switch (field.kind) {
    case "boolean":
      input = <input id={id} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
      break;
    case "select":
      input = (
        <select id={id} value={String(value)} onChange={(event) => onChange(event.target.value)} aria-invalid={invalid}>
          {field.options.map((option) => (
            <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
              {optionLabel(field, option)}
            </option>
          ))}
        </select>
      );
      break;
    case "json":
    case "multiline":
      input = (
        <textarea
          id={id}
          className={field.kind === "json" ? "mono" : ""}
          rows={4}
          value={String(value)}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={invalid}
          spellCheck={false}
        />
      );
      break;
    default:
      input = (
        <input
          id={id}
          type={INPUT_TYPES[field.kind] ?? "text"}
          step={field.kind === "integer" ? 1 : field.kind === "datetime" || field.kind === "time" ? 1 : "any"}
          list={field.examples.length ? `${id}-examples` : undefined}
          min={field.minimum ?? undefined}
          max={field.maximum ?? undefined}
          value={String(value)}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={invalid}
          required={field.required}
        />
      );
  }
  return (
    <div className={field.kind === "boolean" ? "field field-inline" : "field"} data-param={field.name}>
      <label className="field-label" htmlFor={id}>
        {field.label}
        {field.required && (
          <span className="required" title="required">
            {" "}
            *
          </span>
        )}
        {field.label !== field.name && <code className="muted"> {field.name}</code>}
      </label>
      {input}
      {field.examples.length > 0 && (
        <datalist id={`${id}-examples`}>
          {field.examples.map((example) => (
            <option key={example} value={example} />
          ))}
        </datalist>
      )}
      {field.description && <span className="field-help">{field.description}</span>}
      {field.descriptionMd && <Markdown text={field.descriptionMd} className="field-help" testId={TID.paramDoc} />}
      {field.nullable && !field.required && <span className="field-help muted">Leave empty for null.</span>}
      {errors.map((message) => (
        <span key={message} className="field-error" role="alert" data-testid={TID.fieldError}>
          {message}
        </span>
      ))}
    </div>
  );
}
