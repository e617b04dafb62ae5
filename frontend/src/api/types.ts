/**
 * Payload types of the dagkeeper web API, written from the team brief's shapes until the
 * backend's OpenAPI document exists; then they are re-exported from the generated schema.d.ts
 * so backend and frontend cannot drift.
 */

export type RunState = "queued" | "running" | "success" | "failed";

export type TaskState =
  | "scheduled"
  | "queued"
  | "running"
  | "success"
  | "failed"
  | "skipped"
  | "upstream_failed"
  | "up_for_retry"
  | "removed";

export interface Schedule {
  kind: string;
  expression: string | null;
  summary: string;
}

export interface RunSummary {
  run_id: string;
  state: RunState;
  logical_date: string | null;
}

export interface Dag {
  dag_id: string;
  description: string | null;
  owners: string[];
  tags: string[];
  schedule: Schedule;
  is_paused: boolean;
  is_active: boolean;
  fileloc: string;
  next_dagrun: string | null;
  next_dagrun_data_interval_start: string | null;
  next_dagrun_data_interval_end: string | null;
  next_dagrun_create_after: string | null;
  latest_run: RunSummary | null;
  recent_runs: RunSummary[];
  version_number: number | null;
  has_import_errors: boolean;
  max_active_runs: number;
}

export interface DagCollection {
  dags: Dag[];
  total_entries: number;
}

export interface Param {
  default?: unknown;
  type?: string | string[] | null;
  description?: string | null;
  title?: string | null;
  enum?: unknown[] | null;
  minimum?: number | null;
  maximum?: number | null;
  required?: boolean;
}

export interface DagDetails extends Dag {
  doc_md: string | null;
  params: Record<string, Param>;
  start_date: string | null;
  end_date: string | null;
  catchup: boolean;
  max_active_tasks: number;
  timezone: string;
  default_args: Record<string, unknown>;
  task_count: number;
  hash: string;
  last_parsed_at: string | null;
}

export interface DagSource {
  dag_id: string;
  version_number: number;
  fileloc: string;
  source_hash: string;
  source: string;
}

export interface DagVersion {
  version_number: number;
  hash: string;
  created_at: string;
  task_count: number;
}

export interface DagVersionCollection {
  versions: DagVersion[];
}

export interface DagRun {
  dag_id: string;
  run_id: string;
  run_type: string;
  state: RunState;
  logical_date: string | null;
  data_interval_start: string | null;
  data_interval_end: string | null;
  queued_at: string | null;
  start_date: string | null;
  end_date: string | null;
  conf: Record<string, unknown>;
  version_number: number;
  note: string | null;
}

export interface DagRunCollection {
  dag_runs: DagRun[];
  total_entries: number;
}

export interface TriggerRequest {
  conf?: Record<string, unknown>;
  logical_date?: string;
  run_id?: string;
  note?: string;
}

export interface TaskInstance {
  dag_id: string;
  run_id: string;
  task_id: string;
  state: TaskState | null;
  try_number: number;
  max_tries: number;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  queued_at: string | null;
  hostname: string | null;
  pid: number | null;
  operator: string | null;
}

export interface TaskInstanceCollection {
  task_instances: TaskInstance[];
  total_entries: number;
}

export interface TaskTry {
  try_number: number;
  state: TaskState | null;
  start_date: string | null;
  end_date: string | null;
  duration: number | null;
  hostname: string | null;
}

export interface TaskInstanceDetail extends TaskInstance {
  rendered_fields: Record<string, unknown> | null;
  tries: TaskTry[];
}

export interface LogChunk {
  content: string;
  offset: number;
  next_offset: number;
  complete: boolean;
}

export interface ClearRequest {
  task_ids: string[];
  dag_run_ids: string[];
  include_upstream: boolean;
  include_downstream: boolean;
  only_failed: boolean;
  dry_run: boolean;
}

export interface ClearedTaskInstance {
  dag_id: string;
  run_id: string;
  task_id: string;
  state: TaskState | null;
}

export interface ClearResult {
  task_instances: ClearedTaskInstance[];
}

export interface ImportError {
  import_error_id: number;
  filename: string;
  message: string;
  stack_trace: string | null;
  timestamp: string;
}

export interface ImportErrorCollection {
  import_errors: ImportError[];
  total_entries: number;
}

export interface StructureNode {
  id: string;
  label: string;
  operator: string;
  group: string | null;
  trigger_rule: string;
  ui_color: string | null;
  ui_fgcolor: string | null;
}

export interface StructureRef {
  type: "task" | "group";
  id: string;
}

export interface StructureGroup {
  id: string;
  label: string;
  parent: string | null;
  tooltip: string | null;
  ui_color: string | null;
  ui_fgcolor: string | null;
  children: StructureRef[];
}

export interface Structure {
  dag_id: string;
  nodes: StructureNode[];
  groups: StructureGroup[];
  roots: StructureRef[];
  edges: [string, string][];
}

export interface StructureResponse {
  dag_id: string;
  version_number: number;
  hash: string;
  structure: Structure;
}

export interface GridRun {
  run_id: string;
  state: RunState;
  run_type: string;
  logical_date: string | null;
  start_date: string | null;
  end_date: string | null;
  version_number: number;
}

export interface GridResponse {
  dag_id: string;
  version_number: number;
  runs: GridRun[];
  has_more: boolean;
  task_ids: string[];
  states: string[];
  state_codes: Record<string, string>;
}

export type ChangeKind = "dag" | "run" | "import_error";

export interface Change {
  dag_id: string | null;
  kind: ChangeKind;
}

export interface ChangesResponse {
  token: number;
  changes: Change[];
  truncated: boolean;
}

export interface Health {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  token: number;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Record<string, string[]>;
}
