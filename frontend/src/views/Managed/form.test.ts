import { describe, expect, it } from "vitest";
import { bodyFromValues, type FormField, valuesFromItem } from "./form";

const FIELDS: FormField[] = [
  { name: "connection_id", label: "Id", kind: "text", required: true, fixedOnEdit: true },
  { name: "port", label: "Port", kind: "number" },
  { name: "password", label: "Password", kind: "password", writeOnly: true },
  { name: "description", label: "Description", kind: "textarea" },
];

describe("managed item form", () => {
  it("creates with every filled field, numbers as numbers", () => {
    const values = { connection_id: "db", port: "5432", password: "pw", description: "" };
    expect(bodyFromValues(FIELDS, values, null)).toEqual({ connection_id: "db", port: 5432, password: "pw" });
  });

  it("edits only what changed and never echoes a write-only field", () => {
    const initial = valuesFromItem(FIELDS, { connection_id: "db", port: 5432, password: "***", description: "old" });
    expect(initial.password).toBe("");
    expect(bodyFromValues(FIELDS, { ...initial, description: "" }, initial)).toEqual({ description: null });
    expect(bodyFromValues(FIELDS, { ...initial, password: "new" }, initial)).toEqual({ password: "new" });
  });

  it("sends text that is not a number so the server can name the field", () => {
    expect(bodyFromValues(FIELDS, { connection_id: "db", port: "eighty" }, null)).toMatchObject({ port: "eighty" });
  });
});
