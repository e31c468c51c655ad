// What changed between two releases of Codex's app-server protocol, read from their JSON Schema
// bundles: methods added or removed (and moved between stable and experimental), and named types
// added, removed or changed, each change told field by field. `npm run vendor:codex` prints it so
// that moving Keel to the next release starts from a list rather than from a diff of 1 MB of JSON.

type Json = Record<string, unknown>;

export interface ProtocolBundles {
  stable: Json;
  experimental: Json;
}

/** The unions whose variants are the methods, with the direction each stands for. */
const UNIONS = {
  ClientRequest: 'client request',
  ClientNotification: 'client notification',
  ServerRequest: 'server request',
  ServerNotification: 'server notification',
} as const;

export interface MethodChange {
  method: string;
  direction: string;
  stability: 'stable' | 'experimental';
}

export interface TypeChange {
  name: string;
  /** One line per difference: `+ field`, `- field`, `~ field: what`. */
  details: string[];
}

export interface ProtocolDiff {
  methodsAdded: MethodChange[];
  methodsRemoved: MethodChange[];
  /** Same method, other stability: `from` → `to`. */
  stabilityChanged: Array<{ method: string; direction: string; from: string; to: string }>;
  typesAdded: string[];
  typesRemoved: string[];
  typesChanged: TypeChange[];
}

function methodsOf(bundle: Json): Map<string, string> {
  const definitions = bundle.definitions as Record<string, Json>;
  const methods = new Map<string, string>();
  for (const [union, direction] of Object.entries(UNIONS)) {
    for (const variant of (definitions[union]?.oneOf as Json[] | undefined) ?? []) {
      const method = ((variant.properties as Json | undefined)?.method as Json | undefined)?.enum as string[] | undefined;
      if (method?.[0] !== undefined) methods.set(method[0], direction);
    }
  }
  return methods;
}

/** Every method with its stability: stable when the stable bundle has it, else experimental. */
function surfaceOf(bundles: ProtocolBundles): Map<string, MethodChange> {
  const stable = methodsOf(bundles.stable);
  const surface = new Map<string, MethodChange>();
  for (const [method, direction] of methodsOf(bundles.experimental)) {
    surface.set(method, { method, direction, stability: stable.has(method) ? 'stable' : 'experimental' });
  }
  for (const [method, direction] of stable) if (!surface.has(method)) surface.set(method, { method, direction, stability: 'stable' });
  return surface;
}

/** Named types, flattened: the top-level definitions and the `v2` namespace (as `v2/Name`). The
 * method unions are left out: their changes are the method lists above. */
function typesOf(bundle: Json): Map<string, Json> {
  const types = new Map<string, Json>();
  for (const [name, schema] of Object.entries(bundle.definitions as Record<string, Json>)) {
    if (name in UNIONS) continue;
    if (name === 'v2') {
      for (const [inner, innerSchema] of Object.entries(schema as Record<string, Json>)) types.set(`v2/${inner}`, innerSchema);
    } else {
      types.set(name, schema);
    }
  }
  return types;
}

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};

/** How one type differs: each path where the two schemas part (descriptions left out), enums told as
 * values added and removed, properties as fields added and removed. */
function typeDetails(before: Json, after: Json): string[] {
  const details: string[] = [];
  walk(withoutDescription(before), withoutDescription(after), '', details);
  if (details.length === 0) details.push('~ descriptions only');
  return details;
}

/** A variant of a union is named by its tag (`type`/`mode`/`method` enum) where it has one, so that
 * inserting a variant does not make every later one look changed. */
function variantKey(variant: unknown, index: number): string {
  const properties = (variant as Json | null)?.properties as Record<string, Json> | undefined;
  for (const tag of ['type', 'mode', 'method']) {
    const value = (properties?.[tag]?.enum as unknown[] | undefined)?.[0];
    if (typeof value === 'string') return `${tag}=${value}`;
  }
  return String(index);
}

function walk(before: unknown, after: unknown, at: string, into: string[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const here = at === '' ? '(type)' : at;
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.every((v) => typeof v !== 'object') && after.every((v) => typeof v !== 'object')) {
      const added = after.filter((v) => !before.includes(v));
      const removed = before.filter((v) => !after.includes(v));
      if (added.length > 0) into.push(`+ ${here}: ${added.map((v) => JSON.stringify(v)).join(', ')}`);
      if (removed.length > 0) into.push(`- ${here}: ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
      if (added.length === 0 && removed.length === 0) into.push(`~ ${here}: reordered`);
      return;
    }
    const keyed = (list: unknown[]) => new Map(list.map((v, i) => [variantKey(v, i), v]));
    const [was, now] = [keyed(before), keyed(after)];
    for (const [key, value] of now) {
      if (!was.has(key)) into.push(`+ ${here}[${key}]: ${show(value)}`);
      else walk(was.get(key), value, `${at}[${key}]`, into);
    }
    for (const key of was.keys()) if (!now.has(key)) into.push(`- ${here}[${key}]`);
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(after)) {
      const path = at === '' ? key : `${at}.${key}`;
      if (!(key in before)) into.push(`+ ${path}: ${show(after[key])}`);
      else walk(before[key], after[key], path, into);
    }
    for (const key of Object.keys(before)) if (!(key in after)) into.push(`- ${at === '' ? key : `${at}.${key}`}`);
    return;
  }
  into.push(`~ ${here}: ${show(before)} -> ${show(after)}`);
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function withoutDescription(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescription);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'description').map(([key, inner]) => [key, withoutDescription(inner)]));
}

export function diffProtocols(from: ProtocolBundles, to: ProtocolBundles): ProtocolDiff {
  const [methodsFrom, methodsTo] = [surfaceOf(from), surfaceOf(to)];
  // The experimental bundle holds every type the stable one does, and more.
  const [typesFrom, typesTo] = [typesOf(from.experimental), typesOf(to.experimental)];
  const byName = <T extends { method: string }>(a: T, b: T) => a.method.localeCompare(b.method);
  return {
    methodsAdded: [...methodsTo.values()].filter((m) => !methodsFrom.has(m.method)).sort(byName),
    methodsRemoved: [...methodsFrom.values()].filter((m) => !methodsTo.has(m.method)).sort(byName),
    stabilityChanged: [...methodsTo.values()]
      .filter((m) => methodsFrom.has(m.method) && methodsFrom.get(m.method)!.stability !== m.stability)
      .map((m) => ({ method: m.method, direction: m.direction, from: methodsFrom.get(m.method)!.stability, to: m.stability }))
      .sort(byName),
    typesAdded: [...typesTo.keys()].filter((name) => !typesFrom.has(name)).sort(),
    typesRemoved: [...typesFrom.keys()].filter((name) => !typesTo.has(name)).sort(),
    typesChanged: [...typesTo.keys()]
      .filter((name) => typesFrom.has(name) && JSON.stringify(typesFrom.get(name)) !== JSON.stringify(typesTo.get(name)))
      .sort()
      .map((name) => ({ name, details: typeDetails(typesFrom.get(name)!, typesTo.get(name)!) })),
  };
}

/** The diff as the terminal shows it. */
export function formatProtocolDiff(fromVersion: string, toVersion: string, diff: ProtocolDiff): string {
  const lines = [`Codex app-server protocol ${fromVersion} -> ${toVersion}`];
  const section = (title: string, entries: string[]) => {
    lines.push(`${title} (${entries.length})`);
    for (const entry of entries) lines.push(`  ${entry}`);
  };
  section('methods added', diff.methodsAdded.map((m) => `${m.method}  [${m.direction}, ${m.stability}]`));
  section('methods removed', diff.methodsRemoved.map((m) => `${m.method}  [${m.direction}, ${m.stability}]`));
  section('methods whose stability changed', diff.stabilityChanged.map((m) => `${m.method}  [${m.direction}] ${m.from} -> ${m.to}`));
  section('types added', diff.typesAdded);
  section('types removed', diff.typesRemoved);
  lines.push(`types changed (${diff.typesChanged.length})`);
  for (const change of diff.typesChanged) {
    lines.push(`  ${change.name}`);
    for (const detail of change.details) lines.push(`    ${detail}`);
  }
  return `${lines.join('\n')}\n`;
}
