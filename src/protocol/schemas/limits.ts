// The longest values Keel accepts in params it stores or searches the store with. Each lands in
// the thread's event log, the index row every thread/list reads, or config.toml, where every later
// read would pay for it (a 50 MB thread name took 23 s to accept). Lengths count UTF-16 code units,
// JavaScript's string length (a character outside the BMP counts two). Over a maximum the request
// answers -32602 naming the field. app-server.md, *Limits*, lists them.
import * as z from 'zod';
import type { JsonValue } from './common.js';

const KIB = 1024;

export const limits = {
  /** `thread/name/set.name`: a title. */
  threadName: 4 * KIB,
  /** `thread/list.searchTerm`: a title's substring (a name, a 200-character preview) or a thread's indexed text's. */
  searchTerm: 4 * KIB,
  /** Ids and names: model, model provider, service tier and name, a config key path or key. */
  identifier: KIB,
  /** `cwd`: Linux's PATH_MAX. */
  path: 4 * KIB,
  /** `baseInstructions`, `developerInstructions`: Codex's maximum for a turn's text input. */
  instructions: KIB * KIB,
  /** Each string in a config value (config writes, the `config` of thread/start, resume and fork). */
  configString: 64 * KIB,
  /** Edits in one `config/batchWrite`. */
  configEdits: 1000,
  /** The text of one turn/start or turn/steer, all text items together, in characters (code
   * points): Codex's MAX_USER_INPUT_TEXT_CHARS, answered with Codex's own error. */
  turnInputText: KIB * KIB,
  /** `thread/goal/set.objective`: a goal the model is given with every goal turn. */
  goalObjective: 4 * KIB,
} as const;

/** A string of at most `max` characters; a longer one is refused with its length and the maximum. */
export const boundedString = (max: number) =>
  z.string().max(max, { error: (issue) => `too long: ${(issue.input as string).length} characters, the maximum is ${max}` });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where `text` holds a surrogate that is not half of a pair (UTF-8 cannot encode one), or -1. */
export function loneSurrogateAt(text: string): number {
  return text.search(LONE_SURROGATE);
}

/**
 * JSON's `"\ud800"` escape decodes to a lone surrogate; written as UTF-8 (config.toml, SQLite) it
 * would become U+FFFD without a word. Values that are written so are refused instead.
 */
export const notWellFormed = (at: number, what = '') => `not well-formed Unicode: a lone surrogate ${what}at character ${at}`;

/** A bounded string that UTF-8 can carry. */
export const wellFormedString = (max: number) =>
  boundedString(max).check((ctx) => {
    const at = loneSurrogateAt(ctx.value);
    if (at !== -1) ctx.issues.push({ code: 'custom', input: ctx.value, continue: true, message: notWellFormed(at) });
  });

/**
 * An object whose keys are bounded and well-formed. Checked on the whole object rather than by a key schema: zod
 * reports a bad key as an aborted branch, which a union hides behind "Invalid input" (so this
 * issue is marked `continue`), and its issue would name the key itself, a huge one echoed back.
 */
export const boundedKeys = <T extends z.ZodType>(value: T, max = limits.identifier) =>
  z
    .record(z.string(), value)
    .check((ctx) => {
      const keys = Object.keys(ctx.value);
      const long = keys.find((key) => key.length > max);
      if (long !== undefined) ctx.issues.push({ code: 'custom', input: ctx.value, continue: true, message: `a key is too long: ${long.length} characters, the maximum is ${max}` });
      const lone = keys.map(loneSurrogateAt).find((at) => at !== -1);
      if (lone !== undefined) ctx.issues.push({ code: 'custom', input: ctx.value, continue: true, message: notWellFormed(lone, 'in a key, ') });
    })
    // What the check says, for the JSON Schema.
    .meta({ propertyNames: { type: 'string', maxLength: max } });

/** A config value: JSON whose strings and object keys are bounded and well-formed. */
export const ConfigValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), wellFormedString(limits.configString), z.array(ConfigValue), boundedKeys(ConfigValue)]),
);
