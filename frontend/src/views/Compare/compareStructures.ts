/**
 * One drawing of two versions: the newer structure plus what the older one had and the newer one
 * dropped (removed tasks, their groups and edges, kept as ghosts), with a mark per node and edge
 * saying how it changed. Pure, so the overlay's rules are unit-tested without a browser.
 */
import type { Structure, StructureDiff, StructureGroup, StructureRef } from "../../api/types";
import { groupKey, taskKey } from "../Graph/layoutInput";

export type DiffMark = "added" | "removed" | "changed" | "inner";

export interface Comparison {
  structure: Structure;
  /** Node keys ("t:id", "g:id") and edge keys ("t:up>t:down") to their mark; "inner": a group holding changes. */
  marks: Map<string, DiffMark>;
}

export const edgeKey = (up: string, down: string) => `${taskKey(up)}>${taskKey(down)}`;

/**
 * Both versions in one structure: the newer one plus the tasks (and their groups and edges) only
 * the older one has, as ghosts. It needs no diff (a removed task or edge is one the newer version
 * lacks), so the comparison is laid out while the diff is still being computed.
 */
export function unionStructure(current: Structure, previous: Structure): Structure {
  const currentTasks = new Set(current.nodes.map((node) => node.id));
  const removedTasks = new Set(previous.nodes.filter((node) => !currentTasks.has(node.id)).map((node) => node.id));
  const currentEdges = new Set(current.edges.map(([up, down]) => edgeKey(up, down)));
  const currentGroups = new Map(current.groups.map((group) => [group.id, group]));
  const previousGroups = new Map(previous.groups.map((group) => [group.id, group]));
  // Groups the older version had and the newer lacks, kept only while they hold a removed task.
  const ghostGroups = new Set<string>();
  for (const node of previous.nodes) {
    if (!removedTasks.has(node.id)) continue;
    for (let id = node.group; id && !currentGroups.has(id); id = previousGroups.get(id)?.parent ?? null) ghostGroups.add(id);
  }
  const isGhost = (ref: StructureRef) => (ref.type === "task" ? removedTasks.has(ref.id) : ghostGroups.has(ref.id));
  const withGhosts = (refs: StructureRef[], older: StructureRef[] | undefined) => [...refs, ...(older ?? []).filter(isGhost)];

  const groups: StructureGroup[] = current.groups.map((group) => ({
    ...group,
    children: withGhosts(group.children, previousGroups.get(group.id)?.children),
  }));
  for (const id of ghostGroups) {
    const group = previousGroups.get(id)!;
    groups.push({ ...group, children: group.children.filter(isGhost) });
  }
  return {
    dag_id: current.dag_id,
    nodes: [...current.nodes, ...previous.nodes.filter((node) => removedTasks.has(node.id))],
    groups,
    roots: withGhosts(current.roots, previous.roots),
    edges: [...current.edges, ...previous.edges.filter(([up, down]) => !currentEdges.has(edgeKey(up, down)))],
  };
}

/** How each node and edge of `union` (of `current` and an older version) changed, per the diff. */
export function diffMarks(current: Structure, union: Structure, diff: StructureDiff): Map<string, DiffMark> {
  const marks = new Map<string, DiffMark>();
  const currentGroups = new Set(current.groups.map((group) => group.id));
  const parentOf = new Map(union.groups.map((group) => [group.id, group.parent]));
  const groupOf = new Map(union.nodes.map((node) => [node.id, node.group]));
  const markTask = (id: string, mark: DiffMark) => {
    marks.set(taskKey(id), mark);
    for (let group = groupOf.get(id) ?? null; group; group = parentOf.get(group) ?? null) {
      if (!marks.has(groupKey(group))) marks.set(groupKey(group), "inner");
    }
  };
  for (const id of diff.tasks.added) markTask(id, "added");
  for (const id of diff.tasks.removed) markTask(id, "removed");
  for (const { task_id } of diff.tasks.changed) markTask(task_id, "changed");
  for (const group of union.groups) if (!currentGroups.has(group.id)) marks.set(groupKey(group.id), "removed");
  for (const [up, down] of diff.edges.added) marks.set(edgeKey(up, down), "added");
  for (const [up, down] of diff.edges.removed) marks.set(edgeKey(up, down), "removed");
  return marks;
}

export function compareStructures(current: Structure, previous: Structure, diff: StructureDiff): Comparison {
  const structure = unionStructure(current, previous);
  return { structure, marks: diffMarks(current, structure, diff) };
}

/** The changes as one list, in the order the side panel shows them. */
export interface ChangeItem {
  mark: Exclude<DiffMark, "inner">;
  kind: "task" | "edge";
  /** The task to zoom to (for an edge: its downstream end). */
  taskId: string;
  text: string;
  detail?: string;
}

export function changeList(diff: StructureDiff): ChangeItem[] {
  const edge = (mark: "added" | "removed", [up, down]: string[]): ChangeItem => ({
    mark,
    kind: "edge",
    taskId: down,
    text: `${up} → ${down}`,
  });
  return [
    ...diff.tasks.added.map((id): ChangeItem => ({ mark: "added", kind: "task", taskId: id, text: id })),
    ...diff.tasks.removed.map((id): ChangeItem => ({ mark: "removed", kind: "task", taskId: id, text: id })),
    ...diff.tasks.changed.map(
      ({ task_id, fields }): ChangeItem => ({ mark: "changed", kind: "task", taskId: task_id, text: task_id, detail: fields.join(", ") }),
    ),
    ...diff.edges.added.map((e) => edge("added", e)),
    ...diff.edges.removed.map((e) => edge("removed", e)),
  ];
}
