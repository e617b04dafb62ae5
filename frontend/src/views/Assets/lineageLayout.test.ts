import { describe, expect, it } from "vitest";
import type { AssetLineage } from "../../api/assets";
import { layOutGraph } from "../Graph/graphLayout";
import { lineageLayoutInput } from "./lineageLayout";

const LINEAGE: AssetLineage = {
  nodes: [
    { id: "dag:producer", kind: "dag", label: "producer", asset_id: null },
    { id: "dag:consumer", kind: "dag", label: "consumer", asset_id: null },
    { id: "asset:1", kind: "asset", label: "s3://lake/a", asset_id: 1 },
  ],
  edges: [
    ["dag:producer", "asset:1"],
    ["asset:1", "dag:consumer"],
  ],
};

describe("lineageLayoutInput", () => {
  it("places producer, asset and consumer left to right", () => {
    const layout = layOutGraph(lineageLayoutInput(LINEAGE));
    const x = Object.fromEntries(layout.nodes.map((n) => [n.id, n.x]));
    expect(x["dag:producer"]).toBeLessThan(x["asset:1"]);
    expect(x["asset:1"]).toBeLessThan(x["dag:consumer"]);
    expect(layout.nodes.find((n) => n.id === "asset:1")?.label).toBe("◆ s3://lake/a");
    expect(layout.edges.map((e) => `${e.source}>${e.target}`)).toEqual(["t:dag:producer>t:asset:1", "t:asset:1>t:dag:consumer"]);
  });
});
