import { describe, expect, it } from 'vitest';
import { classifyLine, type LineVerdict } from '../../src/transport/classify-line.js';

/** The verdict without the error object's class: kind, id and code are what the wire shows. */
function summarize(verdict: LineVerdict) {
  if (verdict.kind === 'reject') return { kind: verdict.kind, id: verdict.id, code: verdict.error.code };
  return { kind: verdict.kind };
}

const table: Array<[line: string, verdict: ReturnType<typeof summarize>]> = [
  ['', { kind: 'skip' }],
  ['   \t', { kind: 'skip' }],
  ['\r', { kind: 'skip' }],
  ['{"id":1,"method":"initialize","params":{}}', { kind: 'message' }],
  ['{"id":1,"method":"initialize"}\r', { kind: 'message' }],
  ['{"id":"a","method":"m"}', { kind: 'message' }],
  ['{"id":0,"method":"m"}', { kind: 'message' }],
  ['{"jsonrpc":"2.0","id":-3,"method":"m"}', { kind: 'message' }],
  ['{"method":"initialized"}', { kind: 'message' }],
  ['{"id":1,"result":{}}', { kind: 'message' }],
  ['{"id":1,"result":null}', { kind: 'message' }],
  ['{"id":null,"error":{"code":1,"message":"x"}}', { kind: 'message' }],
  ['not json', { kind: 'reject', id: null, code: -32700 }],
  ['{"id":1,"method":', { kind: 'reject', id: null, code: -32700 }],
  ['[]', { kind: 'reject', id: null, code: -32600 }],
  ['[{"id":1,"method":"m"}]', { kind: 'reject', id: null, code: -32600 }],
  ['42', { kind: 'reject', id: null, code: -32600 }],
  ['null', { kind: 'reject', id: null, code: -32600 }],
  ['"text"', { kind: 'reject', id: null, code: -32600 }],
  ['{}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":1.5,"method":"m"}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":null,"method":"m"}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":true,"method":"m"}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":{},"method":"m"}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":9007199254740993,"method":"m"}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":1,"method":5}', { kind: 'reject', id: 1, code: -32600 }],
  ['{"method":null}', { kind: 'reject', id: null, code: -32600 }],
  ['{"id":9}', { kind: 'reject', id: 9, code: -32600 }],
  ['{"id":"s"}', { kind: 'reject', id: 's', code: -32600 }],
  ['{"id":1,"error":"x"}', { kind: 'reject', id: 1, code: -32600 }],
  ['{"result":1}', { kind: 'reject', id: null, code: -32600 }],
];

describe('classifyLine', () => {
  it.each(table)('%j', (line, verdict) => {
    expect(summarize(classifyLine(line))).toEqual(verdict);
  });

  it('hands a valid message on as parsed', () => {
    const line = '{"id":"a","method":"m","params":{"x":[1,null]}}';
    expect(classifyLine(line)).toEqual({ kind: 'message', message: JSON.parse(line) });
  });

  // Codex's JSON reader (serde_json) stops at 128 levels; deeper, Keel's validation would overflow
  // the stack and answer only "Internal error".
  describe('nesting', () => {
    const nest = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

    it('hands on a message 128 levels deep (the message object is the first)', () => {
      expect(summarize(classifyLine(`{"id":1,"method":"m","params":${nest(127)}}`))).toEqual({ kind: 'message' });
    });

    it('refuses one level more, or 100,000, with -32600 and the id', () => {
      for (const levels of [128, 100_000]) {
        const verdict = classifyLine(`{"id":"deep","method":"m","params":{"a":${nest(levels - 1)}}}`);
        expect(verdict).toEqual({ kind: 'reject', id: 'deep', error: expect.objectContaining({ code: -32600, message: 'Invalid request: nested deeper than 128 levels' }) });
      }
    });
  });
});
