// UUIDv7 ids (time-ordered, like Codex's thread and turn ids). Generated here, never in core.
import { randomBytes } from 'node:crypto';

let lastMs = 0;
let counter = 0;

export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  // Keep ids from one millisecond ordered: bump a 12-bit counter in rand_a.
  counter = now === lastMs ? (counter + 1) & 0xfff : bytes.readUInt16BE(6) & 0x7ff;
  lastMs = now;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
