/**
 * The trigger form as data: DAG params → form fields, field values → run conf, and the API's
 * "conf.<param>" validation errors → messages on the matching fields.
 */
import type { Param } from "../../api/types";

export type FieldKind = "text" | "multiline" | "integer" | "number" | "boolean" | "select" | "json";

export interface Field {
  name: string;
  label: string;
  kind: FieldKind;
  description: string | null;
  /** The run cannot start without a value: required and no default. */
  required: boolean;
  options: unknown[];
  minimum: number | null;
  maximum: number | null;
  /** The initial value as the input holds it (string, or boolean for checkboxes). */
  initial: FieldValue;
}

export type FieldValue = string | boolean;

function kindOf(param: Param): FieldKind {
  const type = param.type;
  if (param.enum?.length) return "select";
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

function initialValue(kind: FieldKind, value: unknown): FieldValue {
  if (kind === "boolean") return value === true;
  if (value === undefined || value === null) return "";
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
