// `--strict-config`: the keys of config.toml Keel does not know. Known are the keys the config schema
// models (the same schema the store checks values against, walked table by table, into arrays and
// `model_providers.<id>`), and Codex's settings Keel keeps but ignores. A table with no modelled keys
// (`desktop`) and a map of free names (`http_headers`) accept any key.
import * as z from 'zod';
import { Config, unmodelledCodexKeys } from '../protocol/schemas/config-methods.js';
import { isTable, type TomlDocument } from './config-document.js';

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
  return current;
}

function collect(value: unknown, schema: z.ZodType, at: string, into: string[]): void {
  const inner = unwrap(schema);
  const join = (key: string) => (at === '' ? key : `${at}.${key}`);
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    value.forEach((element, i) => collect(element, inner.element as z.ZodType, `${at}[${i}]`, into));
  } else if (inner instanceof z.ZodRecord && isTable(value)) {
    for (const [key, child] of Object.entries(value)) collect(child, inner.valueType as z.ZodType, join(key), into);
  } else if (inner instanceof z.ZodObject && isTable(value)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    if (Object.keys(shape).length === 0) return;
    for (const [key, child] of Object.entries(value)) {
      if (Object.hasOwn(shape, key)) collect(child, shape[key]!, join(key), into);
      else if (!(at === '' && unmodelledCodexKeys.includes(key))) into.push(join(key));
    }
  }
}

/** Dotted paths of the keys Keel does not know, in file order; `[i]` marks an array element. */
export function unknownKeys(document: TomlDocument): string[] {
  const found: string[] = [];
  collect(document, Config, '', found);
  return found;
}
