// Model text as Markdown (marked), made safe to put into the page: raw HTML is shown as text,
// links keep only http(s), mailto and in-page hrefs, images become links (the page loads
// nothing the model names), and fenced code is highlighted. Everything else marked escapes itself.
import { Marked, type Tokens } from 'marked';
import { escapeHtml, highlightCode } from './highlight.js';

/** The hrefs a link may keep; anything else (javascript:, data:, file:…) renders as plain text. */
export function isSafeHref(href: string): boolean {
  const trimmed = href.trim();
  if (trimmed.startsWith('#')) return true;
  return /^(https?:|mailto:)/i.test(trimmed);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return token.block ? `<p>${escapeHtml(token.text)}</p>\n` : escapeHtml(token.text);
    },
    link({ href, title, tokens }: Tokens.Link): string {
      const inner = this.parser.parseInline(tokens);
      if (!isSafeHref(href)) return inner;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href.trim())}"${titleAttr} rel="noopener noreferrer" target="_blank">${inner}</a>`;
    },
    image({ href, text }: Tokens.Image): string {
      const label = `image: ${escapeHtml(text || href)}`;
      return isSafeHref(href) ? `<a href="${escapeHtml(href.trim())}" rel="noopener noreferrer" target="_blank">[${label}]</a>` : `[${label}]`;
    },
    // A task list's boxes as marks, not form controls: nothing here is for the reader to tick.
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '<span class="task-mark" role="img" aria-label="done">☑</span> ' : '<span class="task-mark" role="img" aria-label="to do">☐</span> ';
    },
    code({ text, lang }: Tokens.Code): string {
      const { html, language } = highlightCode(text, lang);
      const languageClass = language === null ? '' : ` language-${escapeHtml(language)}`;
      return `<pre><code class="hljs${languageClass}">${html}</code></pre>\n`;
    },
  },
});

/** The HTML for `text` as Markdown, safe to set as innerHTML. */
export function renderMarkdown(text: string): string {
  return marked.parse(text) as string;
}
