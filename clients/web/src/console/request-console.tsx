// Any client request by hand: pick the method (from schema.json, grouped by prefix, experimental
// ones marked), fill the form built from its params' JSON Schema or edit the params as JSON (the
// two stay in sync; an edit in the JSON wins), send, and read the answer or the error with the
// time it took. A short history of sent requests loads back into the form.
import { useEffect, useState } from 'preact/hooks';
import type { InspectorModel } from '../model/inspector-model.js';
import { useModel } from '../model/use-model.js';
import { groupByPrefix, loadConsoleSchema, type ConsoleSchema } from './console-schema.js';
import { describeField } from './form-schema.js';
import { ObjectFields } from './schema-form.js';
import { ParamsJson } from './params-json.js';
import { useRemembered } from './remembered.js';
import { ConsoleHistory, sendConsoleRequest, type SentRequest } from './console-history.js';
import './request-console.css';

export function RequestConsole({ model }: { model: InspectorModel }) {
  useModel(model);
  const [schema, setSchema] = useState<ConsoleSchema | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [method, setMethod] = useRemembered(model, 'console.method', 'thread/list');
  const [params, setParams] = useRemembered<unknown>(model, 'console.params', {});
  const [history, setHistory] = useRemembered<SentRequest[]>(model, 'console.history', []);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    loadConsoleSchema().then(setSchema, (error: Error) => setLoadError(error.message));
  }, []);

  if (loadError !== null) return <p class="form-error">Could not load the protocol schema: {loadError}</p>;
  if (schema === null) return <p class="empty">Loading the protocol schema…</p>;
  const entry = schema.methods.find((candidate) => candidate.method === method) ?? schema.methods[0]!;
  const form = entry.params === null ? null : describeField({ $ref: `#/definitions/${entry.params}` }, schema.definitions).field;
  const last = history[0];

  const send = async () => {
    setBusy(true);
    const sent = await sendConsoleRequest(model, entry.method, params);
    setHistory([sent, ...history].slice(0, 10));
    setBusy(false);
  };

  return (
    <form class="request-console" aria-label="Request console" onSubmit={(event) => {
      event.preventDefault();
      void send();
    }}>
      <div class="console-method">
        <label for="console-method">Method</label>
        <select id="console-method" value={entry.method} onChange={(event) => {
          setMethod(event.currentTarget.value);
          setParams({});
        }}>
          {groupByPrefix(schema.methods).map((group) => (
            <optgroup key={group.prefix} label={group.prefix}>
              {group.methods.map((candidate) => (
                <option key={candidate.method} value={candidate.method}>
                  {candidate.method}
                  {candidate.stability === 'experimental' ? ' (experimental)' : ''}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <p class="console-summary">
        {entry.stability === 'experimental' && <strong class="console-experimental">experimental </strong>}
        {entry.summary}
      </p>
      {form?.kind === 'object' && (
        <fieldset class="form-object console-params">
          <legend>Params ({entry.params})</legend>
          <ObjectFields field={form} value={params} path="" onChange={setParams} />
        </fieldset>
      )}
      <ParamsJson value={params} onChange={setParams} />
      <button type="submit" disabled={busy || model.connection === null}>
        Send request
      </button>
      {last !== undefined && (
        <section class="console-answer" aria-label="Answer">
          <p class={last.outcome.kind === 'error' ? 'form-error' : 'console-ok'}>
            {last.method}: {last.outcome.kind === 'error' ? `error ${last.outcome.error.code}` : 'answered'} in {last.tookMs} ms
          </p>
          <pre role="region" aria-label="Response" tabIndex={0}>{JSON.stringify(last.outcome.kind === 'error' ? { error: last.outcome.error } : last.outcome.result, null, 2) ?? 'null'}</pre>
        </section>
      )}
      <ConsoleHistory history={history} onLoad={(sent) => {
        setMethod(sent.method);
        setParams(sent.params);
      }} />
    </form>
  );
}
