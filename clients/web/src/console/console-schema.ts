// schema.json as the request console reads it (scripts/build-inspector.mjs writes it): the client
// requests and the definitions their params reach. Fetched once per page, on first open.
import type { Definitions } from './form-schema.js';

export interface ConsoleMethod {
  method: string;
  stability: 'stable' | 'experimental';
  /** The params' definition name, or null when the method takes none. */
  params: string | null;
  summary: string;
}

export interface ConsoleSchema {
  methods: ConsoleMethod[];
  definitions: Definitions;
}

let loading: Promise<ConsoleSchema> | null = null;

/** The page's schema.json; a failed load is retried on the next call. */
export function loadConsoleSchema(): Promise<ConsoleSchema> {
  loading ??= fetch('schema.json', { credentials: 'same-origin' }).then(async (response) => {
    if (!response.ok) throw new Error(`schema.json: HTTP ${response.status}`);
    return (await response.json()) as ConsoleSchema;
  });
  loading.catch(() => (loading = null));
  return loading;
}

/** Methods grouped by their prefix (`thread/list` → "thread"), groups and methods in schema order. */
export function groupByPrefix(methods: readonly ConsoleMethod[]): Array<{ prefix: string; methods: ConsoleMethod[] }> {
  const groups = new Map<string, ConsoleMethod[]>();
  for (const entry of methods) {
    const prefix = entry.method.includes('/') ? entry.method.slice(0, entry.method.indexOf('/')) : '(no prefix)';
    groups.set(prefix, [...(groups.get(prefix) ?? []), entry]);
  }
  return [...groups].map(([prefix, grouped]) => ({ prefix, methods: grouped }));
}
