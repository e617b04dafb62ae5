import { stateStyle } from "../theme/states";

/** A state as a coloured pill with its name: the readable form, used in tables and drawers. */
export function StateBadge({ state }: { state: string | null | undefined }) {
  const style = stateStyle(state);
  return (
    <span className="state-badge" style={{ background: style.color, color: style.text }} title={`state: ${style.label}`}>
      {style.label}
    </span>
  );
}

/** A state as a small square; the name is in the title for hover and screen readers. */
export function StateSquare({ state, title }: { state: string | null | undefined; title?: string }) {
  const style = stateStyle(state);
  const text = title ? `${title}: ${style.label}` : style.label;
  return <span className="state-square" style={{ background: style.color }} title={text} aria-label={text} role="img" />;
}
