import type { ReactNode } from "react";
import { TID } from "../testids";

/** An empty view that says what to do next. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state" data-testid={TID.emptyState}>
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}
