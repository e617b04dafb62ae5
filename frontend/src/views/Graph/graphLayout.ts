/** Places a graph: dagre, or d3-dag for big graphs, over a LayoutInput; runs inside layout.worker.ts (and in tests, in Node). */
import dagre from "@dagrejs/dagre";
import { largeLayout } from "./largeLayout";
import {
  LABEL_HEIGHT,
  type LayoutClusterInput,
  type LayoutEdgeInput,
  type LayoutInput,
  type LayoutNodeInput,
  labelWidth,
} from "./layoutInput";

interface Box {
  /** Centre, like dagre's. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export type PlacedNode = LayoutNodeInput & Box;
export type PlacedCluster = LayoutClusterInput & Box;

/** `labelAt`: the centre of the edge's label, when the layout placed one. */
export type PlacedEdge = LayoutEdgeInput & { points: [number, number][]; labelAt?: [number, number] };

export interface LayoutResult {
  width: number;
  height: number;
  nodes: PlacedNode[];
  clusters: PlacedCluster[];
  edges: PlacedEdge[];
}

/**
 * dagre's cost grows steeply with size (ordering and Brandes-Köpf positioning take seconds from a
 * few hundred nodes up); above these sizes largeLayout (d3-dag with its cheap operators) draws the
 * graph instead.
 */
const DAGRE_MAX_NODES = 400;
const DAGRE_MAX_EDGES = 1200;

export function layOutGraph(input: LayoutInput): LayoutResult {
  if (input.nodes.length > DAGRE_MAX_NODES || input.edges.length > DAGRE_MAX_EDGES) return largeLayout(input);
  return dagreLayout(input);
}

function dagreLayout(input: LayoutInput): LayoutResult {
  const compound = input.clusters.length > 0;
  const g = new dagre.graphlib.Graph({ compound, multigraph: false });
  g.setGraph({
    rankdir: input.direction,
    nodesep: input.direction === "LR" ? 14 : 24,
    ranksep: input.direction === "LR" ? 60 : 48,
    marginx: 20,
    marginy: 20,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const cluster of input.clusters)
    g.setNode(cluster.key, { label: cluster.label, paddingTop: 28, paddingLeft: 12, paddingRight: 12, paddingBottom: 12 });
  for (const cluster of input.clusters) if (cluster.parent) g.setParent(cluster.key, cluster.parent);
  for (const node of input.nodes) {
    g.setNode(node.key, { width: node.width, height: node.height });
    if (node.parent) g.setParent(node.key, node.parent);
  }
  // A labelled edge gets room for its label between the ranks; dagre says where to put it.
  for (const edge of input.edges)
    g.setEdge(edge.source, edge.target, edge.label ? { width: labelWidth(edge.label), height: LABEL_HEIGHT, labelpos: "c" } : {});

  dagre.layout(g);

  const place = (key: string): Box => {
    const label = g.node(key) as Box;
    return { x: label.x, y: label.y, width: label.width, height: label.height };
  };
  const graph = g.graph() as { width?: number; height?: number };
  return {
    width: graph.width ?? 0,
    height: graph.height ?? 0,
    nodes: input.nodes.map((node) => ({ ...node, ...place(node.key) })),
    clusters: input.clusters.map((cluster) => ({ ...cluster, ...place(cluster.key) })),
    edges: input.edges.map((edge) => {
      const label = g.edge(edge.source, edge.target) as { points?: { x: number; y: number }[]; x?: number; y?: number };
      const points = (label.points ?? []).map((p) => [p.x, p.y] as [number, number]);
      return edge.label && label.x !== undefined && label.y !== undefined
        ? { ...edge, points, labelAt: [label.x, label.y] as [number, number] }
        : { ...edge, points };
    }),
  };
}
