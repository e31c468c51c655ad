// The feedback archive's ZIP writer: entries read back whole (deflated, CRC-checked, UTF-8 names),
// an empty archive is a valid one, and the CRC is the standard CRC-32.
import { describe, expect, it } from 'vitest';
import { crc32, zipArchive } from '../../src/kernel/zip-writer.js';
import { readZip } from '../helpers/zip-reader.js';

describe('zipArchive', () => {
  it('writes entries that read back as they were, in order', () => {
    const archive = zipArchive([
      { name: 'feedback.json', data: '{"a":1}\n' },
      { name: 'logs/ünïcode.log', data: 'line\n'.repeat(10_000) },
      { name: 'empty.txt', data: '' },
    ]);
    expect(readZip(archive)).toEqual({ 'feedback.json': '{"a":1}\n', 'logs/ünïcode.log': 'line\n'.repeat(10_000), 'empty.txt': '' });
  });

  it('an archive with no entries is the 22-byte end record alone', () => {
    const archive = zipArchive([]);
    expect(archive.length).toBe(22);
    expect(readZip(archive)).toEqual({});
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });
});
