import { describe, expect, it } from "vitest";
import type { StructureDiff } from "../../api/types";
import { g, groupNode, nestedStructure, t, taskNode } from "../../test/structure";
import { changeList, compareStructures, unionStructure } from "./compareStructures";

const diffOf = (over: Partial<StructureDiff["tasks"]> & { edgesAdded?: string[][]; edgesRemoved?: string[][] }): StructureDiff => ({
  dag_id: "etl",
  from_version: 1,
  to_version: 2,
  tasks: { added: over.added ?? [], removed: over.removed ?? [], changed: over.changed ?? [] },
  edges: { added: over.edgesAdded ?? [], removed: over.edgesRemoved ?? [] },
  dag_fields: [],
});

describe("compareStructures", () => {
  it("keeps removed tasks and their vanished groups as ghosts, with their edges", () => {
    const previous = nestedStructure();
    const current = {
      ...previous,
      nodes: [taskNode("extract"), taskNode("report"), taskNode("audit")],
      groups: [],
      roots: [t("extract"), t("report"), t("audit")],
      edges: [
        ["extract", "report"],
        ["report", "audit"],
      ],
    };
    const diff = diffOf({
      added: ["audit"],
      removed: ["load.a", "load.inner.b"],
      edgesAdded: [
        ["extract", "report"],
        ["report", "audit"],
      ],
      edgesRemoved: [
        ["extract", "load.a"],
        ["load.a", "report"],
      ],
    });
    const { structure, marks } = compareStructures(current, previous, diff);
    expect(structure.nodes.map((n) => n.id)).toEqual(["extract", "report", "audit", "load.a", "load.inner.b"]);
    expect(structure.roots).toEqual([t("extract"), t("report"), t("audit"), g("load")]);
    expect(structure.groups.map((group) => [group.id, group.children])).toEqual([
      ["load", [t("load.a"), g("load.inner")]],
      ["load.inner", [t("load.inner.b")]],
    ]);
    expect(structure.edges).toContainEqual(["load.a", "report"]);
    expect(marks.get("t:audit")).toBe("added");
    expect(marks.get("t:load.a")).toBe("removed");
    expect(marks.get("g:load")).toBe("removed");
    expect(marks.get("t:extract>t:report")).toBe("added");
    expect(marks.get("t:load.a>t:report")).toBe("removed");
    expect(marks.has("t:extract")).toBe(false);
  });

  it("marks the groups that hold a changed task, and lists changes in panel order", () => {
    const structure = nestedStructure();
    const diff = diffOf({ changed: [{ task_id: "load.inner.b", fields: ["retries", "group"] }], edgesRemoved: [["x", "y"]] });
    const { marks } = compareStructures(structure, { ...structure, groups: [groupNode("load", null, [])] }, diff);
    expect(marks.get("t:load.inner.b")).toBe("changed");
    expect(marks.get("g:load.inner")).toBe("inner");
    expect(marks.get("g:load")).toBe("inner");
    expect(changeList(diff)).toEqual([
      { mark: "changed", kind: "task", taskId: "load.inner.b", text: "load.inner.b", detail: "retries, group" },
      { mark: "removed", kind: "edge", taskId: "y", text: "x → y" },
    ]);
  });

  it("draws both versions from the two structures alone, so the layout need not wait for the diff", () => {
    const previous = nestedStructure();
    const current = {
      ...previous,
      nodes: [taskNode("extract"), taskNode("load.a", "load"), taskNode("report")],
      groups: [groupNode("load", null, [t("load.a")])],
      edges: [
        ["extract", "load.a"],
        ["load.a", "report"],
      ],
    };
    const union = unionStructure(current, previous);
    expect(union.nodes.map((n) => n.id)).toEqual(["extract", "load.a", "report", "load.inner.b"]);
    expect(union.groups.map((group) => [group.id, group.children])).toEqual([
      ["load", [t("load.a"), g("load.inner")]],
      ["load.inner", [t("load.inner.b")]],
    ]);
    expect(union.edges).toEqual([
      ["extract", "load.a"],
      ["load.a", "report"],
      ["extract", "load.inner.b"],
      ["load.a", "load.inner.b"],
      ["load.inner.b", "report"],
    ]);
  });
});
