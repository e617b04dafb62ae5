/**
 * The add/edit form of a managed item as data: field specs → input values, and input values →
 * the request body (a create sends every field; an edit sends only what changed, so a masked
 * secret that was not retyped is never sent back as "***").
 */
export type FormFieldKind = "text" | "textarea" | "password" | "number" | "json";

export interface FormField {
  name: string;
  label: string;
  kind: FormFieldKind;
  required?: boolean;
  help?: string;
  /** Help shown when editing instead (e.g. "leave empty to keep the password"). */
  editHelp?: string;
  /** The item's name: shown but not editable once created. */
  fixedOnEdit?: boolean;
  /** Never filled from the item (write-only, such as a password). */
  writeOnly?: boolean;
}

export type FormValues = Record<string, string>;

export function valuesFromItem(fields: FormField[], item: Record<string, unknown> | null): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = item && !field.writeOnly ? item[field.name] : undefined;
    values[field.name] = value === undefined || value === null ? "" : String(value);
  }
  return values;
}

function parsed(field: FormField, text: string): unknown {
  if (text === "" && !field.required) return null;
  if (field.kind === "number") {
    const number = Number(text);
    // Not a number: send the text so the server names the field in its 400.
    return text.trim() !== "" && Number.isFinite(number) ? number : text;
  }
  return text;
}

/** The body to send; `initial` is the form's starting values when editing, null when creating. */
export function bodyFromValues(fields: FormField[], values: FormValues, initial: FormValues | null): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const text = values[field.name] ?? "";
    if (initial !== null && (field.fixedOnEdit || text === initial[field.name])) continue;
    if (initial !== null && field.writeOnly && text === "") continue;
    if (initial === null && text === "" && !field.required) continue;
    body[field.name] = parsed(field, text);
  }
  return body;
}
