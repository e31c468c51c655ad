// The conformance suite: every line Keel writes is checked against the official Codex schema
// (Keel's own bundle for Keel extensions) and against the wire facts Codex clients rely on.
// Violations are collected here; the setup file fails the running test when any were recorded.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { RECORDED_PROTOCOL_VERSION, schemaBundlePath } from '../../scripts/codex-protocol-path.js';
import { lookupMethod } from '../../src/protocol/method-table.js';
import type { MethodSpec } from '../../src/protocol/method-spec.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Violation {
  rule: string;
  detail: string;
  message: unknown;
}

/** Which request a response answers, as the test client recorded it when sending. */
export interface MessageContext {
  requestMethod: string | undefined;
}

const recorded: Violation[] = [];

export function recordViolation(rule: string, detail: string, message?: unknown): Violation {
  const violation = { rule, detail, message };
  recorded.push(violation);
  return violation;
}

export function takeViolations(): Violation[] {
  return recorded.splice(0, recorded.length);
}

// The setup file (conformance-hook.ts) takes the violations through this global instead of an
// import: a test file that never loads this module checked no line of Keel's, and does not pay for
// loading the method table and the checker (about 0.7 s of CPU per file, a fifth of the suite's).
(globalThis as Record<symbol, unknown>)[Symbol.for('keel.test.conformance')] = { take: takeViolations, format: formatViolations };

export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `- [${v.rule}] ${v.detail}\n    ${truncate(typeof v.message === 'string' ? v.message : JSON.stringify(v.message))}`)
    .join('\n');
}

function truncate(text: string | undefined, max = 600): string {
  if (text === undefined) return '(nothing)';
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// ---- schema bundles, compiled lazily and cached per definition ----

// Each message is checked against the release Keel implements and against the recorded release
// before it (RECORDED_PROTOCOL_VERSION), so a client written for the older schema reads it too.
type BundleName = 'stable' | 'experimental' | 'keel' | 'recorded-stable' | 'recorded-experimental';

const bundlePaths: Record<BundleName, string> = {
  stable: schemaBundlePath('stable'),
  experimental: schemaBundlePath('experimental'),
  keel: path.join(repoRoot, 'schema', 'keel.schema.json'),
  'recorded-stable': schemaBundlePath('stable', repoRoot, RECORDED_PROTOCOL_VERSION),
  'recorded-experimental': schemaBundlePath('experimental', repoRoot, RECORDED_PROTOCOL_VERSION),
};

const recordedOf = (name: 'stable' | 'experimental'): BundleName => (name === 'stable' ? 'recorded-stable' : 'recorded-experimental');

// Codex annotates integers with Rust-style formats that ajv does not know; check their ranges.
const integerFormats: Record<string, (n: number) => boolean> = {
  int32: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  uint8: (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 8,
  uint16: (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 16,
  uint32: (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
  int64: (n) => Number.isInteger(n),
  uint64: (n) => Number.isInteger(n) && n >= 0,
  uint: (n) => Number.isInteger(n) && n >= 0,
  double: (n) => Number.isFinite(n),
};

interface LoadedBundle {
  ajv: Ajv;
  definitions: Record<string, { oneOf?: Array<{ properties?: { method?: { enum?: unknown[] } } }> }>;
  validators: Map<string, ValidateFunction>;
}

const bundles = new Map<BundleName, LoadedBundle>();

function loadBundle(name: BundleName): LoadedBundle {
  let bundle = bundles.get(name);
  if (bundle === undefined) {
    const schema = JSON.parse(fs.readFileSync(bundlePaths[name], 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const [format, validate] of Object.entries(integerFormats)) ajv.addFormat(format, { type: 'number', validate });
    ajv.addSchema(schema, name);
    bundle = { ajv, definitions: schema.definitions, validators: new Map() };
    bundles.set(name, bundle);
  }
  return bundle;
}

/** `pointer` is a JSON pointer inside the bundle, e.g. `/definitions/v2/ServerDiagnosticsResponse`. */
function validator(name: BundleName, pointer: string): ValidateFunction {
  const bundle = loadBundle(name);
  let validate = bundle.validators.get(pointer);
  if (validate === undefined) {
    validate = bundle.ajv.getSchema(`${name}#${pointer}`);
    if (validate === undefined) throw new Error(`conformance: no schema at ${name}#${pointer}`);
    bundle.validators.set(pointer, validate);
  }
  return validate;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 8)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`)
    .join('; ');
}

/**
 * `ServerNotification`/`ServerRequest` are `oneOf` unions keyed by `method`; validating the one
 * variant whose method matches is equivalent and gives errors about that variant only.
 */
function unionMemberPointer(name: BundleName, union: string, method: string): string | undefined {
  const variants = loadBundle(name).definitions[union]?.oneOf ?? [];
  const matches = variants.flatMap((variant, index) => (variant.properties?.method?.enum?.includes(method) ? [index] : []));
  if (matches.length === 0) return undefined;
  return matches.length === 1 ? `/definitions/${union}/oneOf/${matches[0]}` : `/definitions/${union}`;
}

/** Typed as any entry, since the table may not hold every direction yet. */
function specOf(method: string): MethodSpec | undefined {
  return lookupMethod(method);
}

function bundleFor(spec: MethodSpec | undefined): 'stable' | 'experimental' {
  return spec?.stability === 'experimental' ? 'experimental' : 'stable';
}

// ---- the rules ----

type Report = (rule: string, detail: string) => void;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(msg: Record<string, unknown>, allowed: readonly string[], what: string, report: Report): void {
  const extra = Object.keys(msg).filter((key) => key !== 'jsonrpc' && !allowed.includes(key)); // jsonrpc has its own rule
  if (extra.length > 0) report('wire', `${what} has unexpected members: ${extra.join(', ')}`);
}

/** Whether the value matched; a mismatch is reported. */
function checkSchema(name: BundleName, pointer: string, value: unknown, what: string, report: Report): boolean {
  let validate: ValidateFunction;
  try {
    validate = validator(name, pointer);
  } catch (error) {
    // Runs inside a stdout handler: a throw here would crash the test worker, not fail the test.
    report('table', `cannot check ${what}: ${(error as Error).message}`);
    return false;
  }
  if (validate(value)) return true;
  report('schema', `${what} does not match ${name}#${pointer}: ${describeErrors(validate.errors)}`);
  return false;
}

function checkNotification(msg: Record<string, unknown>, report: Report): void {
  const method = msg.method as string;
  // `seq` (Keel's): the thread's event sequence number, beside emittedAtMs; Codex clients ignore it.
  checkKeys(msg, ['method', 'params', 'emittedAtMs', 'seq'], 'notification', report);
  if (typeof msg.emittedAtMs !== 'number' || !Number.isFinite(msg.emittedAtMs)) {
    report('wire', `notification ${method} lacks a numeric emittedAtMs`);
  }
  if ('seq' in msg && (typeof msg.seq !== 'number' || !Number.isInteger(msg.seq) || msg.seq < 0)) {
    report('wire', `notification ${method} has a seq that is not a non-negative integer: ${JSON.stringify(msg.seq)}`);
  }
  const spec = specOf(method);
  if (spec?.direction !== 'serverNotification') {
    report('table', `notification ${method} is not declared as a serverNotification in the method table`);
  }
  if (spec?.keelExtension) {
    checkSchema('keel', `/definitions/${spec.typeName}Notification`, msg.params, `params of ${method}`, report);
    return;
  }
  const bundle = bundleFor(spec);
  const pointer = unionMemberPointer(bundle, 'ServerNotification', method);
  if (pointer === undefined) return report('schema', `${method} is not a ServerNotification in the ${bundle} Codex schema`);
  if (!checkSchema(bundle, pointer, { method, params: msg.params }, `notification ${method}`, report)) return;
  // A notification the older release lacks (e.g. thread/search/partial) is checked once.
  const recorded = unionMemberPointer(recordedOf(bundle), 'ServerNotification', method);
  if (recorded !== undefined) checkSchema(recordedOf(bundle), recorded, { method, params: msg.params }, `notification ${method} (Codex ${RECORDED_PROTOCOL_VERSION})`, report);
}

function checkServerRequest(msg: Record<string, unknown>, report: Report): void {
  const method = msg.method as string;
  checkKeys(msg, ['id', 'method', 'params'], 'server request', report);
  if (!Number.isSafeInteger(msg.id) || (msg.id as number) < 0) {
    report('wire', `server request ${method} has id ${JSON.stringify(msg.id)}; server request ids are integers from 0`);
  }
  const spec = specOf(method);
  if (spec?.direction !== 'serverRequest') {
    report('table', `server request ${method} is not declared as a serverRequest in the method table`);
  }
  if (spec?.keelExtension) {
    checkSchema('keel', `/definitions/${spec.typeName}Params`, msg.params, `params of ${method}`, report);
    return;
  }
  const bundle = bundleFor(spec);
  const pointer = unionMemberPointer(bundle, 'ServerRequest', method);
  if (pointer === undefined) return report('schema', `${method} is not a ServerRequest in the ${bundle} Codex schema`);
  if (!checkSchema(bundle, pointer, { id: msg.id, method, params: msg.params }, `server request ${method}`, report)) return;
  const recorded = unionMemberPointer(recordedOf(bundle), 'ServerRequest', method);
  if (recorded !== undefined) checkSchema(recordedOf(bundle), recorded, { id: msg.id, method, params: msg.params }, `server request ${method} (Codex ${RECORDED_PROTOCOL_VERSION})`, report);
}

function checkResult(msg: Record<string, unknown>, context: MessageContext, report: Report): void {
  const method = context.requestMethod;
  if (typeof msg.id !== 'string' && !Number.isSafeInteger(msg.id)) {
    return report('wire', `success response has id ${JSON.stringify(msg.id)}`);
  }
  if (method === undefined) return report('wire', `success response to id ${JSON.stringify(msg.id)}, which the client never sent`);
  const spec = specOf(method);
  if (spec === undefined || spec.direction !== 'clientRequest') {
    return report('table', `success response to ${method}, which is not a clientRequest in the method table`);
  }
  if (spec.keelExtension) {
    checkSchema('keel', `/definitions/${spec.typeName}Response`, msg.result, `result of ${method}`, report);
    return;
  }
  if (spec.codexResult === undefined) return report('table', `${method} has neither codexResult nor keelExtension`);
  if (!checkSchema(bundleFor(spec), `/definitions/${spec.codexResult}`, msg.result, `result of ${method}`, report)) return;
  const recorded = recordedOf(bundleFor(spec));
  if (hasDefinition(recorded, spec.codexResult)) checkSchema(recorded, `/definitions/${spec.codexResult}`, msg.result, `result of ${method} (Codex ${RECORDED_PROTOCOL_VERSION})`, report);
}

/** Whether a bundle defines `v2/Name` or `Name` (a result type the older release may lack). */
function hasDefinition(name: BundleName, id: string): boolean {
  const [head = '', inner] = id.split('/');
  const definitions = loadBundle(name).definitions as Record<string, Record<string, unknown>>;
  return inner === undefined ? definitions[head] !== undefined : definitions[head]?.[inner] !== undefined;
}

function checkResponse(msg: Record<string, unknown>, context: MessageContext, report: Report): void {
  const hasResult = 'result' in msg;
  const hasError = 'error' in msg;
  if (!('id' in msg) || hasResult === hasError) {
    return report('wire', 'a line without "method" must be a response with "id" and exactly one of "result"/"error"');
  }
  checkKeys(msg, ['id', hasResult ? 'result' : 'error'], 'response', report);
  if (hasResult) return checkResult(msg, context, report);
  // JSON-RPC answers unparseable input with id null; Codex's JSONRPCError does not allow null.
  if (msg.id === null) checkSchema('stable', '/definitions/JSONRPCErrorError', msg.error, 'error of an id-null response', report);
  else checkSchema('stable', '/definitions/JSONRPCError', msg, 'error response', report);
}

/** Checks one parsed line Keel wrote; records and returns what is wrong with it. */
export function checkServerMessage(msg: unknown, context: MessageContext): Violation[] {
  const found: Violation[] = [];
  const report: Report = (rule, detail) => void found.push(recordViolation(rule, detail, msg));
  if (!isPlainObject(msg)) {
    report('wire', 'a line must be a JSON object');
    return found;
  }
  if ('jsonrpc' in msg) report('wire', 'has a "jsonrpc" member; Codex output omits it');
  if (typeof msg.method === 'string') {
    if ('id' in msg) checkServerRequest(msg, report);
    else checkNotification(msg, report);
  } else {
    checkResponse(msg, context, report);
  }
  return found;
}

/** What keeps the conformance suite from checking this table entry's messages (empty when fine). */
export function tableEntryProblems(method: string): string[] {
  const spec = specOf(method);
  const problems: string[] = [];
  const report: Report = (_rule, detail) => void problems.push(detail);
  const exists = (name: BundleName, pointer: string) => {
    try {
      validator(name, pointer);
    } catch (error) {
      report('table', (error as Error).message);
    }
  };
  if (spec === undefined) return [`${method} is not in the method table`];
  if (spec.keelExtension) {
    const suffix = spec.direction === 'clientRequest' ? 'Response' : spec.direction === 'serverRequest' ? 'Params' : 'Notification';
    if (spec.direction !== 'clientNotification') exists('keel', `/definitions/${spec.typeName}${suffix}`);
  } else if (spec.direction === 'clientRequest') {
    if (spec.codexResult === undefined) report('table', `${method} has neither codexResult nor keelExtension`);
    else exists(bundleFor(spec), `/definitions/${spec.codexResult}`);
  } else if (spec.direction !== 'clientNotification') {
    const union = spec.direction === 'serverRequest' ? 'ServerRequest' : 'ServerNotification';
    if (unionMemberPointer(bundleFor(spec), union, method) === undefined) {
      report('table', `${method} is not a ${union} in the ${bundleFor(spec)} Codex schema`);
    }
  }
  return problems;
}
