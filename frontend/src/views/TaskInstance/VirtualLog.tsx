/**
 * A log of any size: only the lines in view are in the DOM (a 50 MB log is a million lines),
 * with search (next / previous match), a jump to the first error line, and a download of the
 * whole log from the server.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { TID } from "../../testids";
import "./virtualLog.css";

const LINE_HEIGHT = 18;
const OVERSCAN = 20;
const ERROR_LINE = /\b(error|exception|traceback|failed|fatal)\b/i;

export function VirtualLog({ content, follow, downloadHref }: { content: string; follow: boolean; downloadHref: string }) {
  const lines = useMemo(() => (content ? content.replace(/\n$/, "").split("\n") : []), [content]);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(0);
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const out: number[] = [];
    for (let i = 0; i < lines.length; i++) if (lines[i].toLowerCase().includes(q)) out.push(i);
    return out;
  }, [lines, query]);
  const firstError = useMemo(() => lines.findIndex((line) => ERROR_LINE.test(line)), [lines]);
  const [marked, setMarked] = useState<number | null>(null);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again whenever the log grows, to keep its end in view
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length, follow]);

  const goTo = (line: number) => {
    setMarked(line);
    const element = box.current;
    if (element) element.scrollTop = Math.max(0, line * LINE_HEIGHT - element.clientHeight / 2);
  };
  const step = (delta: number) => {
    if (!matches.length) return;
    const next = (current + delta + matches.length) % matches.length;
    setCurrent(next);
    goTo(matches[next]);
  };

  const first = Math.max(0, Math.floor(view.top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((view.top + view.height) / LINE_HEIGHT) + OVERSCAN);
  const q = query.trim().toLowerCase();
  return (
    <div className="virtual-log">
      <div className="log-tools small">
        <input
          type="search"
          className="search log-search"
          placeholder="Search the log"
          aria-label="Search the log"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setCurrent(0);
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") step(event.shiftKey ? -1 : matches.length && marked === null ? 0 : 1);
          }}
          data-testid={TID.logSearch}
        />
        <span className="muted" role="status" data-testid={TID.logMatches}>
          {q
            ? matches.length
              ? `${current + 1} of ${matches.length.toLocaleString()}`
              : "no match"
            : `${lines.length.toLocaleString()} lines`}
        </span>
        <button type="button" className="button small" onClick={() => step(-1)} disabled={!matches.length} aria-label="Previous match">
          ↑
        </button>
        <button type="button" className="button small" onClick={() => step(1)} disabled={!matches.length} aria-label="Next match">
          ↓
        </button>
        <button
          type="button"
          className="button small"
          onClick={() => goTo(firstError)}
          disabled={firstError < 0}
          data-testid={TID.logFirstError}
        >
          First error
        </button>
        <a className="button small" href={downloadHref} download data-testid={TID.logDownload}>
          Download
        </a>
      </div>
      <div
        ref={box}
        className="log log-body log-scroll"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard (WCAG 2.1.1)
        tabIndex={0}
        role="region"
        aria-label="Log"
        data-testid={TID.log}
        onScroll={(event) => setView({ top: event.currentTarget.scrollTop, height: event.currentTarget.clientHeight })}
      >
        <div style={{ height: lines.length * LINE_HEIGHT, position: "relative" }}>
          {lines.slice(first, last).map((line, offset) => {
            const index = first + offset;
            const hit = q && line.toLowerCase().includes(q);
            return (
              <div
                key={index}
                className={`log-line${index === marked ? " marked" : ""}${hit ? " hit" : ""}`}
                style={{ top: index * LINE_HEIGHT, height: LINE_HEIGHT }}
                data-line={index + 1}
              >
                <span className="log-no" aria-hidden>
                  {index + 1}
                </span>
                {line}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
