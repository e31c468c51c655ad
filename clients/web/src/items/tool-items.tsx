// What the agent did: commands (with their streamed output and exit code), file changes (as
// diffs), MCP and dynamic tool calls (arguments, result or error), web searches, image views.
import type { ThreadItem } from '../../../../generated/protocol.js';
import { DiffView } from './diff-view.js';
import { formatDuration, prettyJson } from './format.js';

type Item<T extends ThreadItem['type']> = Extract<ThreadItem, { type: T }>;

function Status({ status }: { status: string }) {
  return <span class={`item-status item-status-${status}`}>{status === 'inProgress' ? 'running' : status}</span>;
}

export function CommandExecution({ item }: { item: Item<'commandExecution'> }) {
  return (
    <>
      <p class="item-head">
        <span class="item-label">Command</span> <code class="command-line">$ {item.command}</code>
      </p>
      <p class="item-meta">
        <span>
          in <code>{item.cwd}</code>
        </span>
        <Status status={item.status} />
        {item.exitCode !== null && <span class={item.exitCode === 0 ? 'exit-ok' : 'exit-bad'}>exit {item.exitCode}</span>}
        {item.durationMs !== null && <span>{formatDuration(item.durationMs)}</span>}
      </p>
      {(item.aggregatedOutput ?? '') !== '' && (
        <pre class="command-output" aria-label="Output" tabIndex={0}>
          {item.aggregatedOutput}
        </pre>
      )}
    </>
  );
}

export function FileChange({ item }: { item: Item<'fileChange'> }) {
  return (
    <>
      <p class="item-head">
        <span class="item-label">File changes</span> <Status status={item.status} />
      </p>
      {item.changes.map((change) => (
        <DiffView key={change.path} change={change} />
      ))}
    </>
  );
}

export function McpToolCall({ item }: { item: Item<'mcpToolCall'> }) {
  return (
    <ToolCall title={`${item.server} / ${item.tool}`} kind="MCP tool" status={item.status} durationMs={item.durationMs} args={item.arguments}>
      {item.result !== null && <JsonBlock label="Result" value={item.result.structuredContent ?? textOf(item.result.content) ?? item.result.content} />}
      {item.error !== null && <p class="item-error">Error: {item.error.message}</p>}
    </ToolCall>
  );
}

/** An MCP result's content as plain text when it is all text blocks (the common case), else null. */
function textOf(content: readonly unknown[]): string | null {
  const texts = content.map((block) => (typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text' ? (block as { text?: unknown }).text : undefined));
  return texts.every((text): text is string => typeof text === 'string') && texts.length > 0 ? texts.join('\n') : null;
}

export function DynamicToolCall({ item }: { item: Item<'dynamicToolCall'> }) {
  const texts = (item.contentItems ?? []).map((part) => (part.type === 'inputText' ? part.text : `[${part.type}]`));
  return (
    <ToolCall title={item.namespace ? `${item.namespace} / ${item.tool}` : item.tool} kind="Tool" status={item.status} durationMs={item.durationMs} args={item.arguments}>
      {texts.length > 0 && <JsonBlock label="Result" value={texts.join('\n')} />}
      {item.success === false && <p class="item-error">The tool reported a failure.</p>}
    </ToolCall>
  );
}

function ToolCall(props: { title: string; kind: string; status: string; durationMs: number | null; args: unknown; children: preact.ComponentChildren }) {
  return (
    <>
      <p class="item-head">
        <span class="item-label">{props.kind}</span> <code>{props.title}</code> <Status status={props.status} />
        {props.durationMs !== null && <span class="item-meta-inline">{formatDuration(props.durationMs)}</span>}
      </p>
      <JsonBlock label="Arguments" value={props.args} />
      {props.children}
    </>
  );
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  return (
    <details class="json-block" open>
      <summary>{label}</summary>
      <pre aria-label={label} tabIndex={0}>
        {typeof value === 'string' ? value : prettyJson(value)}
      </pre>
    </details>
  );
}

export function WebSearch({ item }: { item: Item<'webSearch'> }) {
  const action = item.action;
  const detail = action === null ? '' : action.type === 'openPage' ? `opened ${action.url ?? ''}` : action.type === 'findInPage' ? `searched ${action.url ?? ''} for ${action.pattern ?? ''}` : '';
  return (
    <p class="item-head">
      <span class="item-label">Web search</span> <q>{item.query}</q> {detail !== '' && <span class="item-meta-inline">{detail}</span>}
    </p>
  );
}

export function ImageView({ item }: { item: Item<'imageView'> }) {
  return (
    <p class="item-head">
      <span class="item-label">Viewed image</span> <code>{item.path}</code>
    </p>
  );
}
