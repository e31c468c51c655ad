// Turns the method table into JSON Schema: one bundle with every named definition, one file per
// message type with the definitions it reaches, and a methods index.
import * as z from 'zod';
import { methodTable } from '../../src/protocol/method-table.js';
import { namedTypes } from '../../src/protocol/named-types.js';
import type { MethodSpec } from '../../src/protocol/method-spec.js';

type Json = Record<string, unknown>;
const DRAFT = 'http://json-schema.org/draft-07/schema#';

export interface MethodIndexEntry {
  method: string;
  direction: MethodSpec['direction'];
  stability: MethodSpec['stability'];
  params: string | null;
  result: string | null;
  experimentalFields: string[];
  keelExtension: boolean;
  summary: string;
}

export function messageTypeNames(spec: MethodSpec): { params: string | null; result: string | null } {
  if (spec.direction === 'clientRequest' || spec.direction === 'serverRequest') {
    return { params: `${spec.typeName}Params`, result: `${spec.typeName}Response` };
  }
  return { params: spec.params ? `${spec.typeName}Notification` : null, result: null };
}

export function methodIndex(): MethodIndexEntry[] {
  return Object.entries(methodTable).map(([method, spec]: [string, MethodSpec]) => {
    const names = messageTypeNames(spec);
    return {
      method,
      direction: spec.direction,
      stability: spec.stability,
      params: names.params,
      result: names.result,
      experimentalFields: [...(spec.experimentalFields ?? [])],
      keelExtension: spec.keelExtension === true,
      summary: spec.summary,
    };
  });
}

/** Zod's output carries per-schema `$schema`/`$id` and closed objects; Keel ignores unknown fields. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === '$id') continue;
    if (key === 'additionalProperties' && value === false) continue;
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    out[key] = tidy(value);
  }
  return out;
}

export function wireDefinitions(): Record<string, Json> {
  const registry = z.registry<{ id: string; title: string }>();
  const add = (id: string, schema: z.ZodType) => {
    if (!registry.has(schema)) registry.add(schema, { id, title: id });
  };
  for (const [id, schema] of Object.entries(namedTypes)) add(id, schema);
  for (const spec of Object.values(methodTable) as MethodSpec[]) {
    const names = messageTypeNames(spec);
    if (names.params && spec.params) add(names.params, spec.params);
    if (names.result && 'result' in spec) add(names.result, spec.result);
  }
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-7', uri: (id) => `#/definitions/${id}` });
  const definitions: Record<string, Json> = {};
  for (const id of Object.keys(schemas).sort()) definitions[id] = tidy(schemas[id]) as Json;
  return definitions;
}

function referencedIds(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((child) => referencedIds(child, into));
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')) {
      into.add(value.slice('#/definitions/'.length));
    } else referencedIds(value, into);
  }
}

/** A definition with the closure of definitions it reaches, usable on its own. */
export function standaloneSchema(id: string, definitions: Record<string, Json>): Json {
  const reached = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const next = queue.pop()!;
    const found = new Set<string>();
    referencedIds(definitions[next], found);
    for (const ref of found) {
      if (!reached.has(ref) && ref !== id) {
        reached.add(ref);
        queue.push(ref);
      }
    }
  }
  const deps: Record<string, Json> = {};
  for (const ref of [...reached].sort()) deps[ref] = definitions[ref]!;
  return { $schema: DRAFT, ...definitions[id], ...(reached.size > 0 ? { definitions: deps } : {}) };
}

export function bundleSchema(definitions: Record<string, Json>): Json {
  return { $schema: DRAFT, title: 'KeelProtocol', type: 'object', definitions };
}
