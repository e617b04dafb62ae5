/**
 * The task-group tree of a /ui/structure document, walked in one place for every view: the grid's
 * rows and the graph's nodes and clusters are both the visible tree (collapsed groups standing for
 * their tasks), and both colour a group by the tasks under it.
 */
import type { Structure } from "../api/types";

/** A setup or teardown task is drawn apart from ordinary ones (null). */
export type TaskRole = "setup" | "teardown" | null;

/** One visible item in tree order. `parent` is the open group that holds it (null at the top). */
export type TreeItem =
  | { kind: "task"; id: string; label: string; depth: number; parent: string | null; role: TaskRole }
  | { kind: "group"; id: string; label: string; depth: number; parent: string | null; open: boolean };

/**
 * The tree as a view shows it: tasks and groups in tree order, an open group followed by its
 * children, a collapsed group standing alone for everything under it.
 */
export function visibleTree(structure: Structure, expanded: ReadonlySet<string>): TreeItem[] {
  const nodes = new Map(structure.nodes.map((node) => [node.id, node]));
  const groups = new Map(structure.groups.map((group) => [group.id, group]));
  const items: TreeItem[] = [];
  const walk = (refs: Structure["roots"], depth: number, parent: string | null) => {
    for (const ref of refs) {
      if (ref.type === "task") {
        const node = nodes.get(ref.id);
        const role = (node?.role ?? null) as TaskRole;
        items.push({ kind: "task", id: ref.id, label: node?.label ?? ref.id, depth, parent, role });
        continue;
      }
      const group = groups.get(ref.id);
      if (!group) continue;
      const open = expanded.has(group.id);
      items.push({ kind: "group", id: group.id, label: group.label, depth, parent, open });
      if (open) walk(group.children, depth + 1, group.id);
    }
  };
  walk(structure.roots, 0, null);
  return items;
}

/** Every task under each group, nested groups included, in tree order. */
export function groupDescendants(structure: Structure): Map<string, string[]> {
  const groups = new Map(structure.groups.map((group) => [group.id, group]));
  const memo = new Map<string, string[]>();
  const collect = (groupId: string): string[] => {
    const cached = memo.get(groupId);
    if (cached) return cached;
    const out: string[] = [];
    for (const child of groups.get(groupId)?.children ?? []) {
      if (child.type === "task") out.push(child.id);
      else out.push(...collect(child.id));
    }
    memo.set(groupId, out);
    return out;
  };
  for (const id of groups.keys()) collect(id);
  return memo;
}
