/** Grey placeholder bars shaped like the content that is loading. */
export function Skeleton({ rows = 6, height = 20 }: { rows?: number; height?: number }) {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-bar" style={{ height, width: `${60 + ((i * 37) % 40)}%` }} />
      ))}
    </div>
  );
}
