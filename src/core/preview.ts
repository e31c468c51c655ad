import type { ThreadItem } from './protocol-types.js';

const PREVIEW_CHARS = 200;

/** A thread's preview: the text of its first user message, cut to a list-friendly length. */
export function previewOf(item: ThreadItem): string {
  if (item.type !== 'userMessage') return '';
  const text = item.content
    .map((input) => (input.type === 'text' ? input.text : ''))
    .filter((part) => part !== '')
    .join('\n');
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text;
}
