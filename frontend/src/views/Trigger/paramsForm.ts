/**
 * The trigger form as data: DAG params → form fields, field values → run conf, and the API's
 * "conf.<param>" validation errors → messages on the matching fields.
 */
import type { Param } from "../../api/types";

export type FieldKind =
  | "text"
  | "multiline"
  | "integer"
  | "number"
  | "boolean"
  | "select"
  | "json"
  | "date"
  | "datetime"
  | "time"
  | "email";

export interface Field {
  name: string;
  label: string;
  kind: FieldKind;
  description: string | null;
  /** Markdown shown under the input (the peer's description_md). */
  descriptionMd: string | null;
  /** The type list allows null: an empty input sends null rather than the default. */
  nullable: boolean;
  /** Suggestions offered while typing (the peer's examples). */
  examples: string[];
  /** Labels of enum options by their JSON value (the peer's values_display). */
  optionLabels: Record<string, string>;
  /** The run cannot start without a value: required and no default. */
  required: boolean;
  options: unknown[];
  minimum: number | null;
  maximum: number | null;
  /** The initial value as the input holds it (string, or boolean for checkboxes). */
  initial: FieldValue;
}

export type FieldValue = string | boolean;

/** The param's type names: one, a list such as ["null", "string"], or none. */
function typesOf(param: Param): string[] {
  if (Array.isArray(param.type)) return param.type;
  return param.type ? [param.type] : [];
}

const FORMAT_KINDS: Record<string, FieldKind> = {
  date: "date",
  "date-time": "datetime",
  time: "time",
  email: "email",
  multiline: "multiline",
};

function kindOf(param: Param): FieldKind {
  const type = typesOf(param).find((name) => name !== "null") ?? null;
  if (param.enum?.length) return "select";
  if ((type === null || type === "string") && param.format && FORMAT_KINDS[param.format]) return FORMAT_KINDS[param.format];
  switch (type) {
    case "boolean":
      return "boolean";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "array":
    case "object":
      return "json";
    default:
      if (type === null && param.default !== undefined && param.default !== null && typeof param.default === "object") return "json";
      if (type === null && typeof param.default === "number") return Number.isInteger(param.default) ? "integer" : "number";
      if (type === null && typeof param.default === "boolean") return "boolean";
      return typeof param.default === "string" && param.default.includes("\n") ? "multiline" : "text";
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO date-time as a datetime-local input holds it (the browser's local time, to the second). */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** A datetime-local input's value as ISO 8601 in UTC (what the server's date-time check reads). */
export function fromLocalInput(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString().replace(".000Z", "+00:00");
}

/** An enum option's label: its values_display entry, else the value itself. */
export function optionLabel(field: Field, option: unknown): string {
  const key = typeof option === "string" ? option : JSON.stringify(option);
  return field.optionLabels[key] ?? key;
}

function initialValue(kind: FieldKind, value: unknown): FieldValue {
  if (kind === "boolean") return value === true;
  if (value === undefined || value === null) return "";
  if (kind === "datetime" && typeof value === "string") return toLocalInput(value);
  if (kind === "json") return JSON.stringify(value, null, 2);
  if (kind === "select") return JSON.stringify(value);
  return String(value);
}

export function fieldsFromParams(params: Record<string, Param>): Field[] {
  return Object.entries(params).map(([name, param]) => {
    const kind = kindOf(param);
    return {
      name,
      label: param.title || name,
      kind,
      description: param.description ?? null,
      descriptionMd: param.description_md ?? null,
      nullable: typesOf(param).includes("null"),
      examples: (param.examples ?? []).map((example) => (typeof example === "string" ? example : JSON.stringify(example))),
      optionLabels: param.values_display ?? {},
      // As the server's check: a null default is no default.
      required: param.required && (param.default === null || param.default === undefined),
      options: param.enum ?? [],
      minimum: param.minimum ?? null,
      maximum: param.maximum ?? null,
      initial: initialValue(kind, param.default),
    };
  });
}

export interface ConfResult {
  conf: Record<string, unknown>;
  errors: Record<string, string>;
}

/**
 * Turn input values into a conf object; values the browser can already reject get an error.
 * An empty optional field is left out, so the run uses the param's default.
 */
export function confFromValues(fields: Field[], values: Record<string, FieldValue>): ConfResult {
  const conf: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name] ?? field.initial;
    if (field.kind === "boolean") {
      conf[field.name] = raw === true;
      continue;
    }
    const text = String(raw);
    if (text.trim() === "" && field.nullable && !field.required) {
      conf[field.name] = null;
      continue;
    }
    if (text.trim() === "" && field.kind !== "text" && field.kind !== "multiline") {
      if (field.required) errors[field.name] = "A value is required.";
      continue;
    }
    if (text === "" && field.required) {
      errors[field.name] = "A value is required.";
      continue;
    }
    switch (field.kind) {
      case "integer":
      case "number": {
        const value = Number(text);
        if (!Number.isFinite(value) || (field.kind === "integer" && !Number.isInteger(value))) {
          errors[field.name] = field.kind === "integer" ? "Enter a whole number." : "Enter a number.";
        } else if (field.minimum !== null && value < field.minimum) {
          errors[field.name] = `Must be at least ${field.minimum}.`;
        } else if (field.maximum !== null && value > field.maximum) {
          errors[field.name] = `Must be at most ${field.maximum}.`;
        } else {
          conf[field.name] = value;
        }
        break;
      }
      case "datetime":
        conf[field.name] = fromLocalInput(text);
        break;
      case "json":
      case "select":
        try {
          conf[field.name] = JSON.parse(text);
        } catch {
          errors[field.name] = "Not valid JSON.";
        }
        break;
      default:
        conf[field.name] = text;
    }
  }
  return { conf, errors };
}

/** Values for the form from a conf object (when the user switches from the JSON editor back). */
export function valuesFromConf(fields: Field[], conf: Record<string, unknown>): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of fields) {
    values[field.name] = field.name in conf ? initialValue(field.kind, conf[field.name]) : field.initial;
  }
  return values;
}

export interface PlacedErrors {
  fields: Record<string, string[]>;
  /** Messages that name no known field (e.g. "conf" itself, or an unknown key). */
  general: string[];
}

/** Place a 400 problem's errors: "conf.<param>" on that field, everything else above the form. */
export function placeServerErrors(fields: Field[], errors: Record<string, string[]>): PlacedErrors {
  const known = new Set(fields.map((field) => field.name));
  const placed: PlacedErrors = { fields: {}, general: [] };
  for (const [key, messages] of Object.entries(errors)) {
    const name = key.startsWith("conf.") ? key.slice("conf.".length) : null;
    if (name !== null && known.has(name)) placed.fields[name] = [...(placed.fields[name] ?? []), ...messages];
    else placed.general.push(...messages.map((message) => `${key}: ${message}`));
  }
  return placed;
}
