// Pure operations on a parsed config.toml document: checking it key by key against the `Config`
// schema (an invalid value becomes a warning and is left out, it never fails the whole file),
// applying edits, and the JSON view the wire shows. No I/O here.
import type { z } from 'zod';
import type { JsonValue } from '../protocol/schemas/common.js';
import {
  configFields,
  FallbackModel,
  KeelSettings,
  ModelProviderConfig,
  unmodelledCodexKeys,
} from '../protocol/schemas/config-methods.js';
import { loneSurrogateAt, notWellFormed } from '../protocol/schemas/limits.js';
import { DomainError } from '../kernel/errors.js';

/** A parsed TOML document: plain objects for tables; leaves are TOML values (strings, numbers,
 * booleans, arrays, dates). */
export type TomlDocument = Record<string, unknown>;
export type JsonObject = { [key: string]: JsonValue };

export interface ConfigWarning {
  /** Dotted key path of the value that was ignored, e.g. `keel.max_retries`. */
  path: string;
  message: string;
}

export interface ConfigEdit {
  /** Dotted, e.g. `model_providers.local.base_url`. */
  keyPath: string;
  /** JSON; `null` removes the key. */
  value: JsonValue;
  /** `upsert` deep-merges an object into an existing table; otherwise the same as `replace`. */
  mergeStrategy: 'replace' | 'upsert';
}

export function isTable(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** A deep copy with plain-object tables; non-table leaves (dates) are shared, they are never mutated. */
export function copyDocument(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyDocument);
  if (!isTable(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (!unsafeKeys.has(key)) out[key] = copyDocument(child);
  return out;
}

/** The JSON view of a TOML value: dates become their TOML text, non-finite floats `null`. */
export function toJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(toJson);
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return null;
}

// ---- lenient checking ----

type Check = (value: JsonValue, at: string, warnings: ConfigWarning[]) => JsonValue | undefined;

function join(at: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${at}[${key}]`;
  return at === '' ? String(key) : `${at}.${String(key)}`;
}

function strict(schema: z.ZodType): Check {
  return (value, at, warnings) => {
    const result = schema.safeParse(value);
    if (result.success) return result.data as JsonValue;
    for (const issue of result.error.issues) {
      // A union's own message is a bare "Invalid input"; its first alternative says what was expected.
      const message = (issue.code === 'invalid_union' && issue.errors[0]?.[0]?.message) || issue.message;
      warnings.push({ path: issue.path.reduce<string>((p, k) => join(p, k as PropertyKey), at), message });
    }
    return undefined;
  };
}

/** A table whose entries are checked by `checkFor(key)`; entries without a check pass through. */
function tableOf(checkFor: (key: string) => Check | undefined): Check {
  return (value, at, warnings) => {
    if (!isTable(value)) {
      warnings.push({ path: at, message: 'expected a table' });
      return undefined;
    }
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value as JsonObject)) {
      const check = checkFor(key);
      const checked = check ? check(child, join(at, key), warnings) : child;
      if (checked !== undefined) out[key] = checked;
    }
    return out;
  };
}

/** Known keys are checked one by one; unknown keys pass through. */
const table = (fields: Record<string, Check>): Check => tableOf((key) => (Object.hasOwn(fields, key) ? fields[key] : undefined));

/** Every entry is checked alone: an invalid one is dropped, the others stay. */
const recordOf = (entry: Check): Check => tableOf(() => entry);

function arrayOf(element: Check): Check {
  return (value, at, warnings) => {
    if (!Array.isArray(value)) {
      warnings.push({ path: at, message: 'expected an array' });
      return undefined;
    }
    return value.flatMap((child, i) => {
      const checked = element(child, join(at, i), warnings);
      return checked === undefined ? [] : [checked];
    });
  };
}

const skip: Check = () => undefined;

const checkDocument = table({
  ...Object.fromEntries(Object.entries(configFields).map(([key, schema]) => [key, strict(schema)])),
  ...Object.fromEntries(unmodelledCodexKeys.map((key) => [key, skip])),
  model_providers: recordOf(strict(ModelProviderConfig)),
  keel: table({
    ...Object.fromEntries(Object.entries(KeelSettings.shape).map(([key, schema]) => [key, strict(schema)])),
    fallback: arrayOf(strict(FallbackModel)),
  }),
});

/**
 * The value without the strings and keys UTF-8 cannot carry (a lone surrogate: a `-c` flag or an
 * edit can hold one, config.toml's text cannot), each left out with a warning, whatever the key:
 * written, it would become U+FFFD without a word.
 */
function wellFormed(value: JsonValue, at: string, warnings: ConfigWarning[]): JsonValue | undefined {
  if (typeof value === 'string') {
    const lone = loneSurrogateAt(value);
    if (lone === -1) return value;
    warnings.push({ path: at, message: notWellFormed(lone) });
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.flatMap((child, i) => {
      const kept = wellFormed(child, join(at, i), warnings);
      return kept === undefined ? [] : [kept];
    });
  }
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const lone = loneSurrogateAt(key);
    if (lone !== -1) warnings.push({ path: join(at, key), message: notWellFormed(lone, 'in a key, ') });
    else {
      const kept = wellFormed(child, join(at, key), warnings);
      if (kept !== undefined) out[key] = kept;
    }
  }
  return out;
}

/** The effective config (every valid value, unknown keys kept) and a warning per invalid value. */
export function checkConfig(document: TomlDocument): { effective: JsonObject; warnings: ConfigWarning[] } {
  const warnings: ConfigWarning[] = [];
  const effective = (checkDocument(wellFormed(toJson(document), '', warnings) ?? {}, '', warnings) ?? {}) as JsonObject;
  return { effective, warnings };
}

/** Dotted paths of every leaf (scalar or array) of a JSON object: the keys of `origins`. */
export function leafPaths(value: JsonObject, at = ''): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    isTable(child) ? leafPaths(child as JsonObject, join(at, key)) : [join(at, key)],
  );
}

// ---- edits ----

function splitKeyPath(keyPath: string): string[] {
  const segments = keyPath.split('.');
  if (keyPath === '' || segments.some((s) => s === '')) throw new DomainError('invalid', `invalid keyPath: ${JSON.stringify(keyPath)}`);
  const unsafe = segments.find((s) => unsafeKeys.has(s));
  if (unsafe !== undefined) throw new DomainError('invalid', `invalid keyPath: ${keyPath} (key ${unsafe} is not allowed)`);
  return segments;
}

/** A JSON value as TOML: `null` members of objects are dropped; TOML arrays cannot hold `null`. */
function fromJson(value: JsonValue, keyPath: string): unknown {
  if (Array.isArray(value)) {
    return value.map((child) => {
      if (child === null) throw new DomainError('invalid', `invalid value for ${keyPath}: arrays cannot contain null`);
      return fromJson(child, keyPath);
    });
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && !unsafeKeys.has(key)) out[key] = fromJson(child, `${keyPath}.${key}`);
    }
    return out;
  }
  return value;
}

/** Merges `patch` into the table `target` in place: `null` removes, tables merge, the rest replaces. */
function deepMerge(target: Record<string, unknown>, patch: JsonObject, keyPath: string): void {
  for (const [key, child] of Object.entries(patch)) {
    if (unsafeKeys.has(key)) continue;
    if (child === null) delete target[key];
    else if (isTable(child) && isTable(target[key])) deepMerge(target[key] as Record<string, unknown>, child as JsonObject, `${keyPath}.${key}`);
    else target[key] = fromJson(child, `${keyPath}.${key}`);
  }
}

/** The parent table of the last segment, creating missing tables on the way (unless `create` is false). */
function parentTable(document: TomlDocument, segments: string[], keyPath: string, create: boolean): Record<string, unknown> | undefined {
  let node: Record<string, unknown> = document;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i]!;
    const next = node[key];
    if (next === undefined) {
      if (!create) return undefined;
      node[key] = {};
    } else if (!isTable(next)) {
      if (!create) return undefined;
      throw new DomainError('invalid', `cannot write ${keyPath}: ${segments.slice(0, i + 1).join('.')} is not a table`);
    }
    node = node[key] as Record<string, unknown>;
  }
  return node;
}

/** Removes the key, then every table on its path that the removal left empty. */
function removeKey(document: TomlDocument, segments: string[]): void {
  const chain: Array<Record<string, unknown>> = [document];
  for (const key of segments.slice(0, -1)) {
    const next = chain[chain.length - 1]![key];
    if (!isTable(next)) return;
    chain.push(next);
  }
  delete chain[chain.length - 1]![segments[segments.length - 1]!];
  for (let i = chain.length - 1; i > 0 && Object.keys(chain[i]!).length === 0; i--) delete chain[i - 1]![segments[i - 1]!];
}

function applyEdit(document: TomlDocument, edit: ConfigEdit): void {
  const segments = splitKeyPath(edit.keyPath);
  if (edit.value === null) return removeKey(document, segments);
  const parent = parentTable(document, segments, edit.keyPath, true)!;
  const key = segments[segments.length - 1]!;
  const existing = parent[key];
  if (edit.mergeStrategy === 'upsert' && isTable(existing) && isTable(edit.value)) {
    deepMerge(existing, edit.value as JsonObject, edit.keyPath);
  } else {
    parent[key] = fromJson(edit.value, edit.keyPath);
  }
}

/** A new document with the edits applied in order; the input is not modified. */
export function applyEdits(document: TomlDocument, edits: readonly ConfigEdit[]): TomlDocument {
  const next = copyDocument(document) as TomlDocument;
  for (const edit of edits) applyEdit(next, edit);
  return next;
}

/** Whether a warning is about (or inside) the value an edit wrote. */
export function touches(warning: ConfigWarning, keyPath: string): boolean {
  const p = warning.path;
  return p === keyPath || p.startsWith(`${keyPath}.`) || p.startsWith(`${keyPath}[`) || keyPath.startsWith(`${p}.`);
}
