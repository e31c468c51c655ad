// Generated hostile input lines for the wire-fuzzing part, from a seeded PRNG: unparseable text,
// JSON that is not an object, bad ids and methods, unknown methods, known methods with wrong param
// types, deep nesting, long strings, unicode, notifications, responses to nothing and
// `$/cancelRequest`. What each line must get back follows from the line itself and the documented
// contract (app-server.md, *Errors*), not from the server's code: see `expectedAnswer`.
import type { WireId } from '../helpers/keel-process.js';
import type { Rng } from '../helpers/rng.js';

/** Every generated line stays under this (the brief's bound), newline included. */
export const MAX_LINE_BYTES = 64 * 1024 - 1;

export interface FuzzLine {
  line: string;
  /** The line is a harmless valid read, so a result is as good an answer as an error. */
  mayResult?: boolean;
}

export type Expected = { kind: 'answer'; id: WireId } | { kind: 'nullAnswer' } | { kind: 'silent' };

const isWireId = (value: unknown): value is WireId => typeof value === 'string' || Number.isSafeInteger(value);
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the server owes a line: one answer with its id, one answer with `id: null`, or nothing.
 * Unparseable or non-object → null answer; a method with an id that is not a valid id → null
 * answer; a method with a valid id → answer with it; a method without an id → a notification;
 * no method but `result` or an `error` object → a response to us, nothing back; anything else is
 * an invalid request, answered with its id when that is valid.
 */
export function expectedAnswer(line: string): Expected {
  if (line.trim() === '') return { kind: 'silent' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: 'nullAnswer' };
  }
  if (!isPlainObject(parsed)) return { kind: 'nullAnswer' };
  const { id } = parsed;
  if ('method' in parsed) {
    if (typeof parsed.method === 'string' && 'id' in parsed && id !== undefined && !isWireId(id)) return { kind: 'nullAnswer' };
    if (isWireId(id)) return { kind: 'answer', id };
    return typeof parsed.method === 'string' ? { kind: 'silent' } : { kind: 'nullAnswer' };
  }
  const isResponse = 'result' in parsed || isPlainObject(parsed.error);
  if (isResponse && (isWireId(id) || id === null)) return { kind: 'silent' };
  return isWireId(id) ? { kind: 'answer', id } : { kind: 'nullAnswer' };
}

// Pieces of text the generators draw from: ASCII, JSON syntax, escapes and unicode that trips
// decoders (astral characters split across chunks, lone surrogates, RTL, zero-width, NUL).
const ALPHABET = [
  'a', 'Z', '7', ' ', '{', '}', '[', ']', ':', ',', '"', '\\', '\t', '\r', 'null', 'true', '-0', '1e999',
  'ü', '€', '日本', '😀', '👩‍👩‍👧', '\u202e', '\u200b', '\ufeff', '\u0000', '\u2028', '\ud800', '\udfff', '\\u0000', '\\ud800',
];

const KNOWN_METHODS = ['thread/start', 'thread/read', 'thread/list', 'turn/start', 'turn/interrupt', 'thread/resume', 'thread/archive', 'config/read', 'model/list', 'initialize'];
const WRONG_VALUES: unknown[] = [0, -1, 1.5, 'x', '', true, false, [], [1, 'a'], {}, { nested: { deeper: [null] } }, 2 ** 60];
const NOT_STRINGS: unknown[] = WRONG_VALUES.filter((value) => typeof value !== 'string');
const NOT_COUNTS: unknown[] = ['x', '1', -1, 1.5, true, [], {}, null];

export class FuzzGenerator {
  private serial = 0;

  constructor(private readonly random: Rng) {}

  /** A fresh id, unique for the whole run: strings (some unicode, some long, one empty) and integers. */
  private newId(): WireId {
    const n = ++this.serial;
    const r = this.random;
    switch (r.int(6)) {
      case 0:
        return -n;
      case 1:
        return 1_000_000_000 + n * 7919;
      case 2:
        return `fz-${n}-${this.text(1 + r.int(12))}`;
      case 3:
        return `fz-${n}-${'x'.repeat(r.int(2000))}`;
      default:
        return n === 1 ? '' : `fz-${n}`;
    }
  }

  private text(pieces: number): string {
    let out = '';
    for (let i = 0; i < pieces; i++) out += this.random.pick(ALPHABET);
    return out;
  }

  /** Arbitrary text: never a line break (that would make two lines), rarely valid JSON. */
  private garbage(): string {
    const r = this.random;
    switch (r.int(5)) {
      case 0: // a request cut off: a prefix of an object is never JSON
        return JSON.stringify({ id: this.newId(), method: r.pick(KNOWN_METHODS), params: { threadId: 'x' } }).slice(0, 1 + r.int(40));
      case 1:
        return `#${this.text(1 + r.int(80))}`;
      case 2:
        return `\ufeff{"id":${++this.serial},"method":"thread/list","params":{}}`; // a BOM is not JSON whitespace
      case 3:
        return `{"id":${++this.serial},"method":"thread/list",}`; // trailing comma
      default:
        return `{${this.text(1 + r.int(30))}`;
    }
  }

  private deep(depth: number): string {
    return this.random.next() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  }

  /** Up to `maxBytes` of UTF-8 (a cut may leave half a surrogate pair: welcome here). */
  private longString(maxBytes = 60_000): string {
    const long = this.text(1 + this.random.int(4)).repeat(1 + this.random.int(6000)).slice(0, 5_000 + this.random.int(30_000));
    let bytes = 0;
    let end = 0;
    while (end < long.length && (bytes += Buffer.byteLength(long[end]!, 'utf8')) <= maxBytes) end++;
    return long.slice(0, end);
  }

  /** One line under MAX_LINE_BYTES; `cancellable` are ids of fuzz requests sent earlier in the same batch. */
  next(cancellable: readonly WireId[]): FuzzLine {
    for (;;) {
      const candidate = this.generate(cancellable);
      // Escaping can grow a long string several times over (a NUL becomes \u0000): draw again.
      if (Buffer.byteLength(candidate.line, 'utf8') <= MAX_LINE_BYTES) return candidate;
    }
  }

  private generate(cancellable: readonly WireId[]): FuzzLine {
    const r = this.random;
    const request = (method: unknown, params?: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id: this.newId(), method, ...(params === undefined ? {} : { params }), ...extra });
    switch (r.int(16)) {
      case 0:
        return { line: this.garbage() };
      case 1: // JSON that is not an object
        return { line: r.pick(['42', '"text"', 'null', 'true', '[]', `[${request('thread/list', {})}]`, '-1.5e3', `"${this.text(10)}"`]) };
      case 2: // a method with an id that is no valid id
        return { line: JSON.stringify({ id: r.pick([1.5, null, true, { id: 1 }, [1], 2 ** 60, -0.1]), method: r.pick(KNOWN_METHODS), params: {} }) };
      case 3: // a valid id with a method that is not a string, or no method at all
        return { line: JSON.stringify({ id: this.newId(), ...r.pick([{ method: 5 }, { method: null }, { method: ['thread/list'] }, { method: {} }, {}, { params: {} }, { error: 'x' }]) }) };
      case 4: // unknown methods
        return { line: request(r.pick([`fuzz/${this.text(3)}`, '', 'rpc.discover', 'Thread/List', 'thread/list ', '$/fuzz', `${this.text(2)}/${this.text(2)}`]), {}) };
      case 5: // known methods, params of the wrong type
        return { line: request(r.pick(KNOWN_METHODS), r.pick([5, 'params', true, [1, 2], [{ threadId: 'x' }]])) };
      case 6: // known methods, a field of the wrong type
        return {
          line: r.pick([
            () => request('thread/read', { threadId: r.pick(NOT_STRINGS) }),
            () => request('turn/start', { threadId: r.pick(NOT_STRINGS), input: [] }),
            () => request('turn/start', { threadId: 'x', input: r.pick(WRONG_VALUES.filter((v) => !Array.isArray(v))) }),
            () => request('turn/interrupt', { threadId: 'x', turnId: r.pick(NOT_STRINGS) }),
            () => request('thread/start', { cwd: r.pick(NOT_STRINGS) }),
            () => request('thread/list', { limit: r.pick(NOT_COUNTS.filter((v) => v !== null)) }),
            () => request('model/list', { limit: r.pick(NOT_COUNTS.filter((v) => v !== null)) }),
            () => request('initialize', { clientInfo: r.pick(WRONG_VALUES) }),
          ])(),
        };
      case 7: // deep nesting in the params, in an unknown member, or as the params
        return r.pick([
          { line: `{"id":${JSON.stringify(this.newId())},"method":"thread/list","params":{"extra":${this.deep(50 + r.int(5000))}}}`, mayResult: true },
          { line: `{"id":${JSON.stringify(this.newId())},"method":"thread/read","params":${this.deep(50 + r.int(5000))}}` },
          { line: `{"id":${JSON.stringify(this.newId())},"method":"config/read","params":{},"x":${this.deep(50 + r.int(5000))}}`, mayResult: true },
          { line: `{"id":${JSON.stringify(this.newId())},"method":${this.deep(100 + r.int(3000))}}` },
        ]);
      case 8: // long strings: a method, a thread id, a search term, an id
        return r.pick([
          { line: request(`fuzz/${this.longString()}`, {}) },
          { line: request('thread/read', { threadId: this.longString() }) },
          { line: request('thread/list', { searchTerm: this.longString(60_000), limit: 1 }), mayResult: true },
          { line: JSON.stringify({ id: `fz-${++this.serial}-${this.longString()}`, method: 'fuzz/long-id' }) },
        ]);
      case 9: // unicode in methods, params and ids
        return r.pick([
          { line: request(`thread/${this.text(4)}`, { threadId: this.text(6) }) },
          { line: request('thread/read', { threadId: this.text(8) }) },
          { line: JSON.stringify({ id: `fz-${++this.serial}-${this.text(6)}`, method: 'thread/list', params: { searchTerm: this.text(5) } }), mayResult: true },
        ]);
      case 10: // notifications: unknown ones, a second `initialized`, bad params
        return { line: JSON.stringify({ method: r.pick(['initialized', `fuzz/note/${this.text(2)}`, 'thread/started', '$/setTrace', 'exit']), ...(r.next() < 0.5 ? { params: r.pick(WRONG_VALUES) } : {}) }) };
      case 11: // responses to requests the server never sent
        return { line: JSON.stringify({ id: r.pick([this.newId(), null, 0, 999_999]), ...r.pick([{ result: {} }, { result: null }, { error: { code: -1, message: 'no' } }]) }) };
      case 12: // `$/cancelRequest`: for a request of this batch, for nothing, with an id that is no id
        return { line: JSON.stringify({ method: '$/cancelRequest', params: r.pick([{ id: cancellable.length > 0 ? r.pick(cancellable) : 1 }, { id: 'never-sent' }, { id: { deep: 1 } }, { id: null }, {}, 'x']) }) };
      case 13: // a second initialize, a bad jsonrpc version, an experimental method without the capability
        return r.pick([
          { line: request('initialize', { clientInfo: { name: 'fuzz', version: '1' } }) },
          { line: request('thread/list', { limit: 1 }, { jsonrpc: r.pick(['1.0', 2, null]) }), mayResult: true },
          { line: request('server/diagnostics', {}) },
        ]);
      case 14: // blank filler and whitespace around a line
        return r.pick([{ line: '' }, { line: '   \t' }, { line: `  ${request('thread/list', { limit: 1 })}  `, mayResult: true }]);
      default: // duplicate members: the last one counts
        return { line: `{"id":"dup-${++this.serial}","method":"thread/list","method":"fuzz/dup","id":${JSON.stringify(this.newId())}}` };
    }
  }
}
