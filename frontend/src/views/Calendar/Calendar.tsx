/** A year of daily run outcomes of one DAG: a cell per day, coloured by how its runs ended. */
import { useMemo } from "react";
import { Link } from "react-router";
import { useCalendar } from "../../api/insights";
import { QueryView } from "../../components/QueryView";
import { intParam, useUrlState } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { stateStyle } from "../../theme/states";
import { dayOutcome, yearCells } from "./calendarModel";
import "./calendar.css";

const MIXED = { label: "failed and succeeded", color: "repeating-linear-gradient(135deg, #D55E00 0 3px, #009E73 3px 6px)" };

function outcomeStyle(outcome: string) {
  return outcome === "mixed" ? MIXED : stateStyle(outcome);
}

export default function Calendar({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  const thisYear = new Date().getUTCFullYear();
  const year = intParam(params, "year", thisYear) || thisYear;
  const chosen = params.get("day");
  const calendar = useCalendar(dagId, year);
  return (
    <div className="calendar-view">
      <div className="toolbar">
        <div className="segmented" role="group" aria-label="Year">
          <button type="button" onClick={() => update({ year: year - 1, day: null })} aria-label="Previous year">
            ←
          </button>
          <button type="button" className="active" aria-current="true">
            {year}
          </button>
          <button type="button" onClick={() => update({ year: year + 1 === thisYear ? null : year + 1, day: null })} aria-label="Next year">
            →
          </button>
        </div>
        <ul className="legend" aria-label="Day colours">
          {["success", "failed", "mixed", "running", "queued"].map((outcome) => (
            <li key={outcome}>
              <span className="state-square" style={{ background: outcomeStyle(outcome).color }} aria-hidden />{" "}
              {outcomeStyle(outcome).label}
            </li>
          ))}
        </ul>
      </div>
      <QueryView query={calendar}>
        {(data) => <Year dagId={dagId} year={data.year} days={data.days} chosen={chosen} onChoose={(day) => update({ day })} />}
      </QueryView>
    </div>
  );
}

const WEEKDAYS = ["Mon", "", "Wed", "", "Fri", "", "Sun"];

function Year({
  dagId,
  year,
  days,
  chosen,
  onChoose,
}: {
  dagId: string;
  year: number;
  days: { date: string; counts: Record<string, number> }[];
  chosen: string | null;
  onChoose: (day: string) => void;
}) {
  const cells = useMemo(() => yearCells(year, days), [year, days]);
  const total = days.reduce((sum, day) => sum + Object.values(day.counts).reduce((a, b) => a + b, 0), 0);
  const picked = cells.find((cell) => cell.date === chosen);
  return (
    <>
      <p className="small muted">
        {total.toLocaleString()} runs in {year} (by logical date, UTC)
      </p>
      <div className="calendar-scroll">
        <div className="calendar" data-testid={TID.calendar} role="group" aria-label={`Runs per day in ${year}`}>
          {WEEKDAYS.map((name, i) => (
            <span key={name || i} className="calendar-weekday" style={{ gridRow: i + 1, gridColumn: 1 }} aria-hidden>
              {name}
            </span>
          ))}
          {cells.map((cell) => {
            const outcome = dayOutcome(cell.counts);
            const summary = Object.entries(cell.counts)
              .map(([state, count]) => `${count} ${stateStyle(state).label}`)
              .join(", ");
            return (
              <button
                type="button"
                key={cell.date}
                className={`calendar-day${cell.date === chosen ? " chosen" : ""}`}
                style={{
                  gridRow: cell.weekday + 1,
                  gridColumn: cell.week + 2,
                  background: outcome ? outcomeStyle(outcome).color : undefined,
                }}
                data-testid={TID.calendarDay}
                data-date={cell.date}
                data-state={outcome}
                aria-label={`${cell.date}: ${summary || "no runs"}`}
                title={`${cell.date}: ${summary || "no runs"}`}
                onClick={() => onChoose(cell.date)}
              />
            );
          })}
        </div>
      </div>
      {picked && (
        <p className="small" aria-live="polite">
          <strong>{picked.date}</strong>:{" "}
          {Object.keys(picked.counts).length === 0
            ? "no runs"
            : Object.entries(picked.counts)
                .map(([state, count]) => `${count} ${stateStyle(state).label}`)
                .join(", ")}{" "}
          · <Link to={`/dags/${encodeURIComponent(dagId)}/runs`}>all runs</Link>
        </p>
      )}
    </>
  );
}
