// The stable surface of Keel's contract, as Codex's generators write it without `--experimental`:
// the JSON Schema and method index minus the experimental methods (with their params and result
// types), the experimental fields of stable methods, and the definitions only those reach. Pure JSON
// work on the generated artifacts: `npm run gen` renders the stable TypeScript through it and
// `keel app-server generate-json-schema` filters the committed schema with it.

type Json = Record<string, unknown>;
type Definitions = Record<string, Json>;

/** The part of a `schema/methods.json` entry the filter reads. */
export interface SurfaceEntry {
  stability: 'stable' | 'experimental';
  params: string | null;
  result: string | null;
  experimentalFields: readonly string[];
}

const isExperimental = (entry: SurfaceEntry) => entry.stability === 'experimental';

/** The message types of experimental methods. */
function experimentalTypes(index: readonly SurfaceEntry[]): Set<string> {
  return new Set(index.filter(isExperimental).flatMap((entry) => [entry.params, entry.result]).filter((name): name is string => name !== null));
}

/** Params type → the fields a client may only send with the experimental API. */
function experimentalFields(index: readonly SurfaceEntry[]): Map<string, readonly string[]> {
  return new Map(index.filter((e) => !isExperimental(e) && e.params !== null && e.experimentalFields.length > 0).map((e) => [e.params!, e.experimentalFields]));
}

function withoutFields(schema: Json, fields: readonly string[]): Json {
  const properties = Object.fromEntries(Object.entries((schema.properties as Json | undefined) ?? {}).filter(([key]) => !fields.includes(key)));
  const required = ((schema.required as string[] | undefined) ?? []).filter((key) => !fields.includes(key));
  const { required: _required, ...rest } = schema;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

function refsOf(node: unknown, into: string[]): void {
  if (Array.isArray(node)) return node.forEach((child) => refsOf(child, into));
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/definitions/')) into.push(value.slice('#/definitions/'.length));
    else refsOf(value, into);
  }
}

function reachable(definitions: Definitions, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id) || definitions[id] === undefined) continue;
    seen.add(id);
    refsOf(definitions[id], queue);
  }
  return seen;
}

const messageTypes = (index: readonly SurfaceEntry[]) => index.flatMap((e) => [e.params, e.result]).filter((name): name is string => name !== null);

/** The definitions without the experimental surface; definitions no message reaches at all are kept. */
export function stableDefinitions(definitions: Definitions, index: readonly SurfaceEntry[]): Definitions {
  const dropped = experimentalTypes(index);
  const fields = experimentalFields(index);
  const kept: Definitions = {};
  for (const [id, schema] of Object.entries(definitions)) {
    if (!dropped.has(id)) kept[id] = fields.has(id) ? withoutFields(schema, fields.get(id)!) : schema;
  }
  const before = reachable(definitions, messageTypes(index));
  const after = reachable(kept, messageTypes(stableIndex(index)));
  for (const id of Object.keys(kept)) if (before.has(id) && !after.has(id)) delete kept[id];
  return kept;
}

/** The method index without experimental methods; no field is experimental any more. */
export function stableIndex<E extends SurfaceEntry>(index: readonly E[]): E[] {
  return index.filter((entry) => !isExperimental(entry)).map((entry) => ({ ...entry, experimentalFields: [] }));
}

/** A bundle (`{..., definitions}`) reduced to the stable surface. */
export function stableBundle(bundle: Json, index: readonly SurfaceEntry[]): Json {
  return { ...bundle, definitions: stableDefinitions(bundle.definitions as Definitions, index) };
}

/** A standalone message schema (its own type at the root, `definitions` of what it reaches), or null
 * when the message belongs to an experimental method. */
export function stableMessage(name: string, schema: Json, index: readonly SurfaceEntry[]): Json | null {
  if (experimentalTypes(index).has(name)) return null;
  const fields = experimentalFields(index).get(name);
  if (fields === undefined) return schema;
  const root = withoutFields(schema, fields);
  const definitions = (schema.definitions as Definitions | undefined) ?? {};
  const { definitions: _definitions, ...rest } = root;
  // The root is not in its own `definitions`: reach from it through a stand-in entry.
  const keep = reachable({ ...definitions, [name]: rest }, [name]);
  const left = Object.fromEntries(Object.entries(definitions).filter(([id]) => keep.has(id)));
  return { ...rest, ...(Object.keys(left).length > 0 ? { definitions: left } : {}) };
}
