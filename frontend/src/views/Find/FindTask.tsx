/**
 * "Find a task" on the graph and the grid: `/` focuses it, typing previews the best match at once
 * (the view highlights it), arrows move through the results, Enter or a click chooses one.
 */
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { StructureNode } from "../../api/types";
import { TID } from "../../testids";
import { fuzzyFind } from "./fuzzy";
import "./find.css";

export function FindTask({
  nodes,
  onPreview,
  onChoose,
}: {
  nodes: readonly StructureNode[];
  /** The match the user is on while typing or arrowing (null: none). */
  onPreview: (taskId: string | null) => void;
  onChoose: (taskId: string) => void;
}) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const matches = useMemo(() => fuzzyFind(nodes, query), [nodes, query]);
  const current = open ? matches[active] : undefined;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) && !target.isContentEditable) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const previewed = current?.id ?? null;
  const previewRef = useRef(onPreview);
  previewRef.current = onPreview;
  // A layout effect: the view's highlight renders in the same frame as the typed letter.
  useLayoutEffect(() => {
    previewRef.current(previewed);
  }, [previewed]);

  const choose = (taskId: string) => {
    setOpen(false);
    onChoose(taskId);
  };
  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      if (matches.length) setActive((i) => (i + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length);
    } else if (event.key === "Enter" && current) {
      event.preventDefault();
      choose(current.id);
    } else if (event.key === "Escape") {
      setOpen(false);
      setQuery("");
    }
  };

  return (
    <div className="find-task">
      <input
        ref={input}
        type="search"
        className="search find-input"
        placeholder="Find a task   ( / )"
        aria-label="Find a task"
        role="combobox"
        aria-expanded={open && matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={current ? `${listId}-${active}` : undefined}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onFocus={() => query && setOpen(true)}
        data-testid={TID.findTask}
      />
      {open && query.trim() && matches.length === 0 && <p className="find-results muted small">No task matches.</p>}
      {open && matches.length > 0 && (
        <div className="find-results" id={listId} role="listbox" aria-label="Matching tasks" data-testid={TID.findResults}>
          {matches.map((match, i) => (
            <div
              key={match.id}
              id={`${listId}-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className={i === active ? "find-option active" : "find-option"}
              data-task-id={match.id}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(match.id);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="find-label">{match.label}</span>
              {match.label !== match.id && <span className="muted small"> {match.id}</span>}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
