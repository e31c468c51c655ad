// `-c key=value`, `--enable F` and `--disable F` as Codex reads them: split at the first `=`, both
// halves trimmed, the key a dotted path. The value stays text here; the config parses it as TOML
// (src/config/config-overrides.ts) once it is read, after the handshake, so start-up loads no parser.
import type { ConfigOverride } from '../config/config-overrides.js';

const unsafeKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits `key=value`; throws an Error whose message says what is wrong with it. */
export function splitConfigFlag(text: string): ConfigOverride {
  const eq = text.indexOf('=');
  if (eq === -1) throw new Error("missing '=' (expected key=value)");
  const key = text.slice(0, eq).trim();
  if (key === '') throw new Error('empty key (expected key=value)');
  if (key.split('.').some((s) => s === '' || unsafeKeys.has(s))) throw new Error(`${key} is not a dotted key path`);
  return { key, value: text.slice(eq + 1).trim() };
}

/** `--enable F` / `--disable F`: the override they stand for, `-c features.F=true|false`. */
export function featureFlag(feature: string, enabled: boolean): ConfigOverride {
  return { key: `features.${feature}`, value: String(enabled) };
}
