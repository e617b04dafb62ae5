import type { ReactNode } from "react";
import { useMappedTaskInstances } from "../../api/hooks";
import { Pagination } from "../../components/Pagination";
import { QueryView } from "../../components/QueryView";
import { StateBadge } from "../../components/StateBadge";
import { formatDuration } from "../../lib/format";
import { intParam, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { LEGEND_ORDER } from "../../theme/states";

const SIZES = [25, 50, 100];

/**
 * A mapped task's map indexes in one run: counts per state, a state filter and one server page at a
 * time, so 10,000 map indexes cost the browser a page, never the whole list. Filter and page live
 * in the URL (`mapped_state`, `mapped_offset`, `mapped_limit`) like every other view state.
 */
export function MappedInstances({
  dagId,
  runId,
  taskId,
  onOpen,
  unexpanded,
}: {
  dagId: string;
  runId: string;
  taskId: string;
  onOpen: (mapIndex: number) => void;
  /** Shown instead while the task is not expanded (its one task instance: waiting, skipped, …). */
  unexpanded: ReactNode;
}) {
  const [params, update] = useUrlState();
  const state = params.get("mapped_state");
  const limit = intParam(params, "mapped_limit", 25, SIZES);
  const offset = intParam(params, "mapped_offset", 0);
  const page = useMappedTaskInstances(dagId, runId, taskId, { state, limit, offset });
  return (
    <QueryView query={page}>
      {(data) => {
        if (!state && data.total_entries === 0) return unexpanded;
        const total = Object.values(data.state_counts).reduce((sum, n) => sum + n, 0);
        const counted = LEGEND_ORDER.filter((name) => data.state_counts[name]);
        return (
          <div data-testid={TID.mappedList}>
            <p className="small" data-testid={TID.mappedCounts}>
              {total.toLocaleString("en-US")} map indexes:{" "}
              {counted.map((name) => `${data.state_counts[name].toLocaleString("en-US")} ${name}`).join(", ")}
            </p>
            <label className="small">
              State{" "}
              <select
                value={state ?? ""}
                onChange={(event) => update({ mapped_state: event.target.value || null, mapped_offset: null })}
                data-testid={TID.mappedFilter}
              >
                <option value="">all</option>
                {counted.map((name) => (
                  <option key={name} value={name}>
                    {name} ({data.state_counts[name].toLocaleString("en-US")})
                  </option>
                ))}
              </select>
            </label>
            {data.total_entries === 0 ? (
              <p className="muted small">No map index in this state.</p>
            ) : (
              <table className="table small">
                <thead>
                  <tr>
                    <th>Map index</th>
                    <th>State</th>
                    <th>Try</th>
                    <th>Duration</th>
                  </tr>
                </thead>
                <tbody>
                  {data.task_instances.map((ti) => (
                    <tr key={ti.map_index} data-testid={TID.mappedRow} data-map-index={ti.map_index}>
                      <td>
                        <button type="button" className="link-button" onClick={() => onOpen(ti.map_index)}>
                          {ti.map_index}
                        </button>
                      </td>
                      <td>
                        <StateBadge state={ti.state} />
                      </td>
                      <td>{ti.try_number}</td>
                      <td>{formatDuration(ti.duration)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <Pagination
              offset={offset}
              limit={limit}
              total={data.total_entries}
              sizes={SIZES}
              onChange={(next, size) => update({ mapped_offset: next || null, mapped_limit: size === 25 ? null : size })}
            />
          </div>
        );
      }}
    </QueryView>
  );
}
