/**
 * Focus mode: only a task and what is up to N levels upstream and downstream of it, with the
 * task groups around them (empty groups dropped), so one part of a big DAG can be read alone.
 */
import type { Structure, StructureRef } from "../../api/types";

export function neighbourhood(structure: Structure, taskId: string, levels: number): Set<string> {
  const up = new Map<string, string[]>();
  const down = new Map<string, string[]>();
  for (const [a, b] of structure.edges) {
    down.set(a, [...(down.get(a) ?? []), b]);
    up.set(b, [...(up.get(b) ?? []), a]);
  }
  const keep = new Set([taskId]);
  for (const links of [up, down]) {
    let frontier = [taskId];
    for (let level = 0; level < levels && frontier.length; level++) {
      const next: string[] = [];
      for (const task of frontier) {
        for (const other of links.get(task) ?? []) {
          if (!keep.has(other)) {
            keep.add(other);
            next.push(other);
          }
        }
      }
      frontier = next;
    }
  }
  return keep;
}

export function focusStructure(structure: Structure, keep: ReadonlySet<string>): Structure {
  const groups = new Map(structure.groups.map((group) => [group.id, group]));
  const used = new Set<string>();
  const prune = (refs: StructureRef[]): StructureRef[] =>
    refs.filter((ref) => {
      if (ref.type === "task") return keep.has(ref.id);
      const group = groups.get(ref.id);
      const children = group ? prune(group.children) : [];
      if (children.length) used.add(ref.id);
      return children.length > 0;
    });
  const roots = prune(structure.roots);
  return {
    ...structure,
    nodes: structure.nodes.filter((node) => keep.has(node.id)),
    groups: structure.groups.filter((group) => used.has(group.id)).map((group) => ({ ...group, children: prune(group.children) })),
    roots,
    edges: structure.edges.filter(([a, b]) => keep.has(a) && keep.has(b)),
  };
}
