import { describe, expect, it } from "vitest";
import { fuzzyFind } from "./fuzzy";

const TASKS = ["load", "reload_all", "load_customers", "extract.orders", "transform.load_day"].map((id) => ({
  id,
  label: id.split(".").at(-1)!,
}));

describe("fuzzyFind", () => {
  it("ranks exact, prefix, word-start substring, substring, then subsequences", () => {
    expect(fuzzyFind(TASKS, "load").map((m) => m.id)).toEqual(["load", "transform.load_day", "load_customers", "reload_all"]);
    expect(fuzzyFind(TASKS, "ldcu").map((m) => m.id)).toEqual(["load_customers"]);
  });

  it("matches the display name as well as the id, ignoring case and blanks", () => {
    expect(fuzzyFind([{ id: "t_17", label: "Send Invoices" }], "  send ")[0].id).toBe("t_17");
    expect(fuzzyFind(TASKS, "ORDERS")[0].id).toBe("extract.orders");
    expect(fuzzyFind(TASKS, "")).toEqual([]);
    expect(fuzzyFind(TASKS, "zzz")).toEqual([]);
  });

  it("stops at the limit", () => {
    expect(fuzzyFind(TASKS, "a", 2)).toHaveLength(2);
  });
});
