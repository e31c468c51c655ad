// A scratch working directory for tool tests (its real path: threads report cwd resolved), and the
// events of one item picked out of a turn's notifications.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { params, type Seq } from './turns.js';

export function workspace(files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keel-tools-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** item/started, its deltas and item/completed of one item, in order. */
export const itemEvents = (seq: Seq, itemId: string) => seq.filter((m) => params(m).item?.id === itemId || params(m).itemId === itemId);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Codex's text for a command that has exited (exec_command, write_stdin, shell). */
export const exitedText = (code: number, output: string) =>
  new RegExp(`^Wall time: \\d+\\.\\d{4} seconds\\nProcess exited with code ${code}\\nOriginal token count: \\d+\\nOutput:\\n${escapeRegExp(output)}$`);
