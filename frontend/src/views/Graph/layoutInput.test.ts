import { describe, expect, it } from "vitest";
import { nestedStructure } from "../../test/structure";
import { buildLayoutInput, layoutKey, visibleKeys } from "./layoutInput";

const structure = nestedStructure();

describe("visibleKeys", () => {
  it("lets the outermost collapsed group stand for its tasks", () => {
    const keys = visibleKeys(structure, new Set(["load.inner"]));
    expect(keys.get("load.a")).toBe("g:load");
    expect(keys.get("load.inner.b")).toBe("g:load");
    expect(keys.get("extract")).toBe("t:extract");
  });

  it("shows the inner group when only the outer one is open", () => {
    const keys = visibleKeys(structure, new Set(["load"]));
    expect(keys.get("load.a")).toBe("t:load.a");
    expect(keys.get("load.inner.b")).toBe("g:load.inner");
  });
});

describe("buildLayoutInput", () => {
  it("makes a collapsed group one node and reroutes and deduplicates its edges", () => {
    const input = buildLayoutInput(structure, new Set(), "LR");
    expect(input.nodes.map((n) => n.key)).toEqual(["t:extract", "g:load", "t:report"]);
    expect(input.nodes[1].taskCount).toBe(2);
    expect(input.clusters).toEqual([]);
    // start→a and start→b merge; a→b inside the group disappears.
    expect(input.edges).toEqual([
      { source: "t:extract", target: "g:load" },
      { source: "g:load", target: "t:report" },
    ]);
  });

  it("draws an expanded group as a cluster holding its visible members", () => {
    const input = buildLayoutInput(structure, new Set(["load"]), "TB");
    expect(input.direction).toBe("TB");
    expect(input.clusters).toEqual([{ key: "g:load", id: "load", label: "load", parent: null }]);
    expect(input.nodes.map((n) => [n.key, n.parent])).toEqual([
      ["t:extract", null],
      ["t:load.a", "g:load"],
      ["g:load.inner", "g:load"],
      ["t:report", null],
    ]);
    expect(input.edges).toContainEqual({ source: "t:load.a", target: "g:load.inner" });
    expect(input.edges).toContainEqual({ source: "t:extract", target: "g:load.inner" });
    expect(input.edges).toHaveLength(5);
  });

  it("keeps every task and edge when everything is expanded", () => {
    const input = buildLayoutInput(structure, new Set(["load", "load.inner"]), "LR");
    expect(input.nodes.filter((n) => n.type === "task")).toHaveLength(4);
    expect(input.clusters.map((c) => [c.key, c.parent])).toEqual([
      ["g:load", null],
      ["g:load.inner", "g:load"],
    ]);
    expect(input.edges).toHaveLength(structure.edges.length);
  });

  it("sizes nodes by their label within bounds", () => {
    const long = { ...structure, nodes: structure.nodes.map((n) => (n.id === "extract" ? { ...n, label: "x".repeat(200) } : n)) };
    const input = buildLayoutInput(long, new Set(), "LR");
    expect(input.nodes[0].width).toBe(240);
    expect(input.nodes[2].width).toBe(90);
  });
});

describe("layoutKey", () => {
  it("ignores the order groups were opened in", () => {
    expect(layoutKey("h", "LR", new Set(["b", "a"]))).toBe(layoutKey("h", "LR", new Set(["a", "b"])));
    expect(layoutKey("h", "LR", new Set())).not.toBe(layoutKey("h", "TB", new Set()));
  });
});

describe("labels and setup/teardown", () => {
  const node = (id: string, role: "setup" | "teardown" | null = null) => ({
    id,
    label: id,
    operator: "EmptyOperator",
    group: null,
    trigger_rule: "all_success",
    ui_color: "#fff",
    ui_fgcolor: "#000",
    role,
  });
  const labelled = {
    dag_id: "d",
    nodes: [node("create", "setup"), node("work"), node("delete", "teardown")],
    groups: [],
    roots: ["create", "work", "delete"].map((id) => ({ type: "task" as const, id })),
    edges: [
      ["create", "work"],
      ["work", "delete"],
      ["create", "delete"],
    ],
    edge_labels: [["create", "work", "ready"]],
  };

  it("carries edge labels, marks setup-to-teardown edges dashed and nodes with their role", () => {
    const input = buildLayoutInput(labelled, new Set(), "LR");
    expect(input.edges).toEqual([
      { source: "t:create", target: "t:work", label: "ready" },
      { source: "t:work", target: "t:delete" },
      { source: "t:create", target: "t:delete", dashed: true },
    ]);
    expect(input.nodes.map((n) => n.role)).toEqual(["setup", null, "teardown"]);
  });

  it("reads structures stored before labels and roles existed", () => {
    const { edge_labels: _, ...old } = labelled;
    const input = buildLayoutInput({ ...old, nodes: old.nodes.map(({ role: __, ...rest }) => rest) }, new Set(), "LR");
    expect(input.edges.every((edge) => edge.label === undefined)).toBe(true);
    expect(input.nodes.every((n) => n.role === null)).toBe(true);
  });
});
