/**
 * What the layout engine gets: visible tasks, collapsed groups as single nodes, expanded groups as
 * clusters, and edges rerouted to the collapsed group that hides their end. Pure and main-thread
 * cheap; the costly layout itself runs in layout.worker.ts.
 */
import type { Structure } from "../../api/types";
import { visibleTree } from "../../lib/structureTree";

export type Direction = "LR" | "TB";

export interface LayoutNodeInput {
  /** Namespaced so a task and a group can never clash: "t:<task id>" or "g:<group id>". */
  key: string;
  type: "task" | "group";
  id: string;
  label: string;
  width: number;
  height: number;
  /** Key of the expanded group (cluster) that contains this node, if any. */
  parent: string | null;
  /** For a collapsed group: how many tasks it hides. */
  taskCount?: number;
  /** Setup and teardown tasks are drawn apart (an arrow before the label). */
  role?: "setup" | "teardown" | null;
}

export interface LayoutClusterInput {
  key: string;
  id: string;
  label: string;
  parent: string | null;
}

export interface LayoutEdgeInput {
  source: string;
  target: string;
  /** The edge's Label, when the DAG names it (only on edges between two visible tasks). */
  label?: string;
  /** A setup-to-teardown edge: it says which resources a teardown cleans up, not an order of work. */
  dashed?: boolean;
}

export interface LayoutInput {
  direction: Direction;
  nodes: LayoutNodeInput[];
  clusters: LayoutClusterInput[];
  edges: LayoutEdgeInput[];
}

export const NODE_HEIGHT = 34;
/** An edge label's box: the layout leaves room for it, the drawing fills it. */
export const LABEL_HEIGHT = 17;
export const labelWidth = (label: string) => label.length * 6.6 + 10;
const CHAR_WIDTH = 7;

export const taskKey = (id: string) => `t:${id}`;
export const groupKey = (id: string) => `g:${id}`;

function nodeWidth(label: string, extra = 0) {
  return Math.min(240, Math.max(90, label.length * CHAR_WIDTH + 28 + extra));
}

/**
 * The node that stands for a task on screen: the task itself, or the outermost collapsed group
 * among its ancestors (an outer collapsed group hides inner ones too).
 */
export function visibleKeys(structure: Structure, expanded: ReadonlySet<string>): Map<string, string> {
  const parentOf = new Map(structure.groups.map((group) => [group.id, group.parent]));
  const out = new Map<string, string>();
  for (const node of structure.nodes) {
    let stand = taskKey(node.id);
    for (let group = node.group; group; group = parentOf.get(group) ?? null) {
      if (!expanded.has(group)) stand = groupKey(group);
    }
    out.set(node.id, stand);
  }
  return out;
}

export function buildLayoutInput(structure: Structure, expanded: ReadonlySet<string>, direction: Direction): LayoutInput {
  const stands = visibleKeys(structure, expanded);
  const nodes: LayoutNodeInput[] = [];
  const clusters: LayoutClusterInput[] = [];
  const counts = new Map<string, number>();
  for (const key of stands.values()) counts.set(key, (counts.get(key) ?? 0) + 1);

  for (const item of visibleTree(structure, expanded)) {
    const { id, label } = item;
    const parent = item.parent === null ? null : groupKey(item.parent);
    if (item.kind === "task") {
      const role = item.role;
      const width = nodeWidth(label, role ? 16 : 0);
      nodes.push({ key: taskKey(id), type: "task", id, label, width, height: NODE_HEIGHT, parent, role });
    } else if (item.open) {
      clusters.push({ key: groupKey(id), id, label, parent });
    } else {
      const key = groupKey(id);
      nodes.push({
        key,
        type: "group",
        id,
        label,
        width: nodeWidth(label, 36),
        height: NODE_HEIGHT + 6,
        parent,
        taskCount: counts.get(key) ?? 0,
      });
    }
  }

  const roles = new Map(structure.nodes.map((node) => [node.id, node.role ?? null]));
  const labels = new Map((structure.edge_labels ?? []).map(([up, down, label]) => [`${up}\u0000${down}`, label]));
  const seen = new Set<string>();
  const edges: LayoutEdgeInput[] = [];
  for (const [up, down] of structure.edges) {
    const source = stands.get(up);
    const target = stands.get(down);
    if (!source || !target || source === target) continue;
    const id = `${source}\u0000${target}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const edge: LayoutEdgeInput = { source, target };
    const direct = source === taskKey(up) && target === taskKey(down);
    const label = direct ? labels.get(`${up}\u0000${down}`) : undefined;
    if (label) edge.label = label;
    if (direct && roles.get(up) === "setup" && roles.get(down) === "teardown") edge.dashed = true;
    edges.push(edge);
  }
  return { direction, nodes, clusters, edges };
}

/** A stable key for "does this need a new layout": structure hash, direction and open groups. */
export function layoutKey(hash: string, direction: Direction, expanded: ReadonlySet<string>) {
  return `${hash}|${direction}|${[...expanded].sort().join(",")}`;
}
