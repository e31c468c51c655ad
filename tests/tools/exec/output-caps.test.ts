// Output bounds: what the model reads (capForModel, Codex's format), what Keel keeps (HeadTailText)
// and what it streams (StreamedOutputCap).
import { describe, expect, it } from 'vitest';
import { approxTokenCount, capForModel, countLines, HeadTailText, StreamedOutputCap, utf8Head, utf8Tail } from '../../../src/tools/exec/output-caps.js';

describe('utf8Head and utf8Tail never split a character', () => {
  it.each<[string, number, string, string]>([
    ['abcdef', 3, 'abc', 'def'],
    ['abc', 10, 'abc', 'abc'],
    ['héllo', 2, 'h', 'lo'],
    ['héllo', 3, 'hé', 'llo'],
    ['😀😀', 5, '😀', '😀'],
    ['😀😀', 3, '', ''],
    ['abc', 0, '', ''],
  ])('%j within %i bytes', (text, max, head, tail) => {
    expect([utf8Head(text, max), utf8Tail(text, max)]).toEqual([head, tail]);
  });
});

describe('countLines and approxTokenCount', () => {
  it.each<[string, number, number]>([
    ['', 0, 0],
    ['a', 1, 1],
    ['a\n', 1, 1],
    ['a\nb', 2, 1],
    ['a\nb\n', 2, 1],
    ['\n\n', 2, 1],
    ['abcdefghi', 1, 3],
  ])('%j: %i lines, %i tokens', (text, lines, tokens) => {
    expect([countLines(text), approxTokenCount(text)]).toEqual([lines, tokens]);
  });
});

describe('capForModel', () => {
  it.each<[string, string, Parameters<typeof capForModel>[1], string]>([
    ['fits: unchanged', 'short output', { maxTokens: 100 }, 'short output'],
    ['exactly the budget', 'abcdefgh', { maxTokens: 2 }, 'abcdefgh'],
    ['head and tail kept, tokens counted', 'line1\nline2\nline3\nline4\n', { maxTokens: 2 }, 'Total output lines: 4\n\nline…4 tokens truncated…ne4\n'],
    ['a byte budget counts bytes', '0123456789', { maxBytes: 4 }, 'Total output lines: 1\n\n01…6 bytes truncated…89'],
    ['zero budget keeps only the marker', 'abcdef', { maxTokens: 0 }, 'Total output lines: 1\n\n…2 tokens truncated…'],
    ['characters are never split', '😀😀😀😀😀', { maxBytes: 10 }, 'Total output lines: 1\n\n😀…12 bytes truncated…😀'],
  ])('%s', (_name, text, limit, expected) => {
    expect(capForModel(text, limit)).toBe(expected);
  });
});

describe('HeadTailText', () => {
  it('keeps everything within its budget', () => {
    const kept = new HeadTailText(10);
    kept.push('01234');
    kept.push('56789');
    expect({ text: kept.text(), total: kept.totalBytes, omitted: kept.omittedBytes }).toEqual({ text: '0123456789', total: 10, omitted: 0 });
  });

  it('keeps the head and the latest tail, and says what it dropped', () => {
    const kept = new HeadTailText(10);
    for (const chunk of ['01', '234', '5\n6', '7\n8', '9a', 'bcd']) kept.push(chunk);
    expect({ text: kept.text(), total: kept.totalBytes, omitted: kept.omittedBytes }).toEqual({
      text: '01234\n[… 6 bytes (2 lines) elided …]\n9abcd',
      total: 16,
      omitted: 6,
    });
  });

  it('splits a chunk larger than the budget between head and tail', () => {
    const kept = new HeadTailText(6);
    kept.push('abcdefghij');
    expect(kept.text()).toBe('abc\n[… 4 bytes (0 lines) elided …]\nhij');
  });

  it('never lets later text into the head once the tail has begun', () => {
    const kept = new HeadTailText(8);
    kept.push('ab😀');
    kept.push('c');
    expect(kept.text()).toBe('ab😀c');
    kept.push('defghijk');
    expect(kept.text()).toBe('ab\n[… 7 bytes (0 lines) elided …]\nfghijk');
  });

  it('drains what it holds and starts again', () => {
    const kept = new HeadTailText(4);
    kept.push('abcdef');
    expect(kept.drain()).toEqual({ text: 'ab\n[… 2 bytes (0 lines) elided …]\nef', totalBytes: 6, omittedBytes: 2 });
    kept.push('xy');
    expect(kept.drain()).toEqual({ text: 'xy', totalBytes: 2, omittedBytes: 0 });
  });

  it('stays within its budget over many small pushes', () => {
    const kept = new HeadTailText(1000);
    for (let i = 0; i < 20_000; i++) kept.push(`${i}\n`);
    const text = kept.text();
    expect(text.startsWith('0\n1\n2\n')).toBe(true);
    expect(text.endsWith('19998\n19999\n')).toBe(true);
    expect(kept.totalBytes - kept.omittedBytes).toBeLessThanOrEqual(1000);
  });
});

describe('StreamedOutputCap', () => {
  /** Each chunk's streamed part, then the closing line. */
  const stream = (max: number, chunks: string[]) => {
    const cap = new StreamedOutputCap(max);
    return { parts: chunks.map((chunk) => cap.take(chunk)), closing: cap.closing() };
  };

  it('passes everything up to its budget, and has nothing to say', () => {
    expect(stream(6, ['ab', 'cd', 'ef'])).toEqual({ parts: ['ab', 'cd', 'ef'], closing: null });
  });

  it('cuts the chunk that crosses the budget, passes nothing after, and counts what it held back', () => {
    expect(stream(5, ['ab\n', 'cd\nef', 'g\nh\n', ''])).toEqual({ parts: ['ab\n', 'cd', '', ''], closing: '\n[… 7 bytes (3 lines) elided …]\n' });
  });

  it('never splits a character: the cut steps back to its start, and the bytes held back are counted whole', () => {
    // '😀' is 4 UTF-8 bytes; a budget of 4 keeps 'a' and holds the emoji back.
    expect(stream(4, ['a😀b'])).toEqual({ parts: ['a'], closing: '\n[… 5 bytes (0 lines) elided …]\n' });
    expect(stream(3, ['日本'])).toEqual({ parts: ['日'], closing: '\n[… 3 bytes (0 lines) elided …]\n' });
  });

  it('a chunk that ends exactly at the budget elides nothing until more comes', () => {
    expect(stream(4, ['abcd'])).toEqual({ parts: ['abcd'], closing: null });
    expect(stream(4, ['abcd', 'e'])).toEqual({ parts: ['abcd', ''], closing: '\n[… 1 bytes (0 lines) elided …]\n' });
  });
});
