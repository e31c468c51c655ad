// What people and the model say: user messages (text, with attachments as chips), agent
// messages and plan items as Markdown, reasoning folded (summary, and the raw content if any).
import type { ThreadItem } from '../../../../generated/protocol.js';
import { MarkdownView } from './markdown-view.js';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;
type Part = Item<'userMessage'>['content'][number];

export function UserMessage({ item }: { item: Item<'userMessage'> }) {
  const text = item.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  const attachments = item.content.filter((part) => part.type !== 'text');
  return (
    <>
      {text !== '' && <MarkdownView text={text} />}
      {attachments.length > 0 && (
        <ul class="chips" aria-label="Attachments">
          {attachments.map((part, i) => (
            <li key={i} class={`chip chip-${part.type}`}>
              {chipText(part)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** An attachment's chip: its kind and what names it (path, name, url). */
function chipText(part: Part): string {
  const fields = part as Record<string, unknown>;
  const name = ['name', 'path', 'url', 'fileId'].map((key) => fields[key]).find((value): value is string => typeof value === 'string' && value !== '');
  return name === undefined ? part.type : `${part.type}: ${name}`;
}

// Who speaks is shown by the items' CSS (a label before the text), so an item's text is the message alone.
export function AgentMessage({ item }: { item: Item<'agentMessage'> }) {
  return <MarkdownView text={item.text} />;
}

export function PlanItem({ item }: { item: Item<'plan'> }) {
  return (
    <>
      <p class="item-label">Plan</p>
      <MarkdownView text={item.text} />
    </>
  );
}

export function Reasoning({ item }: { item: Item<'reasoning'> }) {
  const summary = item.summary.join('\n\n');
  const content = item.content.join('\n\n');
  return (
    <details class="reasoning">
      <summary>Reasoning{summary === '' ? '' : `: ${firstLine(summary)}`}</summary>
      {summary !== '' && <MarkdownView text={summary} />}
      {content !== '' && (
        <details class="reasoning-content">
          <summary>Raw reasoning</summary>
          <pre>{content}</pre>
        </details>
      )}
    </details>
  );
}

function firstLine(text: string): string {
  const line = text.replace(/^[#*\s]+/, '').split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line.replace(/\*\*/g, '');
}
