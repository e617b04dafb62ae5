/**
 * The asset lineage (DAG → asset or alias it produces → DAG scheduled on it; alias → the assets
 * emitted through it) as the graph view's layout
 * input, so it is laid out by the same worker and drawn by the same GraphSvg as a DAG's tasks.
 * Every node is a "task" node keyed "t:dag:<dag id>", "t:asset:<id>" or "t:alias:<id>".
 */
import type { AssetLineage } from "../../api/assets";
import { type LayoutInput, NODE_HEIGHT } from "../Graph/layoutInput";

const CHAR_WIDTH = 7;
/** Assets and aliases are told from DAGs by a mark before their label. */
const MARK: Record<string, string> = { asset: "◆ ", alias: "◇ ", dag: "" };

export const lineageNodeKey = (id: string) => `t:${id}`;

export function lineageLayoutInput(lineage: AssetLineage): LayoutInput {
  return {
    direction: "LR",
    clusters: [],
    nodes: lineage.nodes.map((node) => ({
      key: lineageNodeKey(node.id),
      type: "task",
      id: node.id,
      label: MARK[node.kind] + node.label,
      width: Math.min(280, Math.max(90, (node.label.length + 2) * CHAR_WIDTH + 28)),
      height: NODE_HEIGHT,
      parent: null,
    })),
    edges: lineage.edges.map(([source, target]) => ({ source: lineageNodeKey(source), target: lineageNodeKey(target) })),
  };
}

/** Lay out again only when the lineage itself changed. */
export function lineageKey(lineage: AssetLineage): string {
  return JSON.stringify([lineage.nodes.map((n) => n.id), lineage.edges]);
}
