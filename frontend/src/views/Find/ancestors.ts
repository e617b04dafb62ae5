/** The task groups around a task, innermost first: what must open for the task to show. */
import type { Structure } from "../../api/types";

export function ancestorGroups(structure: Structure, taskId: string): string[] {
  const parentOf = new Map(structure.groups.map((group) => [group.id, group.parent]));
  const out: string[] = [];
  for (let group = structure.nodes.find((node) => node.id === taskId)?.group ?? null; group; group = parentOf.get(group) ?? null)
    out.push(group);
  return out;
}
