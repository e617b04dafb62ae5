import { describe, expect, it } from "vitest";
import type { Structure } from "../../api/types";
import { g, groupNode, t, taskNode } from "../../test/structure";
import { layOutGraph } from "./graphLayout";
import { buildLayoutInput } from "./layoutInput";

function chainWithGroup(): Structure {
  return {
    dag_id: "d",
    nodes: [taskNode("a"), taskNode("g.b", "g"), taskNode("g.c", "g"), taskNode("d")],
    groups: [groupNode("g", null, [t("g.b"), t("g.c")])],
    roots: [t("a"), g("g"), t("d")],
    edges: [
      ["a", "g.b"],
      ["g.b", "g.c"],
      ["g.c", "d"],
    ],
  };
}

describe("layOutGraph", () => {
  it("places a chain left to right in dependency order", () => {
    const result = layOutGraph(buildLayoutInput(chainWithGroup(), new Set(["g"]), "LR"));
    const x = Object.fromEntries(result.nodes.map((n) => [n.key, n.x]));
    expect(x["t:a"]).toBeLessThan(x["t:g.b"]);
    expect(x["t:g.b"]).toBeLessThan(x["t:g.c"]);
    expect(x["t:g.c"]).toBeLessThan(x["t:d"]);
    expect(result.edges.every((edge) => edge.points.length >= 2)).toBe(true);
  });

  it("puts an expanded group's box around its tasks", () => {
    const result = layOutGraph(buildLayoutInput(chainWithGroup(), new Set(["g"]), "TB"));
    const [box] = result.clusters;
    for (const member of result.nodes.filter((n) => n.parent === "g:g")) {
      expect(member.y - member.height / 2).toBeGreaterThanOrEqual(box.y - box.height / 2);
      expect(member.y + member.height / 2).toBeLessThanOrEqual(box.y + box.height / 2);
    }
  });
});
