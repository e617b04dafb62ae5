import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import { useMemo } from "react";
import { useSource, useVersions } from "../../api/hooks";
import { QueryView } from "../../components/QueryView";
import { formatDate } from "../../lib/format";
import { useUrlState } from "../../lib/useSearchParam";
import "./highlight.css";
import { TID } from "../../testids";

hljs.registerLanguage("python", python);

/** The stored source of a DAG version (what the processor parsed, not the file as it is now). */
export default function Code({ dagId }: { dagId: string }) {
  const [params, update] = useUrlState();
  const requested = params.get("version");
  const version = requested ? Number(requested) : null;
  const source = useSource(dagId, version);
  const versions = useVersions(dagId);
  const current = versions.data?.versions.find((v) => v.version_number === source.data?.version_number);
  return (
    <div>
      <div className="toolbar">
        <label className="small">
          Version{" "}
          <select value={requested ?? ""} onChange={(event) => update({ version: event.target.value || null })}>
            <option value="">latest</option>
            {versions.data?.versions.map((v) => (
              <option key={v.version_number} value={v.version_number}>
                v{v.version_number} · {formatDate(v.created_at)}
              </option>
            ))}
          </select>
        </label>
        {source.data && (
          <span className="muted small">
            <code>{source.data.fileloc}</code> · <span data-testid={TID.codeVersion}>v{source.data.version_number}</span>
            {current ? ` · ${formatDate(current.created_at)}` : ""} · source{" "}
            <code title={source.data.source_hash}>{source.data.source_hash.slice(0, 10)}</code>
          </span>
        )}
      </div>
      <QueryView query={source} rows={16}>
        {(data) => <Highlighted source={data.source} />}
      </QueryView>
    </div>
  );
}

function Highlighted({ source }: { source: string }) {
  // highlight.js escapes the source; its output holds only its own span markup.
  const html = useMemo(() => hljs.highlight(source, { language: "python" }).value, [source]);
  const lines = useMemo(() => source.split("\n").length, [source]);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable from the keyboard (WCAG 2.1.1)
    <div className="code" tabIndex={0} role="region" aria-label="Source code">
      <pre className="code-lines" aria-hidden>
        {Array.from({ length: lines }, (_, i) => i + 1).join("\n")}
      </pre>
      <pre className="code-text hljs" data-testid={TID.codeSource}>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: highlight.js escapes the source and adds only its own spans */}
        <code dangerouslySetInnerHTML={{ __html: html }} />
      </pre>
    </div>
  );
}
