// `-c key=value` overrides (and `--enable F` / `--disable F`, which are `-c features.F=true|false`):
// the session-flags layer of the config, above config.toml for this process. As in Codex, the value
// is parsed as a TOML value and, when it does not parse, taken as a literal string (so `-c
// model=gpt-5` needs no quotes); overrides apply in order, a later one replacing an earlier one at
// the same key. The command line splits them (src/cli/config-flags.ts); this parses them.
import { parse } from 'smol-toml';
import type { JsonValue } from '../protocol/schemas/common.js';
import { isTable, toJson, type JsonObject } from './config-document.js';

/** One override as given on the command line: split, its value not yet parsed. */
export interface ConfigOverride {
  /** Dotted key path, e.g. `keel.max_retries`. */
  key: string;
  /** The value's text, parsed by `parseOverrideValue`. */
  value: string;
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

/** The overrides applied in order onto an empty table; tables on a path are created, or replace a
 * value that is not a table. */
export function overridesDocument(overrides: readonly ConfigOverride[]): JsonObject {
  const root: JsonObject = {};
  for (const { key, value } of overrides) {
    const segments = key.split('.');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      const next = node[segment];
      node = isTable(next) ? (next as JsonObject) : (node[segment] = {});
    }
    node[segments[segments.length - 1]!] = parseOverrideValue(value);
  }
  return root;
}
