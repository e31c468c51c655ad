// A persistent (immutable, structurally shared) list for the reducer's turns and items.
// Plain arrays would copy every element on each update, making replay of a long thread
// quadratic; chunking bounds an update to one chunk plus the chunk index.
const CHUNK = 64;

export interface PList<T> {
  readonly length: number;
  readonly chunks: readonly (readonly T[])[];
  /**
   * key → index, shared by every version derived from this list by push/set. Entries are only
   * ever added, and each lookup verifies the element it finds (falling back to a scan), so
   * sharing it across versions is safe; it makes lookups by id O(1) during replay.
   */
  readonly keys: Map<string, number>;
}

export function emptyList<T>(): PList<T> {
  return { length: 0, chunks: [], keys: new Map() };
}

export function listFrom<T>(items: readonly T[], keyOf?: (value: T) => string): PList<T> {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) chunks.push(items.slice(i, i + CHUNK));
  const keys = new Map<string, number>();
  if (keyOf) items.forEach((item, i) => keys.set(keyOf(item), i));
  return { length: items.length, chunks, keys };
}

/** Index of the element whose key is `key`, or -1. */
export function indexOfKey<T>(list: PList<T>, key: string, keyOf: (value: T) => string): number {
  const hinted = list.keys.get(key);
  if (hinted === undefined) return -1;
  const value = get(list, hinted);
  if (value !== undefined && keyOf(value) === key) return hinted;
  return findLastIndex(list, (candidate) => keyOf(candidate) === key);
}

export function get<T>(list: PList<T>, index: number): T | undefined {
  if (index < 0 || index >= list.length) return undefined;
  return list.chunks[Math.floor(index / CHUNK)]![index % CHUNK];
}

export function last<T>(list: PList<T>): T | undefined {
  return get(list, list.length - 1);
}

/** Appends `value`; with `key`, records it for indexOfKey. */
export function push<T>(list: PList<T>, value: T, key?: string): PList<T> {
  if (key !== undefined) list.keys.set(key, list.length);
  const lastChunk = list.chunks[list.chunks.length - 1];
  if (lastChunk === undefined || lastChunk.length === CHUNK) {
    return { length: list.length + 1, chunks: [...list.chunks, [value]], keys: list.keys };
  }
  const chunks = list.chunks.slice();
  chunks[chunks.length - 1] = [...lastChunk, value];
  return { length: list.length + 1, chunks, keys: list.keys };
}

export function set<T>(list: PList<T>, index: number, value: T): PList<T> {
  const chunkIndex = Math.floor(index / CHUNK);
  const chunk = list.chunks[chunkIndex];
  if (chunk === undefined || index < 0 || index >= list.length) return list;
  if (chunk[index % CHUNK] === value) return list;
  const nextChunk = chunk.slice();
  nextChunk[index % CHUNK] = value;
  const chunks = list.chunks.slice();
  chunks[chunkIndex] = nextChunk;
  return { length: list.length, chunks, keys: list.keys };
}

/** The first `count` elements. */
export function take<T>(list: PList<T>, count: number, keyOf?: (value: T) => string): PList<T> {
  if (count >= list.length) return list;
  return listFrom(toArray(list).slice(0, Math.max(0, count)), keyOf);
}

/** Index of the last element matching, scanning from the end (recent entries are the usual target). */
export function findLastIndex<T>(list: PList<T>, match: (value: T) => boolean): number {
  for (let c = list.chunks.length - 1; c >= 0; c--) {
    const chunk = list.chunks[c]!;
    for (let i = chunk.length - 1; i >= 0; i--) if (match(chunk[i]!)) return c * CHUNK + i;
  }
  return -1;
}

export function toArray<T>(list: PList<T>): T[] {
  return list.chunks.length === 1 ? list.chunks[0]!.slice() : list.chunks.flat() as T[];
}

export function map<T, U>(list: PList<T>, fn: (value: T) => U): U[] {
  const out: U[] = new Array(list.length);
  let i = 0;
  for (const chunk of list.chunks) for (const value of chunk) out[i++] = fn(value);
  return out;
}
