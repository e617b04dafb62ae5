/** Server-side paging controls: limit/offset against total_entries. */
export function Pagination({
  offset,
  limit,
  total,
  onChange,
  sizes = [25, 50, 100],
}: {
  offset: number;
  limit: number;
  total: number;
  onChange: (offset: number, limit: number) => void;
  sizes?: number[];
}) {
  const last = Math.max(0, Math.ceil(total / limit) - 1);
  const page = Math.floor(offset / limit);
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted">
        {total === 0 ? "0" : `${offset + 1}–${Math.min(offset + limit, total)}`} of {total.toLocaleString()}
      </span>
      <button type="button" className="button" disabled={page === 0} onClick={() => onChange(0, limit)} aria-label="First page">
        «
      </button>
      <button
        type="button"
        className="button"
        disabled={page === 0}
        onClick={() => onChange((page - 1) * limit, limit)}
        aria-label="Previous page"
      >
        ‹
      </button>
      <span>
        Page {page + 1} / {last + 1}
      </span>
      <button
        type="button"
        className="button"
        disabled={page >= last}
        onClick={() => onChange((page + 1) * limit, limit)}
        aria-label="Next page"
      >
        ›
      </button>
      <button type="button" className="button" disabled={page >= last} onClick={() => onChange(last * limit, limit)} aria-label="Last page">
        »
      </button>
      <select value={limit} onChange={(event) => onChange(0, Number(event.target.value))} aria-label="Rows per page">
        {sizes.map((size) => (
          <option key={size} value={size}>
            {size} / page
          </option>
        ))}
      </select>
    </nav>
  );
}
