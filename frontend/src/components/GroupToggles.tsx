/** The bar above a tree view (grid, graph): expand or collapse every task group, then the view's own notes. */
import type { ReactNode } from "react";

export function GroupToggles({
  hasGroups,
  setAll,
  children,
}: {
  hasGroups: boolean;
  setAll: (open: boolean) => void;
  children?: ReactNode;
}) {
  return (
    <div className="group-toggles small">
      {hasGroups && (
        <>
          <button type="button" className="link-button" onClick={() => setAll(true)}>
            expand all groups
          </button>
          <button type="button" className="link-button" onClick={() => setAll(false)}>
            collapse all
          </button>
        </>
      )}
      {children}
    </div>
  );
}
