// One item as a person reads it. (Markdown, diffs, plans and the other kinds: to come.)
import type { ThreadItem } from '../../../../generated/protocol.js';

export function ItemView({ item }: { item: ThreadItem }) {
  return (
    <article class={`item item-${item.type}`} data-item-type={item.type} data-item-id={item.id}>
      {item.type === 'agentMessage' && <p>{item.text}</p>}
      {item.type === 'userMessage' && <p>{item.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('')}</p>}
      {item.type !== 'agentMessage' && item.type !== 'userMessage' && <p>{item.type}</p>}
    </article>
  );
}
