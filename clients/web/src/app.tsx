// The page's layout: threads on the left, the open thread with its composer in the middle, and
// the tools (usage, raw log, request console) on the right; server requests as dialogs on top.
import { useState } from 'preact/hooks';
import type { InspectorModel } from './model/inspector-model.js';
import { useModel } from './model/use-model.js';
import { ThreadList } from './threads/thread-list.js';
import { ThreadView } from './threads/thread-view.js';
import { Composer } from './composer/composer.js';
import { RequestDialogs } from './requests/request-dialogs.js';
import { UsagePanel } from './usage/usage-panel.js';
import { RawLog } from './log/raw-log.js';
import { RequestConsole } from './console/request-console.js';

const TOOLS = [
  { id: 'usage', label: 'Usage' },
  { id: 'log', label: 'Raw log' },
  { id: 'console', label: 'Request console' },
] as const;
type ToolId = (typeof TOOLS)[number]['id'];

export function App({ model }: { model: InspectorModel }) {
  useModel(model);
  const [tool, setTool] = useState<ToolId>('usage');
  const status = model.status;
  return (
    <div class="layout">
      <header class="topbar">
        <h1>Keel Inspector</h1>
        <p class={`connection connection-${status.kind}`} role="status" aria-label="Connection">
          {status.kind === 'connecting' && 'connecting…'}
          {status.kind === 'open' && <>connected to {status.server.userAgent}</>}
          {status.kind === 'closed' && <>disconnected: {status.reason}</>}
        </p>
      </header>
      <ThreadList model={model} />
      <main class="thread-pane" aria-label="Thread">
        {model.selectedThreadId === null ? <p class="empty">Pick a thread, or start a new one.</p> : <ThreadView model={model} threadId={model.selectedThreadId} />}
        <Composer model={model} />
      </main>
      <aside class="tools" aria-label="Tools">
        <div role="tablist" aria-label="Tools">
          {TOOLS.map(({ id, label }) => (
            <button key={id} role="tab" id={`tab-${id}`} aria-selected={tool === id} aria-controls={`panel-${id}`} tabIndex={tool === id ? 0 : -1} onClick={() => setTool(id)} onKeyDown={(event) => moveTab(event, tool, setTool)}>
              {label}
            </button>
          ))}
        </div>
        <section role="tabpanel" id={`panel-${tool}`} aria-labelledby={`tab-${tool}`} class="tool-panel">
          {tool === 'usage' && <UsagePanel model={model} />}
          {tool === 'log' && <RawLog model={model} />}
          {tool === 'console' && <RequestConsole model={model} />}
        </section>
      </aside>
      <RequestDialogs model={model} />
    </div>
  );
}

/** Arrow keys move between tabs (the WAI-ARIA tabs pattern). */
function moveTab(event: KeyboardEvent, current: ToolId, select: (id: ToolId) => void): void {
  const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
  if (step === 0) return;
  const index = TOOLS.findIndex((entry) => entry.id === current);
  const next = TOOLS[(index + step + TOOLS.length) % TOOLS.length]!.id;
  select(next);
  document.getElementById(`tab-${next}`)?.focus();
}
