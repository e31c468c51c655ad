// One item as a person reads it: a renderer per protocol item type, and for any other type
// (new or rare) its JSON, so nothing the server sends is hidden.
import type { ThreadItem } from '../../../../generated/protocol.js';
import { AgentMessage, PlanItem, Reasoning, UserMessage } from './message-items.js';
import { CommandExecution, DynamicToolCall, FileChange, ImageView, McpToolCall, WebSearch } from './tool-items.js';
import { prettyJson } from './format.js';
import './items.css';

export function ItemView({ item }: { item: ThreadItem }) {
  return (
    <article class={`item item-${item.type}`} data-item-type={item.type} data-item-id={item.id}>
      <ItemBody item={item} />
    </article>
  );
}

function ItemBody({ item }: { item: ThreadItem }) {
  switch (item.type) {
    case 'userMessage':
      return <UserMessage item={item} />;
    case 'agentMessage':
      return <AgentMessage item={item} />;
    case 'plan':
      return <PlanItem item={item} />;
    case 'reasoning':
      return <Reasoning item={item} />;
    case 'commandExecution':
      return <CommandExecution item={item} />;
    case 'fileChange':
      return <FileChange item={item} />;
    case 'mcpToolCall':
      return <McpToolCall item={item} />;
    case 'dynamicToolCall':
      return <DynamicToolCall item={item} />;
    case 'webSearch':
      return <WebSearch item={item} />;
    case 'imageView':
      return <ImageView item={item} />;
    case 'contextCompaction':
      return <p class="item-note">Context compacted: earlier turns were summarised for the model.</p>;
    case 'enteredReviewMode':
      return <p class="item-note">Entered review mode: {item.review}</p>;
    case 'exitedReviewMode':
      return <p class="item-note">Exited review mode: {item.review}</p>;
    default:
      return <GenericItem item={item} />;
  }
}

function GenericItem({ item }: { item: ThreadItem }) {
  return (
    <details class="json-block">
      <summary>
        <span class="item-label">{item.type}</span>
      </summary>
      <pre tabIndex={0}>{prettyJson(item)}</pre>
    </details>
  );
}
