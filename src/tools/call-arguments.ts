// A call's arguments as real models send them, made into the tool's own input before it is
// validated, so a near miss does not cost the model a round trip:
// - JSON inside JSON: the whole arguments a JSON string holding the object (`"{\"path\":\"a\"}"`);
// - one level too deep: `{"arguments": {...}}`, `{"input": {...}}`, `{"params": {...}}` (also
//   `parameters`, `args`) as the only field, when the tool has no field of that name;
// - other spellings of a field: the tool's own aliases (Tool.aliases), the ones every model family
//   uses (`file_path` for `path`, `cmd` for `command` and back), and camelCase for snake_case
//   (`filePath` → `file_path` → `path`). The tool's own spelling wins when both are sent.
// Anything else is left as it is, for the schema to judge.

/** Wrappers models put around the real arguments. */
const WRAPPERS = new Set(['arguments', 'input', 'params', 'parameters', 'args']);

/** Spellings common to every tool: used when the tool has the field on the right and not the one on the left. */
const COMMON_ALIASES: Readonly<Record<string, string>> = { file_path: 'path', filename: 'path', cmd: 'command', command: 'cmd' };

export interface ToolFields {
  /** The tool's own field names. */
  fields: ReadonlySet<string>;
  aliases?: Readonly<Record<string, string>>;
}

export function normaliseArguments(raw: unknown, tool: ToolFields): unknown {
  const object = asObject(raw);
  if (object === null) return raw;
  return withOwnSpellings(unwrapped(object, tool.fields), tool);
}

/** An object, or a JSON string holding one (a string inside the JSON); else null. */
function asObject(value: unknown): Record<string, unknown> | null {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** `{"input": {...}}` → `{...}` when `input` is the only field and not one of the tool's; one level only. */
function unwrapped(object: Record<string, unknown>, fields: ReadonlySet<string>): Record<string, unknown> {
  const keys = Object.keys(object);
  if (keys.length !== 1 || !WRAPPERS.has(keys[0]!) || fields.has(keys[0]!)) return object;
  return asObject(object[keys[0]!]) ?? object;
}

/** The fields a JSON Schema of an object names (an MCP tool's or a client tool's input schema). */
export function schemaFields(schema: unknown): ReadonlySet<string> {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  return new Set(typeof properties === 'object' && properties !== null ? Object.keys(properties) : []);
}

function withOwnSpellings(object: Record<string, unknown>, tool: ToolFields): Record<string, unknown> {
  const out: Record<string, unknown> = { ...object };
  for (const key of Object.keys(object)) {
    const own = ownSpelling(key, tool);
    if (own === null || own === key) continue;
    if (!(own in out)) out[own] = object[key];
    delete out[key];
  }
  return out;
}

/** The tool's field `key` stands for, or null when it names none. */
function ownSpelling(key: string, tool: ToolFields): string | null {
  if (tool.fields.has(key)) return key;
  const alias = tool.aliases?.[key];
  if (alias !== undefined) return alias;
  const common = COMMON_ALIASES[key];
  if (common !== undefined && tool.fields.has(common)) return common;
  const snake = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return snake === key ? null : ownSpelling(snake, tool);
}
