import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { dagEdit, useAllowed } from "../../api/auth";
import { type DagListParams, useDags, useImportErrors, usePauseDag } from "../../api/hooks";
import type { Dag } from "../../api/types";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Pagination } from "../../components/Pagination";
import { Skeleton } from "../../components/Skeleton";
import { StateBadge, StateSquare } from "../../components/StateBadge";
import { formatDate, formatRelative, formatShortDate } from "../../lib/format";
import { intParam, usePaging, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";

// Opens on a click: loads then, with the trigger form's Markdown, not with the list.
const TriggerDialog = lazy(() => import("../Trigger/TriggerDialog").then((m) => ({ default: m.TriggerDialog })));

const PAGE_SIZES = [25, 50, 100];
let rowsMarked = false;

type StatusFilter = "all" | "active" | "paused";

/** The DAG list: every filter, sort and page lives in the URL and is applied by the server. */
export function DagList() {
  const [params, update] = useUrlState();
  const { setPage } = usePaging(PAGE_SIZES);
  const status = (params.get("status") as StatusFilter | null) ?? "all";
  const query: DagListParams = {
    search: params.get("search") ?? undefined,
    tags: params.getAll("tags"),
    paused: status === "all" ? undefined : status === "paused",
    only_active: true,
    has_import_errors: params.get("errors") === "1" ? true : undefined,
    order_by: params.get("order_by") ?? undefined,
    limit: intParam(params, "limit", 25, PAGE_SIZES),
    offset: intParam(params, "offset", 0),
  };
  const dags = useDags(query);
  const importErrors = useImportErrors({ limit: 1, offset: 0 });
  const triggering = params.get("trigger");

  useEffect(() => {
    if (!rowsMarked && dags.data?.dags.length) {
      rowsMarked = true;
      performance.mark("dk:list-rows");
    }
  }, [dags.data]);

  const toggleTag = (tag: string) => {
    const tags = new Set(query.tags);
    if (tags.has(tag)) tags.delete(tag);
    else tags.add(tag);
    update({ tags: [...tags], offset: null });
  };

  const errorCount = importErrors.data?.total_entries ?? 0;
  const filtered = !!(query.search || query.tags?.length || status !== "all" || query.has_import_errors);

  return (
    <div className="page">
      {errorCount > 0 && (
        <Link to="/import-errors" className="banner banner-danger" data-testid={TID.importErrorsBanner}>
          <strong>{errorCount.toLocaleString()}</strong> DAG file{errorCount === 1 ? " has" : "s have"} import errors — view them
        </Link>
      )}
      <div className="toolbar">
        <SearchBox value={query.search ?? ""} onChange={(search) => update({ search, offset: null })} />
        <div className="segmented" role="group" aria-label="Paused filter">
          {(["all", "active", "paused"] as const).map((value) => (
            <button
              type="button"
              key={value}
              className={status === value ? "active" : ""}
              aria-pressed={status === value}
              onClick={() => update({ status: value === "all" ? null : value, offset: null })}
            >
              {value}
            </button>
          ))}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={!!query.has_import_errors}
            onChange={(event) => update({ errors: event.target.checked ? "1" : null, offset: null })}
          />
          has import errors
        </label>
        {query.tags!.length > 0 && (
          <div className="chips" role="group" aria-label="Tag filters">
            {query.tags!.map((tag) => (
              <button
                type="button"
                key={tag}
                className="chip chip-active"
                onClick={() => toggleTag(tag)}
                title="Remove this tag filter"
                data-testid={TID.tagFilter}
              >
                {tag} ✕
              </button>
            ))}
          </div>
        )}
      </div>
      {dags.isError && !dags.data ? (
        <ErrorPanel error={dags.error} onRetry={() => void dags.refetch()} />
      ) : !dags.data ? (
        <Skeleton rows={10} height={28} />
      ) : dags.data.dags.length === 0 ? (
        <div data-testid={TID.dagList}>
          {filtered ? (
            <EmptyState title="No DAGs match these filters.">
              <button
                type="button"
                className="button"
                onClick={() => update({ search: null, tags: null, status: null, errors: null, offset: null })}
              >
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No DAGs yet: put a DAG file in the DAG folder.">
              The processor picks up new <code>*.py</code> files within seconds; files that fail to import appear under{" "}
              <Link to="/import-errors">Import errors</Link>.
            </EmptyState>
          )}
        </div>
      ) : (
        <>
          <div
            className={dags.isPlaceholderData ? "table-wrap loading" : "table-wrap"}
            data-testid={TID.dagList}
            aria-busy={dags.isPlaceholderData}
          >
            <table className="table dag-table">
              <thead>
                <tr>
                  <th className="col-toggle" title="Paused / active">
                    On
                  </th>
                  <SortHeader label="DAG" field="dag_id" />
                  <SortHeader label="Owner" field="owners" />
                  <th>Schedule</th>
                  <SortHeader label="Next run" field="next_dagrun" />
                  <SortHeader label="Latest run" field="last_run_date" />
                  <SortHeader label="State" field="last_run_state" />
                  <th>Recent runs</th>
                  <th className="col-actions" aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {dags.data.dags.map((dag) => (
                  <DagRow
                    key={dag.dag_id}
                    dag={dag}
                    activeTags={query.tags!}
                    onTag={toggleTag}
                    onTrigger={() => update({ trigger: dag.dag_id }, { replace: false })}
                  />
                ))}
              </tbody>
            </table>
          </div>
          <Pagination offset={query.offset} limit={query.limit} total={dags.data.total_entries} sizes={PAGE_SIZES} onChange={setPage} />
        </>
      )}
      {triggering && (
        <Suspense fallback={null}>
          <TriggerDialog dagId={triggering} onClose={() => update({ trigger: null })} />
        </Suspense>
      )}
    </div>
  );
}

function SearchBox({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), 250);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
  return (
    <input
      ref={input}
      className="search"
      type="search"
      placeholder="Search DAGs   ( / )"
      aria-label="Search DAGs"
      data-testid={TID.dagSearch}
      value={text}
      onChange={(event) => setText(event.target.value)}
    />
  );
}

function SortHeader({ label, field }: { label: string; field: string }) {
  const [params, update] = useUrlState();
  const order = params.get("order_by");
  const active = order === field || order === `-${field}`;
  const descending = order === `-${field}`;
  const next = active && !descending ? `-${field}` : field;
  return (
    <th aria-sort={active ? (descending ? "descending" : "ascending") : "none"}>
      <button type="button" className="sort" onClick={() => update({ order_by: next, offset: null })}>
        {label}
        <span className="sort-mark" aria-hidden>
          {active ? (descending ? "▼" : "▲") : "↕"}
        </span>
      </button>
    </th>
  );
}

function DagRow({
  dag,
  activeTags,
  onTag,
  onTrigger,
}: {
  dag: Dag;
  activeTags: string[];
  onTag: (tag: string) => void;
  onTrigger: () => void;
}) {
  const pause = usePauseDag();
  const paused = pause.isPending ? pause.variables.isPaused : dag.is_paused;
  const edit = dagEdit(useAllowed("user"), dag.dag_id, dag.can_edit);
  const link = `/dags/${encodeURIComponent(dag.dag_id)}/grid`;
  return (
    <tr className={paused ? "paused" : ""} data-dag-id={dag.dag_id}>
      <td className="col-toggle">
        <label className="switch" title={edit.allowed ? (paused ? "Paused: click to unpause" : "Active: click to pause") : edit.reason}>
          <input
            type="checkbox"
            checked={!paused}
            disabled={!edit.allowed}
            onChange={() => pause.mutate({ dagId: dag.dag_id, isPaused: !paused })}
            aria-label={`${paused ? "Unpause" : "Pause"} ${dag.dag_id}`}
            data-testid={TID.pauseToggle}
          />
          <span />
        </label>
      </td>
      <td className="col-dag">
        <Link to={link} className="dag-link">
          {dag.dag_id}
        </Link>
        {dag.has_import_errors && (
          <span className="warn-dot" title="The file of this DAG currently fails to import; the last good version is shown.">
            !
          </span>
        )}
        {dag.description && <div className="muted small ellipsis">{dag.description}</div>}
        {dag.tags.length > 0 && (
          <div className="chips">
            {dag.tags.map((tag) => (
              <button
                type="button"
                key={tag}
                className={activeTags.includes(tag) ? "chip chip-active" : "chip"}
                onClick={() => onTag(tag)}
                title={`Filter by tag ${tag}`}
                data-testid={TID.tagChip}
              >
                {tag}
              </button>
            ))}
          </div>
        )}
      </td>
      <td className="small">{dag.owners.join(", ")}</td>
      <td>
        <code className="small">{dag.schedule.expression ?? dag.schedule.kind}</code>
        <div className="muted small">{dag.schedule.summary}</div>
      </td>
      <td className="small" title={dag.next_dagrun ? formatDate(dag.next_dagrun) : undefined}>
        {dag.next_dagrun ? formatRelative(dag.next_dagrun_create_after ?? dag.next_dagrun) : "—"}
        {dag.next_dagrun && <div className="muted small nowrap">{formatShortDate(dag.next_dagrun)}</div>}
      </td>
      <td className="small">
        {dag.latest_run ? (
          <Link to={`${link}?run_id=${encodeURIComponent(dag.latest_run.run_id)}`} title={dag.latest_run.run_id} className="nowrap">
            {formatShortDate(dag.latest_run.logical_date)}
          </Link>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td>{dag.latest_run ? <StateBadge state={dag.latest_run.state} /> : null}</td>
      <td>
        <div className="run-strip">
          {dag.recent_runs.map((run) => (
            <Link key={run.run_id} to={`${link}?run_id=${encodeURIComponent(run.run_id)}`}>
              <StateSquare state={run.state} title={`${run.run_id} (${formatDate(run.logical_date)})`} />
            </Link>
          ))}
        </div>
      </td>
      <td className="col-actions">
        {edit.allowed && (
          <button
            type="button"
            className="icon-button"
            onClick={onTrigger}
            title={`Trigger ${dag.dag_id}`}
            aria-label={`Trigger ${dag.dag_id}`}
            data-testid={TID.triggerButton}
          >
            ▶
          </button>
        )}
      </td>
    </tr>
  );
}
