// mcpServer/elicitation/request: an MCP server asks the user for data. Form mode's
// requestedSchema is flat (primitive properties only, per MCP), so each property is one field;
// URL mode (Codex) shows the address to open. Accept sends the form; Decline and Cancel send nothing.
import { useState } from 'preact/hooks';
import type { JsonValue, McpServerElicitationRequestParams, McpServerElicitationRequestResponse } from '../../../../generated/protocol.js';
import type { DialogBodyProps, DialogKind } from './request-dialogs.js';

interface PropertySchema {
  type?: string;
  title?: string;
  description?: string;
  enum?: string[];
}

const reply = (action: McpServerElicitationRequestResponse['action'], content?: JsonValue) => (action === 'accept' ? { action, content: content ?? null } : { action });

export const ElicitationDialog: DialogKind = {
  title: 'Elicitation',
  body: (props: DialogBodyProps) => <ElicitationForm {...props} />,
  onEscape: (request) => request.answer(reply('cancel')),
};

function ElicitationForm({ request }: DialogBodyProps) {
  const params = request.params as McpServerElicitationRequestParams & { url?: string };
  const properties = (params.requestedSchema?.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set(params.requestedSchema?.required ?? []);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const content = (): JsonValue => {
    const out: Record<string, JsonValue> = {};
    for (const [name, schema] of Object.entries(properties)) {
      const value = values[name];
      if (value === undefined || value === '') continue;
      out[name] = schema.type === 'number' || schema.type === 'integer' ? Number(value) : value;
    }
    return out;
  };
  return (
    <form
      class="request-form"
      onSubmit={(event) => {
        event.preventDefault();
        request.answer(reply('accept', content()));
      }}
    >
      <p>
        <strong>{params.serverName}</strong>: {params.message}
      </p>
      {typeof params.url === 'string' && (
        <p>
          Open: <code>{params.url}</code>
        </p>
      )}
      {Object.entries(properties).map(([name, schema]) => (
        <Field key={name} name={name} schema={schema} required={required.has(name)} value={values[name]} set={(value) => setValues({ ...values, [name]: value })} />
      ))}
      <div class="request-actions">
        <button type="submit">Accept</button>
        <button type="button" onClick={() => request.answer(reply('decline'))}>
          Decline
        </button>
        <button type="button" onClick={() => request.answer(reply('cancel'))}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Field({ name, schema, required, value, set }: { name: string; schema: PropertySchema; required: boolean; value: string | boolean | undefined; set: (value: string | boolean) => void }) {
  const label = schema.title ?? name;
  if (schema.type === 'boolean') {
    return (
      <label class="question-option">
        <input type="checkbox" checked={value === true} onChange={(event) => set((event.target as HTMLInputElement).checked)} />
        {label}
      </label>
    );
  }
  return (
    <label class="question-text">
      {label}
      {schema.description && <span class="question-description">{schema.description}</span>}
      {schema.enum ? (
        <select required={required} value={String(value ?? '')} onChange={(event) => set((event.target as HTMLSelectElement).value)}>
          <option value="">—</option>
          {schema.enum.map((entry) => (
            <option key={entry} value={entry}>
              {entry}
            </option>
          ))}
        </select>
      ) : (
        <input type={schema.type === 'number' || schema.type === 'integer' ? 'number' : 'text'} required={required} value={String(value ?? '')} onInput={(event) => set((event.target as HTMLInputElement).value)} />
      )}
    </label>
  );
}
