import { CONNECTIONS } from "../../api/managed";
import type { Connection, ConnectionCollection } from "../../api/types";
import { ManagedPage } from "../Managed/ManagedPage";

/** Connections: how tasks reach other systems (`BaseHook.get_connection`, `{{ conn.id.host }}`). */
export function Connections() {
  return (
    <ManagedPage<ConnectionCollection, Connection>
      title="Connections"
      intro={
        <>
          Read by tasks with <code>BaseHook.get_connection("id")</code> and by templates with <code>{"{{ conn.id.host }}"}</code>. Passwords
          and extras are stored encrypted; passwords are never shown again. <code>DAGKEEPER_CONN_ID</code> (a URI) overrides a stored
          connection.
        </>
      }
      resource={CONNECTIONS}
      idOf={(connection) => connection.connection_id}
      emptyText="No connections yet."
      columns={[
        { header: "Id", cell: (c) => <code>{c.connection_id}</code> },
        { header: "Type", cell: (c) => c.conn_type },
        { header: "Host", cell: (c) => [c.host, c.port].filter((part) => part !== null && part !== "").join(":") },
        { header: "Login", cell: (c) => c.login ?? "" },
        { header: "Password", cell: (c) => (c.has_password ? "***" : <span className="muted">none</span>) },
        { header: "Extra", cell: (c) => (c.extra ? <code className="value-cell">{c.extra}</code> : "") },
      ]}
      fields={[
        { name: "connection_id", label: "Connection id", kind: "text", required: true, fixedOnEdit: true },
        { name: "conn_type", label: "Type", kind: "text", required: true, help: "e.g. postgres, http, aws" },
        { name: "host", label: "Host", kind: "text" },
        { name: "port", label: "Port", kind: "number" },
        { name: "schema", label: "Schema", kind: "text" },
        { name: "login", label: "Login", kind: "text" },
        {
          name: "password",
          label: "Password",
          kind: "password",
          writeOnly: true,
          help: "Stored encrypted.",
          editHelp: "Leave empty to keep the current password.",
        },
        { name: "extra", label: "Extra (JSON object)", kind: "json" },
        { name: "description", label: "Description", kind: "textarea" },
      ]}
    />
  );
}
