import { VARIABLES } from "../../api/managed";
import type { Variable, VariableCollection } from "../../api/types";
import { ManagedPage } from "../Managed/ManagedPage";

/** Variables: values DAG files and templates read (`Variable.get`, `{{ var.value.x }}`). */
export function Variables() {
  return (
    <ManagedPage<VariableCollection, Variable>
      title="Variables"
      intro={
        <>
          Read by DAG files with <code>Variable.get("key")</code> and by templates with <code>{"{{ var.value.key }}"}</code> or{" "}
          <code>{"{{ var.json.key }}"}</code>. Stored encrypted; values of secret-looking keys are shown as ***. An environment variable{" "}
          <code>DAGKEEPER_VAR_KEY</code> overrides the stored value.
        </>
      }
      resource={VARIABLES}
      idOf={(variable) => variable.key}
      emptyText="No variables yet."
      columns={[
        { header: "Key", cell: (v) => <code>{v.key}</code> },
        { header: "Value", cell: (v) => <code className="value-cell">{v.value}</code> },
        { header: "Description", cell: (v) => v.description ?? "" },
        {
          header: "Read at parse time by",
          cell: (v) =>
            v.read_at_parse_by.length ? (
              <span className="mono small">{v.read_at_parse_by.join(", ")}</span>
            ) : (
              <span className="muted">—</span>
            ),
        },
      ]}
      fields={[
        { name: "key", label: "Key", kind: "text", required: true, fixedOnEdit: true },
        { name: "value", label: "Value", kind: "textarea", required: true, help: "Text; JSON for var.json / deserialize_json." },
        { name: "description", label: "Description", kind: "textarea" },
      ]}
    />
  );
}
