/** Builders for structure documents in tests, shaped like the API's /ui/structure body. */
import type { Structure, StructureGroup, StructureNode, StructureRef } from "../api/types";

export function taskNode(id: string, group: string | null = null): StructureNode {
  return {
    id,
    label: id.split(".").at(-1)!,
    operator: "EmptyOperator",
    group,
    trigger_rule: "all_success",
    ui_color: "#fff",
    ui_fgcolor: "#000",
  };
}

export function groupNode(id: string, parent: string | null, children: StructureRef[]): StructureGroup {
  return { id, label: id.split(".").at(-1)!, parent, tooltip: null, ui_color: "CornflowerBlue", ui_fgcolor: "#000", children };
}

const ref = (type: "task" | "group", id: string): StructureRef => ({ type, id });
export const t = (id: string) => ref("task", id);
export const g = (id: string) => ref("group", id);

/**
 * extract >> load (a, and nested group load.inner holding b) >> report, with a → b inside:
 * one nested group, edges into, inside and out of it.
 */
export function nestedStructure(): Structure {
  return {
    dag_id: "etl",
    nodes: [taskNode("extract"), taskNode("load.a", "load"), taskNode("load.inner.b", "load.inner"), taskNode("report")],
    groups: [groupNode("load", null, [t("load.a"), g("load.inner")]), groupNode("load.inner", "load", [t("load.inner.b")])],
    roots: [t("extract"), g("load"), t("report")],
    edges: [
      ["extract", "load.a"],
      ["extract", "load.inner.b"],
      ["load.a", "load.inner.b"],
      ["load.a", "report"],
      ["load.inner.b", "report"],
    ],
  };
}
