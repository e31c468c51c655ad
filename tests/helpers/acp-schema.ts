// Checks every message Keel sends over ACP against ACP's published JSON Schema (the SDK's
// schema/v1/schema.json). The schema names each type's method and side (`x-method`, `x-side`), so
// the method → type maps are read from it, not written by hand; a method only the unstable schema
// has (schema.unstable.json) is checked against that one. A response is typed by the method of the
// request it answers, so the checker is told the ids of the requests the client sent.
import fs from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Schema = { $defs: Record<string, { 'x-method'?: string; 'x-side'?: string }>; anyOf: unknown[] };
// The SDK's exports do not include its schema files: they are read from the package's folder.
const read = (file: string) => JSON.parse(fs.readFileSync(new URL(`../../node_modules/@agentclientprotocol/sdk/schema/v1/${file}`, import.meta.url), 'utf8')) as Schema;
const stable = read('schema.json');
const unstable = read('schema.unstable.json');

interface Checker {
  /** The whole message as an agent writes it (the schema's "Agent" branch: jsonrpc, then request, response or notification). */
  envelope: ValidateFunction;
  error: ValidateFunction;
  byKind: Record<'Request' | 'Response' | 'Notification', Map<string, ValidateFunction>>;
}

function checkerOf(schema: Schema, id: string): Checker {
  // x-* annotations and int64 formats are the schema's own vocabulary, not errors.
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  ajv.addSchema({ ...schema, $id: id });
  const def = (name: string) => ajv.getSchema(`${id}#/$defs/${name}`)!;
  const byKind: Checker['byKind'] = { Request: new Map(), Response: new Map(), Notification: new Map() };
  for (const [name, type] of Object.entries(schema.$defs)) {
    const method = type['x-method'];
    if (method === undefined) continue;
    // What an agent sends: answers to the agent side's methods, requests and notifications to the client side's.
    if (name.endsWith('Response') && type['x-side'] === 'agent') byKind.Response.set(method, def(name));
    if (name.endsWith('Request') && type['x-side'] === 'client') byKind.Request.set(method, def(name));
    if (name.endsWith('Notification') && type['x-side'] === 'client') byKind.Notification.set(method, def(name));
  }
  ajv.addSchema({ $id: `${id}-agent`, $ref: `${id}#/anyOf/0` });
  return { envelope: ajv.getSchema(`${id}-agent`)!, error: def('Error'), byKind };
}

let checkers: Checker[] | undefined;
const loaded = () => (checkers ??= [checkerOf(stable, 'acp-v1'), checkerOf(unstable, 'acp-v1-unstable')]);

type Message = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };

/** What is wrong with one message Keel sent, or null. `requestMethod` names the method of the client's request a response answers. */
export function acpMessageProblem(message: unknown, requestMethod: (id: unknown) => string | undefined): string | null {
  const [main] = loaded();
  const m = message as Message;
  if (!main!.envelope(message)) return `not an ACP agent message: ${describe(main!.envelope)}`;
  if (m.error !== undefined) return main!.error(m.error) ? null : `error object: ${describe(main!.error)}`;
  const kind = m.method === undefined ? 'Response' : m.id === undefined ? 'Notification' : 'Request';
  const method = kind === 'Response' ? requestMethod(m.id) : String(m.method);
  if (method === undefined) return `a response to id ${JSON.stringify(m.id)}, which the client never sent`;
  const checker = loaded().find((c) => c.byKind[kind].has(method));
  if (checker === undefined) return `the schema has no ${kind.toLowerCase()} type for ${method}`;
  const validate = checker.byKind[kind].get(method)!;
  return validate(kind === 'Response' ? m.result : m.params) ? null : `${method} ${kind.toLowerCase()}: ${describe(validate)}`;
}

function describe(validate: ValidateFunction): string {
  return (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}
