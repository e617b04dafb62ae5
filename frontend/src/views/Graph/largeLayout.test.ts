import { sugiyama } from "d3-dag";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Structure } from "../../api/types";
import { g, groupNode, nestedStructure, t, taskNode } from "../../test/structure";
import { layOutGraph } from "./graphLayout";
import { largeLayout } from "./largeLayout";
import { buildLayoutInput } from "./layoutInput";

// The real d3-dag, watched so a test can tell which engine layOutGraph chose.
vi.mock("d3-dag", async (importOriginal) => {
  const actual = await importOriginal<typeof import("d3-dag")>();
  return { ...actual, sugiyama: vi.fn(actual.sugiyama) };
});

beforeEach(() => {
  vi.mocked(sugiyama).mockClear();
});

/** `layers` layers of `width` tasks, each task depending on up to 3 tasks of the layer before. */
function layered(layers: number, width: number): Structure {
  const id = (l: number, i: number) => `l${l}_t${i}`;
  const nodes = [];
  const edges: string[][] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      nodes.push(taskNode(id(l, i)));
      if (l > 0) for (const k of [i, (i + 1) % width, (i + 7) % width]) edges.push([id(l - 1, k), id(l, i)]);
    }
  }
  return { dag_id: "big", nodes, groups: [], roots: nodes.map((n) => t(n.id)), edges };
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a) {
  return Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;
}

describe("largeLayout", () => {
  it("puts every task after all its upstreams along the direction", () => {
    for (const direction of ["LR", "TB"] as const) {
      const result = largeLayout(buildLayoutInput(layered(6, 5), new Set(), direction));
      const at = new Map(result.nodes.map((node) => [node.key, direction === "LR" ? node.x : node.y]));
      for (const edge of result.edges) expect(at.get(edge.source)!).toBeLessThan(at.get(edge.target)!);
    }
  });

  it("never overlaps two nodes", () => {
    const { nodes } = largeLayout(buildLayoutInput(layered(8, 12), new Set(), "LR"));
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) expect(overlaps(nodes[i], nodes[j])).toBe(false);
  });

  it("survives a cycle instead of looping", () => {
    const cyclic: Structure = {
      dag_id: "c",
      nodes: [taskNode("a"), taskNode("b")],
      groups: [],
      roots: [t("a"), t("b")],
      edges: [
        ["a", "b"],
        ["b", "a"],
      ],
    };
    const result = largeLayout(buildLayoutInput(cyclic, new Set(), "LR"));
    expect(result.nodes).toHaveLength(2);
    expect(result.edges.map((edge) => edge.points.length >= 2)).toEqual([true, true]);
  });

  it("places tasks without any edges in the first layer", () => {
    const lonely: Structure = {
      dag_id: "l",
      nodes: [taskNode("a"), taskNode("b"), taskNode("c"), taskNode("d")],
      groups: [],
      roots: [t("a"), t("b"), t("c"), t("d")],
      edges: [["a", "b"]],
    };
    const { nodes } = largeLayout(buildLayoutInput(lonely, new Set(), "TB"));
    const y = new Map(nodes.map((node) => [node.key, node.y]));
    expect([y.get("t:c"), y.get("t:d")]).toEqual([y.get("t:a"), y.get("t:a")]);
    expect(y.get("t:b")).toBeGreaterThan(y.get("t:a")!);
    for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) expect(overlaps(nodes[i], nodes[j])).toBe(false);
  });

  it("keeps every node and group box inside the drawing", () => {
    const result = largeLayout(buildLayoutInput(nestedStructure(), new Set(["load", "load.inner"]), "TB"));
    for (const box of [...result.nodes, ...result.clusters]) {
      expect(box.x - box.width / 2).toBeGreaterThanOrEqual(0);
      expect(box.y - box.height / 2).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width / 2).toBeLessThanOrEqual(result.width);
      expect(box.y + box.height / 2).toBeLessThanOrEqual(result.height);
    }
  });

  it("boxes expanded groups around their members, nested boxes inside outer ones", () => {
    const result = largeLayout(buildLayoutInput(nestedStructure(), new Set(["load", "load.inner"]), "LR"));
    const box = new Map(result.clusters.map((c) => [c.key, c]));
    const outer = box.get("g:load")!;
    const inner = box.get("g:load.inner")!;
    const inside = (a: typeof inner, b: typeof inner) =>
      a.x - a.width / 2 >= b.x - b.width / 2 &&
      a.x + a.width / 2 <= b.x + b.width / 2 &&
      a.y - a.height / 2 >= b.y - b.height / 2 &&
      a.y + a.height / 2 <= b.y + b.height / 2;
    expect(inside(inner, outer)).toBe(true);
    const b = result.nodes.find((n) => n.key === "t:load.inner.b")!;
    expect(inside(b as never, inner)).toBe(true);
  });

  it("places every node and edge of a 2,000-task DAG", () => {
    const input = buildLayoutInput(layered(50, 40), new Set(), "LR");
    const started = performance.now();
    const result = layOutGraph(input);
    console.info(`2,000 tasks, ${input.edges.length} edges: laid out in ${Math.round(performance.now() - started)} ms`);
    expect(result.nodes).toHaveLength(2000);
    expect(result.edges).toHaveLength(input.edges.length);
    expect(result.width).toBeGreaterThan(result.height / 10);
  });
});

describe("layOutGraph above dagre's limits", () => {
  it("uses d3-dag, whose long edges bend through the layers they cross", () => {
    const input = buildLayoutInput(layered(12, 40), new Set(), "LR");
    const long = { source: input.nodes[0].key, target: input.nodes.at(-1)!.key };
    const result = layOutGraph({ ...input, edges: [...input.edges, long] });
    expect(sugiyama).toHaveBeenCalledTimes(1);
    const drawn = result.edges.find((edge) => edge.source === long.source && edge.target === long.target)!;
    expect(drawn.points.length).toBeGreaterThan(10);
  });
});

describe("layOutGraph on small graphs", () => {
  it("uses dagre, which routes edges through intermediate points", () => {
    const small: Structure = {
      dag_id: "s",
      nodes: [taskNode("a"), taskNode("g.b", "g")],
      groups: [groupNode("g", null, [t("g.b")])],
      roots: [t("a"), g("g")],
      edges: [["a", "g.b"]],
    };
    const result = layOutGraph(buildLayoutInput(small, new Set(["g"]), "LR"));
    expect(sugiyama).not.toHaveBeenCalled();
    expect(result.clusters).toHaveLength(1);
    expect(result.edges[0].points.length).toBeGreaterThanOrEqual(3);
  });
});
