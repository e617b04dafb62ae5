import { describe, expect, it } from "vitest";
import type { Param } from "../../api/types";
import { confFromValues, fieldsFromParams, fromLocalInput, optionLabel, placeServerErrors, valuesFromConf } from "./paramsForm";

/** A param as the API sends it: every key present, unset ones null. */
function param(fields: Partial<Param>): Param {
  return {
    default: null,
    type: null,
    description: null,
    title: null,
    enum: null,
    minimum: null,
    maximum: null,
    required: false,
    position: 0,
    ...fields,
  };
}

const params = {
  count: param({ default: 3, type: "integer", description: "How many", minimum: 1, maximum: 10 }),
  env: param({ default: "dev", type: "string", enum: ["dev", "prod"] }),
  dry: param({ default: false, type: "boolean" }),
  target: param({ type: "string", required: true, title: "Target table" }),
  extra: param({ default: { a: 1 }, type: "object" }),
  ratio: param({ type: "number" }),
  untyped: param({ default: 7 }),
};

describe("fieldsFromParams", () => {
  const fields = fieldsFromParams(params);
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]));

  it("chooses the input kind from type and enum", () => {
    expect(byName.count.kind).toBe("integer");
    expect(byName.env.kind).toBe("select");
    expect(byName.dry.kind).toBe("boolean");
    expect(byName.target.kind).toBe("text");
    expect(byName.extra.kind).toBe("json");
    expect(byName.ratio.kind).toBe("number");
    expect(byName.untyped.kind).toBe("integer");
  });

  it("prefills defaults and keeps descriptions, titles and bounds", () => {
    expect(byName.count.initial).toBe("3");
    expect(byName.count.description).toBe("How many");
    expect([byName.count.minimum, byName.count.maximum]).toEqual([1, 10]);
    expect(byName.env.initial).toBe('"dev"');
    expect(byName.dry.initial).toBe(false);
    expect(byName.extra.initial).toBe('{\n  "a": 1\n}');
    expect(byName.target.label).toBe("Target table");
  });

  it("marks as required only params without a default", () => {
    expect(byName.target.required).toBe(true);
    expect(byName.count.required).toBe(false);
    expect(byName.ratio.required).toBe(false);
  });
});

describe("confFromValues", () => {
  const fields = fieldsFromParams(params);

  it("builds typed conf from the defaults plus edits, leaving empty optional fields out", () => {
    const { conf, errors } = confFromValues(fields, { target: "sales", env: '"prod"', dry: true });
    expect(errors).toEqual({});
    expect(conf).toEqual({ count: 3, env: "prod", dry: true, target: "sales", extra: { a: 1 }, untyped: 7 });
  });

  it("reports bad numbers, bounds, JSON and missing required values on their fields", () => {
    const { errors } = confFromValues(fields, { count: "11", extra: "{oops", untyped: "1.5", target: "" });
    expect(errors).toEqual({
      count: "Must be at most 10.",
      extra: "Not valid JSON.",
      untyped: "Enter a whole number.",
      target: "A value is required.",
    });
  });

  it("round-trips conf edited as JSON back into the form", () => {
    const values = valuesFromConf(fields, { count: 5, env: "prod" });
    expect(values.count).toBe("5");
    expect(values.env).toBe('"prod"');
    expect(values.dry).toBe(false);
  });
});

describe("placeServerErrors", () => {
  it("puts conf.<param> errors on the field and the rest above the form", () => {
    const placed = placeServerErrors(fieldsFromParams(params), {
      "conf.count": ["must be at most 10"],
      "conf.nope": ["unknown param"],
      logical_date: ["already used"],
    });
    expect(placed.fields).toEqual({ count: ["must be at most 10"] });
    expect(placed.general).toEqual(["conf.nope: unknown param", "logical_date: already used"]);
  });
});

describe("the peer's JSON-schema keywords", () => {
  const keywordParams = {
    region: param({ default: "eu", type: ["null", "string"], enum: ["eu", "us"], values_display: { eu: "Europe", us: "America" } }),
    note: param({ type: ["null", "string"], examples: ["hello", 3], description_md: "Some **bold** help" }),
    day: param({ default: "2024-01-31", type: "string", format: "date" }),
    at: param({ default: "2024-01-31T09:30:00+00:00", type: "string", format: "date-time" }),
    clock: param({ type: "string", format: "time" }),
    mail: param({ type: "string", format: "email" }),
    body: param({ type: "string", format: "multiline" }),
  };
  const fields = fieldsFromParams(keywordParams);
  const byName = Object.fromEntries(fields.map((field) => [field.name, field]));

  it("chooses inputs from format and the non-null type of a type list", () => {
    expect(byName.region.kind).toBe("select");
    expect(byName.note.kind).toBe("text");
    expect(byName.day.kind).toBe("date");
    expect(byName.at.kind).toBe("datetime");
    expect(byName.clock.kind).toBe("time");
    expect(byName.mail.kind).toBe("email");
    expect(byName.body.kind).toBe("multiline");
  });

  it("keeps labels, examples, markdown help and nullability", () => {
    expect(optionLabel(byName.region, "eu")).toBe("Europe");
    expect(optionLabel(byName.region, "elsewhere")).toBe("elsewhere");
    expect(byName.note.examples).toEqual(["hello", "3"]);
    expect(byName.note.descriptionMd).toBe("Some **bold** help");
    expect(byName.note.nullable).toBe(true);
    expect(byName.day.nullable).toBe(false);
  });

  it("sends null for an emptied nullable field and ISO UTC for a date-time", () => {
    const values = valuesFromConf(fields, {});
    expect(fromLocalInput(String(values.at))).toBe("2024-01-31T09:30:00+00:00");
    const { conf, errors } = confFromValues(fields, { ...values, note: "" });
    expect(errors).toEqual({});
    expect(conf.note).toBeNull();
    expect(conf.at).toBe("2024-01-31T09:30:00+00:00");
    expect(conf.day).toBe("2024-01-31");
    expect(conf.region).toBe("eu");
    expect("clock" in conf).toBe(false);
  });
});
