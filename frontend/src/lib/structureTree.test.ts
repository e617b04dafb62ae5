import { describe, expect, it } from "vitest";
import { nestedStructure } from "../test/structure";
import { groupDescendants, visibleTree } from "./structureTree";

const structure = nestedStructure();

describe("groupDescendants", () => {
  it("collects nested descendants", () => {
    expect(groupDescendants(structure).get("load")).toEqual(["load.a", "load.inner.b"]);
  });
});

describe("visibleTree", () => {
  it("lists open groups followed by their children, with depth and enclosing group", () => {
    const items = visibleTree(structure, new Set(["load", "load.inner"]));
    expect(items.map((item) => [item.id, item.depth, item.parent])).toEqual([
      ["extract", 0, null],
      ["load", 0, null],
      ["load.a", 1, "load"],
      ["load.inner", 1, "load"],
      ["load.inner.b", 2, "load.inner"],
      ["report", 0, null],
    ]);
  });

  it("lets a collapsed group stand alone for everything under it", () => {
    const items = visibleTree(structure, new Set(["load.inner"]));
    expect(items.map((item) => item.id)).toEqual(["extract", "load", "report"]);
    expect(items[1]).toMatchObject({ kind: "group", open: false });
  });
});
