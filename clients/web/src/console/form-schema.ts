// From a JSON Schema (as schema/ exports it: `$ref`s into `definitions`, nullable written as
// `anyOf [X, {type: null}]` or `type: [X, "null"]`) to the form the request console draws: which
// control each field gets. Pure, so it is unit-tested in Node; the controls live in schema-form.tsx.

export type JsonSchema = { [key: string]: unknown };
export type Definitions = Record<string, JsonSchema>;

export type Field =
  | { kind: 'string'; enum?: string[] }
  | { kind: 'number'; integer: boolean }
  | { kind: 'boolean' }
  | { kind: 'object'; properties: Property[] }
  /** anyOf/oneOf of constants and objects: a select, then the chosen object's own fields. */
  | { kind: 'choice'; options: ChoiceOption[] }
  /** An array of strings or numbers: one per line. */
  | { kind: 'lines'; item: 'string' | 'number' | 'integer' }
  /** Anything else: that field's JSON, typed in. */
  | { kind: 'json' };

export interface Property {
  name: string;
  required: boolean;
  /** The schema allows null: the field may be left unset like an optional one. */
  nullable: boolean;
  description?: string;
  field: Field;
}

export type ChoiceOption =
  | { label: string; constant: string }
  /** `tag`: the value of the variant's `type` property, set by choosing it (not shown as a field). */
  | { label: string; tag?: string; field: Extract<Field, { kind: 'object' }> };

/** Deeper than this (recursive types such as JsonValue) a field is edited as JSON. */
const MAX_DEPTH = 5;

/** The field for `schema`, with whether it admits null. */
export function describeField(schema: JsonSchema, definitions: Definitions, depth = 0): { field: Field; nullable: boolean } {
  const resolved = resolve(schema, definitions);
  const { schema: inner, nullable } = withoutNull(resolved, definitions);
  return { field: depth > MAX_DEPTH ? { kind: 'json' } : fieldOf(inner, definitions, depth), nullable };
}

/** Follows `$ref` (and a lone `allOf` wrapper) to the schema it names. */
export function resolve(schema: JsonSchema, definitions: Definitions): JsonSchema {
  let current = schema;
  for (let hops = 0; hops < 20; hops++) {
    if (typeof current.$ref === 'string') {
      const name = current.$ref.replace(/^#\/definitions\//, '');
      const target = definitions[name];
      if (target === undefined) return {};
      current = { ...target, ...(typeof current.description === 'string' ? { description: current.description } : {}) };
    } else if (Array.isArray(current.allOf) && current.allOf.length === 1) current = current.allOf[0] as JsonSchema;
    else return current;
  }
  return current;
}

function withoutNull(schema: JsonSchema, definitions: Definitions): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const types = schema.type.filter((type) => type !== 'null');
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const kept = (options as JsonSchema[]).filter((option) => resolve(option, definitions).type !== 'null');
    if (kept.length === options.length) continue;
    if (kept.length === 1) return { schema: resolve(kept[0]!, definitions), nullable: true };
    return { schema: { [key]: kept }, nullable: true };
  }
  return { schema, nullable: false };
}

function fieldOf(schema: JsonSchema, definitions: Definitions, depth: number): Field {
  const options = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(options)) return choiceOf(options as JsonSchema[], definitions, depth);
  if (typeof schema.const === 'string') return { kind: 'string', enum: [schema.const] };
  switch (schema.type) {
    case 'string':
      return Array.isArray(schema.enum) ? { kind: 'string', enum: schema.enum.map(String) } : { kind: 'string' };
    case 'integer':
    case 'number':
      return { kind: 'number', integer: schema.type === 'integer' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'object':
      return isRecordSchema(schema.properties) ? objectOf(schema, definitions, depth) : { kind: 'json' };
    case 'array': {
      const items = resolve((schema.items as JsonSchema | undefined) ?? {}, definitions);
      const item = items.type;
      return item === 'string' || item === 'number' || item === 'integer' ? { kind: 'lines', item } : { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

function objectOf(schema: JsonSchema, definitions: Definitions, depth: number): Extract<Field, { kind: 'object' }> {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const properties = Object.entries(schema.properties as Record<string, JsonSchema>).map(([name, property]): Property => {
    const { field, nullable } = describeField(property, definitions, depth + 1);
    const description = resolve(property, definitions).description;
    return { name, required: required.has(name), nullable, ...(typeof description === 'string' ? { description } : {}), field };
  });
  return { kind: 'object', properties };
}

/** Constants (string enums) and objects become a choice; any other mix is edited as JSON. */
function choiceOf(options: JsonSchema[], definitions: Definitions, depth: number): Field {
  const choices: ChoiceOption[] = [];
  for (const [index, raw] of options.entries()) {
    const option = resolve(raw, definitions);
    if (option.type === 'string' && (Array.isArray(option.enum) || typeof option.const === 'string')) {
      const values = Array.isArray(option.enum) ? option.enum.map(String) : [option.const as string];
      for (const constant of values) choices.push({ label: constant, constant });
    } else if (option.type === 'object' && isRecordSchema(option.properties)) {
      const field = objectOf(option, definitions, depth);
      const tagSchema = (option.properties as Record<string, JsonSchema>).type;
      const tag = tagSchema !== undefined && typeof tagSchema.const === 'string' ? tagSchema.const : undefined;
      if (tag !== undefined) choices.push({ label: tag, tag, field: { kind: 'object', properties: field.properties.filter((property) => property.name !== 'type') } });
      else choices.push({ label: soleRequired(option) ?? `option ${index + 1}`, field });
    } else return { kind: 'json' };
  }
  return { kind: 'choice', options: choices };
}

/** An untagged variant is named by its one required property (`{granular: …}` → "granular"). */
function soleRequired(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.required) && schema.required.length === 1 ? String(schema.required[0]) : undefined;
}

/** Which option of a choice `value` is, or -1. */
export function chosenOption(field: Extract<Field, { kind: 'choice' }>, value: unknown): number {
  return field.options.findIndex((option) => {
    if ('constant' in option) return value === option.constant;
    if (!isRecord(value)) return false;
    if (option.tag !== undefined) return value.type === option.tag;
    return option.field.properties.filter((property) => property.required).every((property) => property.name in value);
  });
}

/** The value choosing an option starts with: the constant, or the variant (its tag set) with its required fields filled. */
export function startValue(option: ChoiceOption): unknown {
  if ('constant' in option) return option.constant;
  const filled = requiredDefaults(option.field);
  return option.tag !== undefined ? { type: option.tag, ...filled } : filled;
}

/** An object with each required, non-nullable field at its plainest value (so the variant is recognisable and valid). */
function requiredDefaults(field: Extract<Field, { kind: 'object' }>): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const property of field.properties) if (property.required && !property.nullable) value[property.name] = plainest(property.field);
  return value;
}

function plainest(field: Field): unknown {
  switch (field.kind) {
    case 'string':
      return field.enum?.[0] ?? '';
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'object':
      return requiredDefaults(field);
    case 'choice':
      return startValue(field.options[0]!);
    case 'lines':
      return [];
    case 'json':
      return null;
  }
}

/** `object` with `name` set to `value`, or without it when `value` is undefined (unset fields are omitted). */
export function withProperty(object: unknown, name: string, value: unknown): Record<string, unknown> {
  const { [name]: _old, ...rest } = isRecord(object) ? object : {};
  return value === undefined ? rest : { ...rest, [name]: value };
}

/** A one-per-line textarea's value: empty lines dropped, numbers parsed; nothing left → unset. */
export function parseLines(text: string, item: 'string' | 'number' | 'integer'): unknown[] | undefined {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length === 0) return undefined;
  return item === 'string' ? lines : lines.map(Number);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecordSchema(value: unknown): value is Record<string, JsonSchema> {
  return isRecord(value);
}
