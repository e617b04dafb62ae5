import { describe, expect, it } from "vitest";
import { safeNext } from "./Login";

describe("safeNext", () => {
  it("returns to a page of this site after login", () => {
    expect(safeNext("/dags/etl/grid?run_id=x")).toBe("/dags/etl/grid?run_id=x");
  });

  it("never sends the browser to another site", () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", null, ""]) {
      expect(safeNext(next)).toBe("/");
    }
  });
});
