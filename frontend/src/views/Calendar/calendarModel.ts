/** The calendar's weeks: every day of a year in columns of Monday..Sunday, with its run counts. */
export interface CalendarCell {
  date: string;
  /** 0 = Monday. */
  weekday: number;
  week: number;
  counts: Record<string, number>;
}

export function yearCells(year: number, days: { date: string; counts: Record<string, number> }[]): CalendarCell[] {
  const byDate = new Map(days.map((day) => [day.date, day.counts]));
  const cells: CalendarCell[] = [];
  const first = Date.UTC(year, 0, 1);
  const offset = (new Date(first).getUTCDay() + 6) % 7; // Monday-based weekday of Jan 1st
  for (let t = first, i = 0; new Date(t).getUTCFullYear() === year; t += 86_400_000, i++) {
    const date = new Date(t).toISOString().slice(0, 10);
    cells.push({ date, weekday: (offset + i) % 7, week: Math.floor((offset + i) / 7), counts: byDate.get(date) ?? {} });
  }
  return cells;
}

/** "success", "failed", "running"... when one state covers the day, else "mixed"; "" without runs. */
export function dayOutcome(counts: Record<string, number>): string {
  const states = Object.keys(counts).filter((state) => counts[state] > 0);
  if (states.length === 0) return "";
  return states.length === 1 ? states[0] : states.includes("failed") ? "mixed" : states.includes("running") ? "running" : "success";
}
