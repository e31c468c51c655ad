// Code highlighting with highlight.js's core and a handful of languages (the whole library
// would weigh ~10x more in the gzipped page). Output is highlight.js's own HTML: it escapes the
// code and only adds <span class="hljs-…">.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

const LANGUAGES = { bash, css, diff, go, javascript, json, markdown, python, rust, typescript, xml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

/** The registered name for a fence's info string (`ts`, `sh`, `html`… included), or null. */
export function languageOf(info: string | undefined): string | null {
  const name = (info ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (name === '') return null;
  return hljs.getLanguage(name) ? name : null;
}

/** Escapes text for HTML: the five characters that matter in content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

/** Highlighted HTML for `code`: in `language` when registered, else guessed among the registered ones. */
export function highlightCode(code: string, info?: string): { html: string; language: string | null } {
  const language = languageOf(info);
  if (language !== null) return { html: hljs.highlight(code, { language, ignoreIllegals: true }).value, language };
  if (code.length > 20_000) return { html: escapeHtml(code), language: null };
  const guess = hljs.highlightAuto(code);
  return guess.relevance >= 5 ? { html: guess.value, language: guess.language ?? null } : { html: escapeHtml(code), language: null };
}
