// The composer: a message for the open thread (turn/start, with the model, effort, approval and
// sandbox the user changed, and Plan mode), steering the running turn (turn/steer) and interrupting it
// (turn/interrupt). With no thread open, Send starts one first.
import { useEffect, useState } from 'preact/hooks';
import type { Model, UserInput } from '../../../../generated/protocol.js';
import type { InspectorModel } from '../model/inspector-model.js';
import { APPROVAL_POLICIES, NO_CHOICES, SANDBOX_MODES, turnOverrides, type ComposerChoices } from './turn-overrides.js';
import './composer.css';

export function Composer({ model }: { model: InspectorModel }) {
  const [text, setText] = useState('');
  const [choices, setChoices] = useState<ComposerChoices>(NO_CHOICES);
  const [error, setError] = useState<string | null>(null);
  const models = useModels(model);
  const threadId = model.selectedThreadId;
  const thread = threadId === null ? undefined : model.wireThread(threadId);
  const runningTurnId = thread?.turns.findLast((turn) => turn.status === 'inProgress')?.id ?? null;
  const connected = model.status.kind === 'open';
  // Untouched, the select shows what the turn will use: the thread's model, or for a new thread the server's default.
  const shownModel = choices.model ?? (thread?.model || models.find((entry) => entry.isDefault)?.id) ?? '';
  const efforts = models.find((entry) => entry.id === shownModel || entry.model === shownModel)?.supportedReasoningEfforts ?? [];
  const choose = (patch: Partial<ComposerChoices>) => setChoices({ ...choices, ...patch });

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const input = (): UserInput[] => [{ type: 'text', text, text_elements: [] }];
  const send = () =>
    run(async () => {
      if (text.trim() === '') return;
      // The model's selection now, not this render's: a thread/start answered since (the page redraws
      // on the next frame) is already open, and Send must not start a second one.
      let id = model.selectedThreadId;
      const openedSince = id !== null && id !== threadId ? model.wireThread(id) : undefined;
      let turnModel = choices.model ?? (openedSince?.model || shownModel);
      if (id === null) {
        const started = await model.startThread();
        id = started.thread.id;
        turnModel = choices.model ?? started.model;
      }
      await model.request('turn/start', { threadId: id, input: input(), ...turnOverrides(choices, turnModel) });
      // Cleared once the server took it: a refused message stays to be fixed and sent again.
      setText('');
    });
  const steer = () =>
    run(async () => {
      if (threadId === null || runningTurnId === null || text.trim() === '') return;
      await model.request('turn/steer', { threadId, input: input(), expectedTurnId: runningTurnId });
      setText('');
    });
  const interrupt = () => run(async () => threadId !== null && runningTurnId !== null && (await model.request('turn/interrupt', { threadId, turnId: runningTurnId })));

  return (
    <form
      class="composer"
      aria-label="Composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <label for="composer-message">Message</label>
      <textarea
        id="composer-message"
        value={text}
        rows={3}
        placeholder="Ctrl+Enter (⌘+Enter) sends"
        onInput={(event) => setText((event.target as HTMLTextAreaElement).value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            void send();
          }
        }}
      />
      <div class="composer-choices">
        <label>
          Model
          <select value={shownModel} onChange={(event) => choose({ model: (event.target as HTMLSelectElement).value, effort: '' })}>
            {shownModel !== '' && !models.some((entry) => entry.id === shownModel) && <option value={shownModel}>{shownModel}</option>}
            {shownModel === '' && <option value="">default</option>}
            {models.map((entry) => (
              <option key={`${entry.modelProvider}/${entry.id}`} value={entry.id}>
                {entry.displayName} ({entry.modelProvider})
              </option>
            ))}
          </select>
        </label>
        <label>
          Reasoning effort
          <select value={choices.effort} onChange={(event) => choose({ effort: (event.target as HTMLSelectElement).value })}>
            <option value="">default</option>
            {efforts.map(({ reasoningEffort }) => (
              <option key={reasoningEffort} value={reasoningEffort}>
                {reasoningEffort}
              </option>
            ))}
          </select>
        </label>
        <label>
          Approval policy
          <select value={choices.approvalPolicy} onChange={(event) => choose({ approvalPolicy: (event.target as HTMLSelectElement).value as ComposerChoices['approvalPolicy'] })}>
            <option value="">unset</option>
            {APPROVAL_POLICIES.map((policy) => (
              <option key={policy} value={policy}>
                {policy}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sandbox
          <select value={choices.sandbox} onChange={(event) => choose({ sandbox: (event.target as HTMLSelectElement).value as ComposerChoices['sandbox'] })}>
            <option value="">unset</option>
            {SANDBOX_MODES.map((mode) => (
              <option key={mode} value={mode}>
                {mode}
              </option>
            ))}
          </select>
        </label>
        <label>
          Collaboration mode
          <select value={choices.mode} onChange={(event) => choose({ mode: (event.target as HTMLSelectElement).value as ComposerChoices['mode'] })}>
            <option value="">default</option>
            <option value="plan">plan</option>
          </select>
        </label>
      </div>
      <div class="composer-actions">
        <button type="submit" disabled={!connected}>
          Send
        </button>
        <button type="button" disabled={!connected || runningTurnId === null} onClick={() => void steer()}>
          Steer
        </button>
        <button type="button" disabled={!connected || runningTurnId === null} onClick={() => void interrupt()}>
          Interrupt
        </button>
      </div>
      {error !== null && (
        <p role="alert" class="composer-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** Every model model/list offers, all pages, once connected. */
function useModels(model: InspectorModel): Model[] {
  const [models, setModels] = useState<Model[]>([]);
  const connected = model.status.kind === 'open';
  useEffect(() => {
    if (!connected) return;
    let cancelled = false;
    void (async () => {
      const all: Model[] = [];
      let cursor: string | null = null;
      do {
        const page = await model.request('model/list', { cursor });
        all.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor !== null && !cancelled);
      if (!cancelled) setModels(all);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [model, connected]);
  return models;
}
