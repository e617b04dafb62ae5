/** Grey placeholder bars shaped like the content that is loading. */
export function Skeleton({ rows = 6, height = 20 }: { rows?: number; height?: number }) {
  return (
    <div className="skeleton" role="status" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder bars have no identity but their position
        <div key={i} className="skeleton-bar" style={{ height, width: `${60 + ((i * 37) % 40)}%` }} />
      ))}
    </div>
  );
}
