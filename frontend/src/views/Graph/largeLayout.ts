/**
 * d3-dag's Sugiyama layout for graphs too big for dagre (dagre needs 10+ s for 2,000 tasks and
 * 5,880 edges on our 2-core machine). Only its cheap operators keep this near half a second:
 * longest-path layering, one two-layer decrossing pass and greedy coordinates; its default
 * simplex/optimal operators take far longer at this size. d3-dag knows nothing of task groups,
 * so expanded groups get the bounding box of their members afterwards.
 */
import { coordGreedy, decrossTwoLayer, type GraphNode, graph, layeringLongestPath, shapeTopBottom, sugiyama, tweakShape } from "d3-dag";
import type { LayoutResult, PlacedCluster, PlacedEdge, PlacedNode } from "./graphLayout";
import type { LayoutInput } from "./layoutInput";

const MARGIN = 20;
const CLUSTER_PAD = 12;
const CLUSTER_LABEL = 24;

type Point = [number, number];

export function largeLayout(input: LayoutInput): LayoutResult {
  const lr = input.direction === "LR";
  const index = new Map(input.nodes.map((node, i) => [node.key, i]));
  const ends = input.edges.map((edge) => [index.get(edge.source), index.get(edge.target)] as const);
  const back = backEdges(input.nodes.length, ends);

  // d3-dag lays out top to bottom: for LR, a node's height spans its layer and its width runs along.
  const g = graph<number, number>();
  const vertices = input.nodes.map((_, v) => g.node(v));
  const links = ends.map(([s, t], e) => (s === undefined || t === undefined || back.has(e) ? null : g.link(vertices[s], vertices[t], e)));
  const size = ({ data }: GraphNode<number, number>) => {
    const { width, height } = input.nodes[data];
    return lr ? ([height, width] as const) : ([width, height] as const);
  };
  sugiyama()
    .nodeSize(size)
    .gap(lr ? [14, 60] : [24, 48])
    // Bottom-up longest path still puts every source in the first layer, and unlike top-down it
    // puts tasks without edges there too rather than in the last.
    .layering(layeringLongestPath().topDown(false))
    .decross(decrossTwoLayer().passes(1))
    .coord(coordGreedy())
    .tweaks([tweakShape(size, shapeTopBottom)])(g);

  const place = ([across, along]: readonly [number, number]): Point => (lr ? [along, across] : [across, along]);
  const nodes: PlacedNode[] = input.nodes.map((node, v) => {
    const [x, y] = place([vertices[v].x, vertices[v].y]);
    return { ...node, x, y };
  });
  const edges = input.edges.flatMap((edge, e): PlacedEdge[] => {
    const [s, t] = ends[e];
    if (s === undefined || t === undefined) return [];
    const link = links[e];
    return [{ ...edge, points: link ? link.points.map(place) : sCurve(nodes[s], nodes[t], lr) }];
  });
  return withMargin(nodes, clusterBoxes(input, nodes), edges);
}

/** Shifts everything so the outermost box (a group's label band can reach past its first node) starts at MARGIN. */
function withMargin(nodes: PlacedNode[], clusters: PlacedCluster[], edges: PlacedEdge[]): LayoutResult {
  const extent = [...nodes, ...clusters];
  const dx = MARGIN - Math.min(0, ...extent.map((b) => b.x - b.width / 2));
  const dy = MARGIN - Math.min(0, ...extent.map((b) => b.y - b.height / 2));
  const shift = <T extends { x: number; y: number }>(box: T): T => ({ ...box, x: box.x + dx, y: box.y + dy });
  return {
    width: Math.max(0, ...extent.map((b) => b.x + b.width / 2)) + dx + MARGIN,
    height: Math.max(0, ...extent.map((b) => b.y + b.height / 2)) + dy + MARGIN,
    nodes: nodes.map(shift),
    clusters: clusters.map(shift),
    edges: edges.map((edge) => ({ ...edge, points: edge.points.map(([x, y]): Point => [x + dx, y + dy]) })),
  };
}

/**
 * Edges that close a cycle, found by depth-first search in input order. Stored DAGs have none, but
 * collapsing a group into one node can make one, and d3-dag only lays out acyclic graphs.
 */
function backEdges(n: number, ends: readonly (readonly [number | undefined, number | undefined])[]): Set<number> {
  const out: number[][] = Array.from({ length: n }, () => []);
  ends.forEach(([s, t], e) => {
    if (s !== undefined && t !== undefined) out[s].push(e);
  });
  const back = new Set<number>();
  const state = new Uint8Array(n); // 0 unseen, 1 on the current path, 2 done
  for (let root = 0; root < n; root++) {
    if (state[root]) continue;
    // An explicit stack: a 2,000-task chain would overflow recursion in some engines.
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [v, next] = top;
      if (next === out[v].length) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const e = out[v][next];
      const w = ends[e][1] as number;
      if (state[w] === 1) back.add(e);
      else if (state[w] === 0) {
        state[w] = 1;
        stack.push([w, 0]);
      }
    }
  }
  return back;
}

/** A plain S-curve for an edge left out of the layout (one that closed a cycle). */
function sCurve(from: PlacedNode, to: PlacedNode, lr: boolean): Point[] {
  if (lr) {
    const x0 = from.x + from.width / 2;
    const x1 = to.x - to.width / 2;
    const bend = Math.max(20, (x1 - x0) / 2);
    return [
      [x0, from.y],
      [x0 + bend, from.y],
      [x1 - bend, to.y],
      [x1, to.y],
    ];
  }
  const y0 = from.y + from.height / 2;
  const y1 = to.y - to.height / 2;
  const bend = Math.max(16, (y1 - y0) / 2);
  return [
    [from.x, y0],
    [from.x, y0 + bend],
    [to.x, y1 - bend],
    [to.x, y1],
  ];
}

/** Each expanded group's box: around its members and nested boxes, innermost first. */
function clusterBoxes(input: LayoutInput, nodes: PlacedNode[]): PlacedCluster[] {
  const depth = new Map<string, number>();
  const parentOf = new Map(input.clusters.map((c) => [c.key, c.parent]));
  const depthOf = (key: string): number => {
    if (!depth.has(key)) depth.set(key, parentOf.get(key) ? depthOf(parentOf.get(key)!) + 1 : 0);
    return depth.get(key)!;
  };
  const bounds = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
  const grow = (key: string | null, x0: number, y0: number, x1: number, y1: number) => {
    if (!key) return;
    const b = bounds.get(key);
    if (!b) bounds.set(key, { x0, y0, x1, y1 });
    else bounds.set(key, { x0: Math.min(b.x0, x0), y0: Math.min(b.y0, y0), x1: Math.max(b.x1, x1), y1: Math.max(b.y1, y1) });
  };
  for (const node of nodes)
    grow(node.parent, node.x - node.width / 2, node.y - node.height / 2, node.x + node.width / 2, node.y + node.height / 2);
  const innermostFirst = [...input.clusters].sort((a, b) => depthOf(b.key) - depthOf(a.key));
  const placed = new Map<string, PlacedCluster>();
  for (const cluster of innermostFirst) {
    const b = bounds.get(cluster.key);
    if (!b) continue;
    const box = { x0: b.x0 - CLUSTER_PAD, y0: b.y0 - CLUSTER_PAD - CLUSTER_LABEL, x1: b.x1 + CLUSTER_PAD, y1: b.y1 + CLUSTER_PAD };
    placed.set(cluster.key, {
      ...cluster,
      x: (box.x0 + box.x1) / 2,
      y: (box.y0 + box.y1) / 2,
      width: box.x1 - box.x0,
      height: box.y1 - box.y0,
    });
    grow(cluster.parent, box.x0, box.y0, box.x1, box.y1);
  }
  return input.clusters.flatMap((cluster) => placed.get(cluster.key) ?? []);
}
