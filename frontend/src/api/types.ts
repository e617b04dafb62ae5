/**
 * Payload types of the web API, derived from the generated schema.d.ts (`npm run gen:api`) so a
 * backend change that breaks the UI fails `npm run typecheck`. Only two things are adjusted:
 * names the views use, and marshmallow's "nullable nested" rendering ({} | null | T → T | null).
 */
import type { components } from "./schema";

type S = components["schemas"];

/** `Nested(..., allow_none=True)` comes out as `Record<string, never> | null | T`; it is `T | null`. */
type NullableNested<T> = { [K in keyof T]: Exclude<T[K], Record<string, never>> };

export type Schedule = S["Schedule"];
export type RunSummary = S["RunBrief"];
export type Dag = NullableNested<S["Dag"]>;
export type DagCollection = Omit<S["DagCollection"], "dags"> & { dags: Dag[] };
export type Param = S["Param"];
export type DagDetails = NullableNested<S["DagDetails"]>;
export type DagSource = S["Source"];
export type DagVersion = S["Version"];
export type DagVersionCollection = S["VersionCollection"];
export type DagRun = S["Run"];
export type DagRunCollection = S["RunCollection"];
export type TriggerRequest = S["TriggerBody"];
export type Backfill = NullableNested<S["Backfill"]>;
export type BackfillCollection = S["BackfillCollection"];
export type BackfillRequest = S["BackfillBody"];
export type BackfillDryRun = S["DryRunCollection"];
export type TaskInstance = S["TaskInstance"];
export type TaskInstanceCollection = S["TaskInstanceCollection"];
export type MappedCollection = S["MappedCollection"];
export type TaskTry = S["Try"];
export type TaskInstanceDetail = S["TaskInstanceDetail"];
export type LogChunk = S["Log"];
export type ClearRequest = S["ClearBody"];
export type ClearResult = S["ClearedCollection"];
export type ImportError = S["ImportError"];
export type ImportErrorCollection = S["ImportErrorCollection"];
export type Worker = S["Worker"];
export type WorkerCollection = S["WorkerCollection"];
export type StructureNode = S["Node"];
export type StructureRef = S["Child"];
export type StructureGroup = S["Group"];
export type Structure = S["StructureBody"];
export type StructureResponse = S["Structure"];
export type GridRun = S["GridRun"];
export type GridResponse = S["Grid"];
export type Me = S["Me"];
export type Role = Me["role"];
export type ApiToken = S["Token"];
export type NewApiToken = S["NewToken"];
export type ApiTokenCollection = S["TokenCollection"];
export type EventLog = S["EventLog"];
export type EventLogCollection = S["EventLogCollection"];
export type Change = S["Change"];
export type ChangeKind = Change["kind"];
export type ChangesResponse = S["Changes"];
export type Health = S["Health"];
export type Variable = S["Variable"];
export type VariableCollection = S["VariableCollection"];
export type Connection = S["Connection"];
export type ConnectionCollection = S["ConnectionCollection"];
export type Pool = S["Pool"];
export type PoolCollection = S["PoolCollection"];
export type XCom = S["XCom"];
export type XComCollection = S["XComCollection"];
/** The problem+json body; `detail`/`type` may be absent when the error did not come from our API. */
export type Problem = Omit<S["Problem"], "detail" | "type"> & Partial<Pick<S["Problem"], "detail" | "type">>;
export type StructureDiff = S["Diff"];
export type HomeResponse = S["Home"];
export type ComponentHealth = S["Component"];
export type DagStats = S["DagStats"];
export type GanttResponse = S["Gantt"];
export type TaskHistoryResponse = S["TaskHistory"];
export type CalendarResponse = S["Calendar"];
export type ParseRequestResponse = S["ParseRequest"];
export type DeletedDag = S["DeletedDag"];
