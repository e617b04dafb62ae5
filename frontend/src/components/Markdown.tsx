import { lazy, Suspense } from "react";

// markdown-it (with linkify and entities) is about a third of the app's script: it loads with
// the first Markdown shown (the trigger dialog, Details), not with every page.
const MarkdownHtml = lazy(() => import("./MarkdownHtml"));

/** Markdown from a DAG file (doc_md, a param's description_md), rendered safely. */
export function Markdown(props: { text: string; className: string; testId?: string }) {
  return (
    <Suspense fallback={<div className={`markdown ${props.className}`} aria-busy />}>
      <MarkdownHtml {...props} />
    </Suspense>
  );
}
