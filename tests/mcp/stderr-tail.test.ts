import { describe, expect, it } from 'vitest';
import { StderrTail } from '../../src/mcp/stderr-tail.js';

describe('StderrTail', () => {
  it('keeps the last lines across chunk boundaries, clipped, blank lines dropped', () => {
    const tail = new StderrTail(3, 10);
    tail.push('one\ntw');
    tail.push('o\n\nthree\r\nfour\n');
    tail.push('a very long line indeed\nparti');
    expect(tail.tail()).toEqual(['three', 'four', 'a very lon…', 'parti']);
  });
});
