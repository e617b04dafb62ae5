import { describe, expect, it } from "vitest";
import { g, nestedStructure, t } from "../../test/structure";
import { focusStructure, neighbourhood } from "./neighbourhood";

// extract -> load.a -> load.inner.b -> report; extract -> load.inner.b; load.a -> report
describe("focus mode", () => {
  it("keeps the task and N levels up and down", () => {
    const structure = nestedStructure();
    expect([...neighbourhood(structure, "load.a", 1)].sort()).toEqual(["extract", "load.a", "load.inner.b", "report"]);
    expect([...neighbourhood(structure, "extract", 1)].sort()).toEqual(["extract", "load.a", "load.inner.b"]);
    expect([...neighbourhood(structure, "report", 0)]).toEqual(["report"]);
  });

  it("drops the tasks, edges and now-empty groups outside the focus", () => {
    const focused = focusStructure(nestedStructure(), new Set(["extract", "load.a"]));
    expect(focused.nodes.map((n) => n.id)).toEqual(["extract", "load.a"]);
    expect(focused.edges).toEqual([["extract", "load.a"]]);
    expect(focused.roots).toEqual([t("extract"), g("load")]);
    expect(focused.groups.map((group) => [group.id, group.children])).toEqual([["load", [t("load.a")]]]);
  });
});
