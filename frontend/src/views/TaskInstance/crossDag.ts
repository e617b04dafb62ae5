/**
 * Which other DAG (and run) a cross-DAG task points at, from what the database already holds: the
 * task's rendered template fields and its XComs. A TriggerDagRunOperator names the exact run it
 * queued (XCom `trigger_run_id`); a sensor or marker names the DAG it waits on or clears.
 */
export interface CrossDagTarget {
  dagId: string;
  runId: string | null;
  label: string;
}

const DAG_FIELD: Record<string, string> = {
  TriggerDagRunOperator: "trigger_dag_id",
  ExternalTaskSensor: "external_dag_id",
  ExternalTaskMarker: "external_dag_id",
};

export function crossDagTarget(
  operator: string | null | undefined,
  rendered: Record<string, unknown> | null | undefined,
  xcoms: { key: string; value: unknown }[],
): CrossDagTarget | null {
  const field = operator ? DAG_FIELD[operator] : undefined;
  const dagId = field ? rendered?.[field] : undefined;
  if (typeof dagId !== "string" || !dagId) return null;
  const runId = xcoms.find((x) => x.key === "trigger_run_id")?.value;
  if (operator === "TriggerDagRunOperator") {
    return typeof runId === "string"
      ? { dagId, runId, label: `Triggered run ${runId} of ${dagId}` }
      : { dagId, runId: null, label: `Triggers ${dagId}` };
  }
  return { dagId, runId: null, label: operator === "ExternalTaskMarker" ? `Clears with ${dagId}` : `Waits on ${dagId}` };
}

export function crossDagHref(target: CrossDagTarget): string {
  const base = `/dags/${encodeURIComponent(target.dagId)}/grid`;
  return target.runId ? `${base}?run_id=${encodeURIComponent(target.runId)}&panel=run` : base;
}
