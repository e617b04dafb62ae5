import { describe, expect, it } from "vitest";
import { keysToInvalidate } from "./changes";

describe("keysToInvalidate", () => {
  it("maps a run change to the run topics of that DAG and the list only", () => {
    const keys = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: "etl", kind: "run" }] });
    expect(keys).toEqual([
      ["home"],
      ["dags"],
      ["dag", "etl", "dag"],
      ["dag", "etl", "runs"],
      ["dag", "etl", "grid"],
      ["dag", "etl", "tis"],
      ["dag", "etl", "ti"],
      ["dag", "etl", "backfills"],
    ]);
    expect(keys).not.toContainEqual(["dag", "etl", "structure"]);
    expect(keys).not.toContainEqual(["importErrors"]);
  });

  it("maps a dag change to the definition topics, not the grid", () => {
    const keys = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: "etl", kind: "dag" }] });
    expect(keys).toContainEqual(["dag", "etl", "structure"]);
    expect(keys).toContainEqual(["dag", "etl", "details"]);
    expect(keys).toContainEqual(["dag", "etl", "source"]);
    expect(keys).not.toContainEqual(["dag", "etl", "grid"]);
  });

  it("maps an import error to the errors view and the list", () => {
    const keys = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: null, kind: "import_error" }] });
    expect(keys).toEqual([["home"], ["importErrors"], ["dags"]]);
  });

  it("maps an asset event to the assets views only", () => {
    const keys = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: null, kind: "asset" }] });
    expect(keys).toEqual([["home"], ["assets"]]);
  });

  it("refreshes the assets views when a DAG's definition changes (its references may)", () => {
    const keys = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: "etl", kind: "dag" }] });
    expect(keys).toContainEqual(["assets"]);
    const runOnly = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: "etl", kind: "run" }] });
    expect(runOnly).not.toContainEqual(["assets"]);
  });

  it("deduplicates many changes of one DAG", () => {
    const change = { dag_id: "etl", kind: "run" as const };
    const keys = keysToInvalidate({ token: 9, truncated: false, changes: [change, change, change] });
    expect(keys.length).toBe(8);
  });

  it("leaves other DAGs' queries alone", () => {
    const keys = keysToInvalidate({ token: 5, truncated: false, changes: [{ dag_id: "a", kind: "run" }] });
    expect(keys.some((key) => key[1] === "b")).toBe(false);
  });

  it("invalidates everything when the server truncated the batch", () => {
    expect(keysToInvalidate({ token: 5, truncated: true, changes: [] })).toEqual([[]]);
  });
});
