import { LEGEND_ORDER, STATES } from "../theme/states";

export function StateLegend() {
  return (
    <ul className="legend" aria-label="State colours">
      {LEGEND_ORDER.map((name) => (
        <li key={name}>
          <span className="state-square" style={{ background: STATES[name].color }} aria-hidden />
          {STATES[name].label}
        </li>
      ))}
    </ul>
  );
}
