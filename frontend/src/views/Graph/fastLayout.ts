/**
 * A linear-time layered layout for graphs too big for dagre (dagre needs 10+ s for 2,000 tasks
 * and 5,880 edges on our 2-core machine; this needs milliseconds). Ranks are longest paths from
 * the sources, order within a rank starts from the structure's tree order and is refined by a few
 * barycenter sweeps, and coordinates come from rank and order. Expanded groups get the bounding
 * box of their members. Edges are drawn as S-curves without routing around nodes.
 */
import type { LayoutInput } from "./layoutInput";
import type { LayoutResult, PlacedCluster, PlacedNode } from "./runLayout";

const SWEEPS = 4;
const MARGIN = 20;
const CLUSTER_PAD = 12;
const CLUSTER_LABEL = 24;

export function fastLayout(input: LayoutInput): LayoutResult {
  const lr = input.direction === "LR";
  const nodeSep = lr ? 14 : 24;
  const rankSep = lr ? 60 : 48;
  const index = new Map(input.nodes.map((node, i) => [node.key, i]));
  const n = input.nodes.length;
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const edge of input.edges) {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s === undefined || t === undefined) continue;
    succs[s].push(t);
    preds[t].push(s);
  }

  // Longest path from the sources, in topological (Kahn) order; nodes on a cycle keep rank 0.
  const rank = new Array<number>(n).fill(0);
  const waiting = preds.map((p) => p.length);
  const queue = [...waiting.keys()].filter((i) => waiting[i] === 0);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head];
    for (const w of succs[v]) {
      rank[w] = Math.max(rank[w], rank[v] + 1);
      if (--waiting[w] === 0) queue.push(w);
    }
  }
  const rankCount = Math.max(0, ...rank) + 1;
  const layers: number[][] = Array.from({ length: rankCount }, () => []);
  for (let v = 0; v < n; v++) layers[rank[v]].push(v);

  // Barycenter sweeps: down by predecessors, up by successors.
  const position = new Float64Array(n);
  const renumber = (layer: number[]) => {
    layer.forEach((v, i) => {
      position[v] = i / Math.max(1, layer.length - 1);
    });
  };
  for (const layer of layers) renumber(layer);
  const sortBy = (layer: number[], neighbours: number[][]) => {
    const key = new Map<number, number>();
    for (const v of layer) {
      const near = neighbours[v];
      key.set(v, near.length ? near.reduce((sum, u) => sum + position[u], 0) / near.length : position[v]);
    }
    layer.sort((a, b) => key.get(a)! - key.get(b)! || position[a] - position[b]);
    renumber(layer);
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    for (let r = 1; r < rankCount; r++) sortBy(layers[r], preds);
    for (let r = rankCount - 2; r >= 0; r--) sortBy(layers[r], succs);
  }

  // Coordinates: ranks advance along the main axis, order spreads across it, each rank centred.
  const depthOf = (v: number) => (lr ? input.nodes[v].width : input.nodes[v].height);
  const breadthOf = (v: number) => (lr ? input.nodes[v].height : input.nodes[v].width);
  const breadths = layers.map((layer) => layer.reduce((sum, v) => sum + breadthOf(v), 0) + nodeSep * Math.max(0, layer.length - 1));
  const widest = Math.max(0, ...breadths);
  const main = new Float64Array(n);
  const cross = new Float64Array(n);
  let offset = MARGIN;
  layers.forEach((layer, r) => {
    const depth = Math.max(0, ...layer.map(depthOf));
    let along = MARGIN + (widest - breadths[r]) / 2;
    for (const v of layer) {
      main[v] = offset + depth / 2;
      cross[v] = along + breadthOf(v) / 2;
      along += breadthOf(v) + nodeSep;
    }
    offset += depth + rankSep;
  });

  const nodes: PlacedNode[] = input.nodes.map((node, v) => ({ ...node, x: lr ? main[v] : cross[v], y: lr ? cross[v] : main[v] }));
  const edges = input.edges.flatMap((edge) => {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s === undefined || t === undefined) return [];
    return [{ ...edge, points: sCurve(nodes[s], nodes[t], lr) }];
  });
  const clusters = clusterBoxes(input, nodes);
  const extent = [...nodes, ...clusters];
  return {
    width: Math.max(0, ...extent.map((b) => b.x + b.width / 2)) + MARGIN,
    height: Math.max(0, ...extent.map((b) => b.y + b.height / 2)) + MARGIN,
    nodes,
    clusters,
    edges,
  };
}

function sCurve(from: PlacedNode, to: PlacedNode, lr: boolean): [number, number][] {
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
