// The redactor: each known secret replaced wherever it occurs, longest first, JSON-escaped forms
// too; short values ignored; a value with nothing to redact comes back as the same reference.
import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRedactor } from '../../src/kernel/redact.js';

describe('SecretRedactor', () => {
  it('replaces every occurrence of each secret, the longer of two overlapping ones whole', () => {
    const r = new SecretRedactor();
    r.remember('sk-abcdefgh', 'sk-abcdefgh-longer', undefined, null, '', 'short');
    expect(r.redact('a sk-abcdefgh-longer b sk-abcdefgh c sk-abcdefgh short')).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} short`);
  });

  it('finds a secret as JSON escapes it', () => {
    const r = new SecretRedactor();
    const odd = 'k"ey\\with-quotes';
    r.remember(odd);
    expect(r.redact(JSON.stringify({ msg: `x ${odd} y` }))).toBe(`{"msg":"x ${REDACTED} y"}`);
  });

  it('redacts deep values, keeping untouched parts (and a clean value) by reference', () => {
    const r = new SecretRedactor();
    expect(r.redactDeep({ a: 'sk-secret-1' })).toEqual({ a: 'sk-secret-1' });
    r.remember('sk-secret-1');
    const clean = { type: 'x', list: [1, 'two', { three: null }] };
    expect(r.redactDeep(clean)).toBe(clean);
    const inner = { untouched: true };
    const dirty = { type: 'turn/error', error: { message: 'Bearer sk-secret-1' }, inner, list: ['ok', 'sk-secret-1'] };
    const out = r.redactDeep(dirty);
    expect(out).toEqual({ type: 'turn/error', error: { message: `Bearer ${REDACTED}` }, inner, list: ['ok', REDACTED] });
    expect(out.inner).toBe(inner);
    expect(dirty.error.message).toBe('Bearer sk-secret-1');
  });
});
