// Markdown text in the page: renderMarkdown's output (raw HTML escaped, links filtered) set as
// the element's HTML; nothing else in the Inspector sets HTML. (Trimmed: an item's text is its words alone.)
import { useMemo } from 'preact/hooks';
import { renderMarkdown } from './markdown.js';

export function MarkdownView({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text).trimEnd(), [text]);
  return <div class="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}
