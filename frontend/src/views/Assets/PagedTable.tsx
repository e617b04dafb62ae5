import type { ReactNode } from "react";
import { Pagination } from "../../components/Pagination";
import { usePaging } from "../../lib/useSearchParam";

/** A table of one server page with its paging controls: both asset views list pages of rows. */
export function PagedTable({ headers, total, children }: { headers: string[]; total: number; children: ReactNode }) {
  const { limit, offset, setPage } = usePaging();
  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              {headers.map((header) => (
                <th key={header}>{header}</th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
      <Pagination offset={offset} limit={limit} total={total} onChange={setPage} />
    </>
  );
}
