import { useEffect, useState } from "react";
import type { Permission } from "../../api/auth";
import { ErrorPanel } from "../../components/ErrorPanel";
import { TID } from "../../testids";

/** Mirrors the server's limit (api/schemas/common.py MAX_NOTE_CHARS) so the textarea stops there. */
const MAX_NOTE_CHARS = 1000;

/** A run's or task instance's note: a textarea and Save for editors, the text for everyone else. */
export function NoteEditor({
  note,
  edit,
  save,
}: {
  note: string | null;
  edit: Permission;
  save: { mutate: (note: string | null) => void; isPending: boolean; error: Error | null };
}) {
  const [draft, setDraft] = useState(note ?? "");
  useEffect(() => setDraft(note ?? ""), [note]);
  if (!edit.allowed) {
    return (
      <section className="section">
        <h3>Note</h3>
        {note ? (
          <p className="note" data-testid={TID.noteShown} title={edit.reason}>
            {note}
          </p>
        ) : (
          <p className="muted small">No note.</p>
        )}
      </section>
    );
  }
  const changed = draft !== (note ?? "");
  return (
    <section className="section">
      <h3>
        <label htmlFor="note-text">Note</label>
      </h3>
      <textarea
        id="note-text"
        rows={3}
        maxLength={MAX_NOTE_CHARS}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        data-testid={TID.noteText}
      />
      <div className="actions">
        <button
          type="button"
          className="button"
          disabled={!changed || save.isPending}
          onClick={() => save.mutate(draft.trim() ? draft : null)}
          data-testid={TID.noteSave}
        >
          Save note
        </button>
      </div>
      {save.error && <ErrorPanel error={save.error} />}
    </section>
  );
}
