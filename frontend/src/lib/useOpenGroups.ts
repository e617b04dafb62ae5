/**
 * Which task groups a view shows open. Kept as the groups the user flipped away from the default,
 * so a group that appears later (the DAG was edited while the view is open) starts in the same
 * state as its siblings instead of looking collapsed among open ones.
 */
import { useCallback, useMemo, useState } from "react";

export function useOpenGroups(groupIds: readonly string[], openByDefault: boolean) {
  const [defaultOpen, setDefaultOpen] = useState(openByDefault);
  const [flipped, setFlipped] = useState<ReadonlySet<string>>(() => new Set());
  const open = useMemo(() => new Set(groupIds.filter((id) => defaultOpen !== flipped.has(id))), [groupIds, defaultOpen, flipped]);
  const toggle = useCallback((groupId: string) => {
    setFlipped((current) => {
      const next = new Set(current);
      if (next.has(groupId)) next.delete(groupId);
      else next.add(groupId);
      return next;
    });
  }, []);
  /** "Expand all" / "collapse all": also the state of groups that appear afterwards. */
  const setAll = useCallback((openAll: boolean) => {
    setDefaultOpen(openAll);
    setFlipped(new Set());
  }, []);
  /** Open these groups (the ancestors of a task being shown), leaving the others as they are. */
  const reveal = useCallback(
    (ids: readonly string[]) => {
      setFlipped((current) => {
        const next = new Set(current);
        for (const id of ids) {
          if (defaultOpen) next.delete(id);
          else next.add(id);
        }
        return ids.every((id) => next.has(id) === current.has(id)) ? current : next;
      });
    },
    [defaultOpen],
  );
  return { open, toggle, setAll, reveal };
}
