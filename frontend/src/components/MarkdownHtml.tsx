import MarkdownIt from "markdown-it";
import { useMemo } from "react";

// html: false makes markdown-it escape raw HTML, and its link validator drops javascript: URLs.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Markdown from a DAG file (doc_md, a param's description_md), rendered safely. */
export default function MarkdownHtml({ text, className, testId }: { text: string; className: string; testId?: string }) {
  const html = useMemo(() => markdown.render(text), [text]);
  // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html: false escapes raw HTML and drops javascript: links
  return <div className={`markdown ${className}`} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
