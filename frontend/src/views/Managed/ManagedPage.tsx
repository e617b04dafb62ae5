import { type ReactNode, useState } from "react";
import { ApiError } from "../../api/client";
import { type ManagedResource, useManagedList, useManagedWrites } from "../../api/managed";
import { EmptyState } from "../../components/EmptyState";
import { ErrorPanel } from "../../components/ErrorPanel";
import { Modal } from "../../components/Modal";
import { Pagination } from "../../components/Pagination";
import { QueryView } from "../../components/QueryView";
import { usePaging } from "../../lib/useSearchParam";
import { TID } from "../../testids";
import { bodyFromValues, type FormField, type FormValues, valuesFromItem } from "./form";

export interface Column<Item> {
  header: string;
  cell: (item: Item) => ReactNode;
}

/**
 * A list of named things users manage (variables, connections, pools): a table, an add/edit form
 * built from field specs, and delete with confirmation. Writes show the server's field errors.
 */
export function ManagedPage<Collection, Item>({
  title,
  intro,
  resource,
  idOf,
  columns,
  fields,
  canDelete = () => true,
  emptyText,
}: {
  title: string;
  intro: ReactNode;
  resource: ManagedResource<Collection>;
  idOf: (item: Item) => string;
  columns: Column<Item>[];
  fields: FormField[];
  canDelete?: (item: Item) => boolean;
  emptyText: string;
}) {
  const { limit, offset, setPage } = usePaging();
  const list = useManagedList(resource, { limit, offset });
  const [editing, setEditing] = useState<{ item: Item | null } | null>(null);
  const [deleting, setDeleting] = useState<Item | null>(null);
  const { remove } = useManagedWrites(resource as ManagedResource<unknown>);
  return (
    <div className="page">
      <header className="dag-head">
        <h1 className="page-title">{title}</h1>
        <button type="button" className="button primary" onClick={() => setEditing({ item: null })} data-testid={TID.managedAdd}>
          Add
        </button>
      </header>
      <p className="muted small">{intro}</p>
      <QueryView query={list}>
        {(data) => {
          const items = resource.items(data) as Item[];
          const total = (data as { total_entries: number }).total_entries;
          if (items.length === 0) return <EmptyState title={emptyText}>Use “Add” to create one.</EmptyState>;
          return (
            <>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      {columns.map((column) => (
                        <th key={column.header}>{column.header}</th>
                      ))}
                      <th aria-label="actions" />
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((item) => (
                      <tr key={idOf(item)} data-testid={TID.managedRow} data-id={idOf(item)}>
                        {columns.map((column) => (
                          <td key={column.header}>{column.cell(item)}</td>
                        ))}
                        <td className="nowrap">
                          <button type="button" className="link-button" onClick={() => setEditing({ item })} data-testid={TID.managedEdit}>
                            Edit
                          </button>
                          {canDelete(item) && (
                            <>
                              {" · "}
                              <button
                                type="button"
                                className="link-button"
                                onClick={() => setDeleting(item)}
                                data-testid={TID.managedDelete}
                              >
                                Delete
                              </button>
                            </>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination offset={offset} limit={limit} total={total} onChange={setPage} />
            </>
          );
        }}
      </QueryView>
      {editing && (
        <EditForm
          resource={resource as ManagedResource<unknown>}
          id={editing.item === null ? null : idOf(editing.item)}
          fields={fields}
          initial={valuesFromItem(fields, editing.item as Record<string, unknown> | null)}
          onClose={() => setEditing(null)}
        />
      )}
      {deleting && (
        <Modal title={`Delete ${idOf(deleting)}?`} onClose={() => setDeleting(null)}>
          {remove.error && <ErrorPanel error={remove.error} />}
          <footer className="modal-actions">
            <button type="button" className="button" onClick={() => setDeleting(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              data-testid={TID.managedConfirm}
              disabled={remove.isPending}
              onClick={() => remove.mutate(idOf(deleting), { onSuccess: () => setDeleting(null) })}
            >
              Delete
            </button>
          </footer>
        </Modal>
      )}
    </div>
  );
}

function EditForm({
  resource,
  id,
  fields,
  initial,
  onClose,
}: {
  resource: ManagedResource<unknown>;
  id: string | null;
  fields: FormField[];
  initial: FormValues;
  onClose: () => void;
}) {
  const [values, setValues] = useState(initial);
  const { save } = useManagedWrites(resource);
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    save.mutate({ id, body: bodyFromValues(fields, values, id === null ? null : initial) }, { onSuccess: onClose });
  };
  const known = new Set(fields.map((field) => field.name));
  const general = Object.entries(fieldErrors).filter(([name]) => !known.has(name));
  return (
    <Modal title={id === null ? "Add" : `Edit ${id}`} onClose={onClose} wide>
      <form onSubmit={submit} className="trigger-form" noValidate>
        {save.error && (!(save.error instanceof ApiError) || save.error.status !== 400 || general.length > 0) && (
          <ErrorPanel error={save.error} />
        )}
        {fields.map((field) => {
          const inputId = `managed-${field.name}`;
          const locked = id !== null && field.fixedOnEdit;
          const common = {
            id: inputId,
            value: values[field.name] ?? "",
            disabled: locked,
            "aria-invalid": Boolean(fieldErrors[field.name]),
            onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
              setValues((current) => ({ ...current, [field.name]: event.target.value })),
          };
          return (
            <div className="field" key={field.name} data-field={field.name}>
              <label className="field-label" htmlFor={inputId}>
                {field.label}
                {field.required && <span className="required"> *</span>}
              </label>
              {field.kind === "textarea" || field.kind === "json" ? (
                <textarea
                  {...common}
                  rows={field.kind === "json" ? 5 : 3}
                  className={field.kind === "json" ? "mono" : ""}
                  spellCheck={false}
                />
              ) : (
                <input
                  {...common}
                  type={field.kind === "password" ? "password" : field.kind === "number" ? "number" : "text"}
                  autoComplete={field.kind === "password" ? "new-password" : "off"}
                />
              )}
              {field.help && <span className="field-help">{id !== null && field.editHelp ? field.editHelp : field.help}</span>}
              {(fieldErrors[field.name] ?? []).map((message) => (
                <span key={message} className="field-error" role="alert" data-testid={TID.fieldError}>
                  {message}
                </span>
              ))}
            </div>
          );
        })}
        <footer className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={save.isPending} data-testid={TID.managedSave}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
