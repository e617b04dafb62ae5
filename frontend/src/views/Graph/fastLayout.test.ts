import { describe, expect, it } from "vitest";
import type { Structure } from "../../api/types";
import { g, groupNode, nestedStructure, t, taskNode } from "../../test/structure";
import { fastLayout } from "./fastLayout";
import { buildLayoutInput } from "./layoutInput";
import { runLayout } from "./runLayout";

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

describe("fastLayout", () => {
  it("puts every task after all its upstreams along the direction", () => {
    for (const direction of ["LR", "TB"] as const) {
      const result = fastLayout(buildLayoutInput(layered(6, 5), new Set(), direction));
      const at = new Map(result.nodes.map((node) => [node.key, direction === "LR" ? node.x : node.y]));
      for (const edge of result.edges) expect(at.get(edge.source)!).toBeLessThan(at.get(edge.target)!);
    }
  });

  it("never overlaps two nodes", () => {
    const { nodes } = fastLayout(buildLayoutInput(layered(8, 12), new Set(), "LR"));
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
    expect(fastLayout(buildLayoutInput(cyclic, new Set(), "LR")).nodes).toHaveLength(2);
  });

  it("boxes expanded groups around their members, nested boxes inside outer ones", () => {
    const result = fastLayout(buildLayoutInput(nestedStructure(), new Set(["load", "load.inner"]), "LR"));
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
    const result = runLayout(input);
    expect(result.nodes).toHaveLength(2000);
    expect(result.edges).toHaveLength(input.edges.length);
    expect(result.width).toBeGreaterThan(result.height / 10);
  });
});

describe("runLayout on small graphs", () => {
  it("uses dagre, which routes edges through intermediate points", () => {
    const small: Structure = {
      dag_id: "s",
      nodes: [taskNode("a"), taskNode("g.b", "g")],
      groups: [groupNode("g", null, [t("g.b")])],
      roots: [t("a"), g("g")],
      edges: [["a", "g.b"]],
    };
    const result = runLayout(buildLayoutInput(small, new Set(["g"]), "LR"));
    expect(result.clusters).toHaveLength(1);
    expect(result.edges[0].points.length).toBeGreaterThanOrEqual(3);
  });
});
