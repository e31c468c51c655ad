// `-c key=value` on the command line (and `--enable F` / `--disable F`, which are `-c
// features.F=true|false`): the session-flags layer of the config, above config.toml for this process.
// Codex's rules: split at the first `=`, both halves trimmed; the key is a dotted path; the value is
// parsed as a TOML value and, when it does not parse, taken as a literal string (so `-c model=gpt-5`
// needs no quotes). Overrides apply in order: a later one replaces an earlier one at the same key.
// Start-up imports this module, so it stays small: smol-toml and nothing of the config schema.
import { parse } from 'smol-toml';
import type { JsonValue } from '../protocol/schemas/common.js';

/** One override as given on the command line, split but not yet parsed. */
export interface ConfigOverride {
  /** Dotted key path, e.g. `keel.max_retries`. */
  key: string;
  /** The value's text, parsed by `parseOverrideValue`. */
  value: string;
}

const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits `key=value`; throws an Error whose message says what is wrong with it. */
export function splitOverride(text: string): ConfigOverride {
  const eq = text.indexOf('=');
  if (eq === -1) throw new Error("missing '=' (expected key=value)");
  const key = text.slice(0, eq).trim();
  if (key === '') throw new Error('empty key (expected key=value)');
  const segments = key.split('.');
  if (segments.some((s) => s === '' || unsafeKeys.has(s))) throw new Error(`${key} is not a dotted key path`);
  return { key, value: text.slice(eq + 1).trim() };
}

/** The JSON view of a parsed TOML value: dates as their TOML text, integers as numbers. */
function toJson(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value as JsonValue;
}

/** The value as TOML (`"a"`, `1`, `true`, `[1, 2]`, `{ a = 1 }`), else the text itself. */
export function parseOverrideValue(text: string): JsonValue {
  const sentinel = '__keel_override_value__';
  try {
    const table = parse(`${sentinel} = ${text}`, { unsafeKeyBehaviour: 'drop' });
    // Text with a line break could define more keys than the one asked for: not a single value.
    if (Object.keys(table).length === 1 && Object.hasOwn(table, sentinel)) return toJson(table[sentinel]);
  } catch {
    // Not TOML: a literal string, as Codex takes it.
  }
  return text;
}

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The overrides applied in order onto an empty table; tables on a path are created, or replace a
 * value that is not a table. */
export function overridesDocument(overrides: readonly ConfigOverride[]): JsonObject {
  const root: JsonObject = {};
  for (const { key, value } of overrides) {
    const segments = key.split('.');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      node = isObject(next) ? next : (node[segment] = {});
    }
    node[segments[segments.length - 1]!] = parseOverrideValue(value);
  }
  return root;
}

/** `--enable F` / `--disable F` as the override they stand for. */
export function featureOverride(feature: string, enabled: boolean): ConfigOverride {
  return { key: `features.${feature}`, value: String(enabled) };
}
